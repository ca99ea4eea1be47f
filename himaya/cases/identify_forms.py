"""Forms for identification decisions, offences charged against a victim and the resolution of
their non-punishment alerts. They parse what a user typed; the writes are actions."""

from django import forms as dj
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.core.models import Code
from himaya.core.shortcuts import MAX_ID
from himaya.people.forms import (
    DATE_WIDGET,
    CodeField,
    OrgChoiceField,
    acting_org_field,
    not_future,
)

from .actions import AUTHORITY_MAX, CHARGING_ORG_TYPES, DETAIL_MAX, REASONS_MAX
from .forms import style
from .models import AlertOutcome, OffenceType


class DecisionForm(dj.Form):
    status = CodeField(Code.objects.none(), label=_("trafficking status"))
    decided_on = dj.DateField(label=_("decided on"), widget=DATE_WIDGET, validators=[not_future])
    reasons = dj.CharField(
        label=_("reasons"),
        max_length=REASONS_MAX,
        widget=dj.Textarea(attrs={"rows": 4}),
        help_text=_("The indicators and facts the decision rests on. Seen only with the identity."),
    )
    # The decision reviewed, when the last one was negative: carried so that a review recorded
    # meanwhile by someone else is noticed instead of silently reviewed twice.
    reviews = dj.IntegerField(widget=dj.HiddenInput, required=False, min_value=1, max_value=MAX_ID)

    def __init__(self, *args, org_ids=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("decided_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = acting_org_field(org_ids, label=_("deciding organisation"))
        self.fields["status"].queryset = Code.objects.of("trafficking_status")
        self.order_fields(["organisation", "status", "decided_on", "reasons", "reviews"])
        style(self)


class OffenceForm(dj.Form):
    offence_type = dj.ChoiceField(
        label=_("offence charged"), choices=[("", "---------"), *OffenceType.choices]
    )
    detail = dj.CharField(
        label=_("detail"),
        required=False,
        max_length=DETAIL_MAX,
        widget=dj.Textarea(attrs={"rows": 2}),
        help_text=_("Required for another offence. Seen only with the identity."),
    )
    charged_on = dj.DateField(label=_("charged on"), widget=DATE_WIDGET, validators=[not_future])
    authority = OrgChoiceField(
        Organisation.objects.none(), label=_("charging authority"), required=False
    )
    authority_other = dj.CharField(
        label=_("charging authority (not in the list)"),
        required=False,
        max_length=AUTHORITY_MAX,
    )
    region = CodeField(
        Code.objects.none(),
        label=_("region of the charge"),
        required=False,
        help_text=_(
            "The alert goes to the prosecution of this region. The region of exploitation "
            "when left empty."
        ),
    )

    def __init__(self, *args, org_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = acting_org_field(org_ids, label=_("recording organisation"))
        self.fields["authority"].queryset = Organisation.objects.filter(
            active=True, type__code__in=CHARGING_ORG_TYPES
        )
        self.fields["region"].queryset = Code.objects.of("region")
        self.order_fields(["organisation", "offence_type", "detail", "charged_on"])
        style(self)


class ResolveForm(dj.Form):
    outcome = dj.ChoiceField(
        label=_("outcome"), choices=AlertOutcome.choices, widget=dj.RadioSelect
    )
    resolved_on = dj.DateField(
        label=_("date of the outcome"),
        required=False,
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_("Today when left empty."),
    )
    note = dj.CharField(
        label=_("note on the outcome"),
        required=False,
        max_length=DETAIL_MAX,
        widget=dj.Textarea(attrs={"rows": 3}),
        help_text=_("Required for another outcome. Seen only with the identity."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
        self.fields["outcome"].widget.attrs["class"] = "form-check-input"
