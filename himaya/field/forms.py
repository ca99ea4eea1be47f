"""The enrolment form of a field device. It parses; the write is ``actions.enrol_device``."""

from django import forms as dj
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation, User
from himaya.cases.forms import style
from himaya.core import access
from himaya.people.forms import OrgChoiceField, SafeChoiceField

from . import policies
from .actions import NAME_MAX


class UserChoiceField(SafeChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class EnrolForm(dj.Form):
    name = dj.CharField(
        label=_("device name"),
        max_length=NAME_MAX,
        help_text=_("How the team knows this phone, for example 'Oujda team, phone 2'."),
    )
    organisation = OrgChoiceField(Organisation.objects.none(), label=_("organisation"))
    user = UserChoiceField(User.objects.none(), label=_("user"))
    days = dj.IntegerField(label=_("valid for (days)"), min_value=1)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        org_ids = policies.enrol_org_ids(actor)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=org_ids)
        managed = access.manageable_org_ids(actor)
        users = User.objects.filter(pk=actor.pk)
        if managed:
            users = User.objects.filter(
                is_active=True,
                memberships__active=True,
                memberships__organisation_id__in=managed,
                memberships__role__in=access.VICTIM_ROLES,
            ) | User.objects.filter(pk=actor.pk)
        self.fields["user"].queryset = users.distinct().order_by("username")
        self.fields["days"].validators.append(MaxValueValidator(settings.HIMAYA_FIELD_DEVICE_DAYS))
        self.fields["days"].widget.attrs["max"] = settings.HIMAYA_FIELD_DEVICE_DAYS
        self.initial.setdefault("days", settings.HIMAYA_FIELD_DEVICE_DAYS)
        self.initial.setdefault("user", actor.pk)
        style(self)
