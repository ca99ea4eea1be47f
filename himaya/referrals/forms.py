"""Forms of the referrals app: they parse what a user typed; the writes are actions."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from himaya.accounts.models import Organisation
from himaya.cases.forms import style
from himaya.core.choices import choose
from himaya.core.models import Code
from himaya.core.templatetags.himaya import mnumber
from himaya.core.trilingual import TrilingualForm, form_fields
from himaya.people.forms import (
    DATE_WIDGET,
    CodeField,
    OrgChoiceField,
    SafeChoiceField,
    SafeMultipleChoiceField,
    not_future,
)
from himaya.people.models import ConsentGivenBy

from . import beds
from .models import (
    BED_GROUPS,
    DischargeReason,
    Facility,
    GoalStatus,
    Group,
    RejectionReason,
    Service,
    SessionKind,
    ShelterStay,
    SupportKind,
)


class CodesField(SafeMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class VersionForm(Styled):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)


class DirectoryForm(Styled):
    service = forms.ChoiceField(
        label=_("service"), choices=[("", "—"), *Service.choices], required=False
    )
    region = CodeField(Code.objects.of("region"), label=_("region"), required=False)
    group = forms.ChoiceField(label=_("group"), choices=[("", "—"), *Group.choices], required=False)
    language = CodeField(Code.objects.of("language"), label=_("language"), required=False)

    def valid_data(self):
        return self.cleaned_data if self.is_valid() else {}


class ProviderForm(VersionForm):
    checkbox_groups = ("services", "groups")

    services = forms.MultipleChoiceField(
        label=_("services offered"),
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    groups = forms.MultipleChoiceField(
        label=_("groups served"),
        choices=Group.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    regions = CodesField(Code.objects.of("region"), label=_("regions served"), required=False)
    languages = CodesField(Code.objects.of("language"), label=_("languages"), required=False)
    contact = forms.CharField(
        label=_("contact point"), max_length=500, required=False, widget=forms.Textarea({"rows": 2})
    )
    accepts = forms.BooleanField(label=_("accepts referrals"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = False
        for name in ("services", "groups", "accepts"):
            self.fields[name].widget.attrs.pop("class", None)
            self.fields[name].widget.attrs["class"] = "form-check-input"


class FacilityForm(TrilingualForm, VersionForm):
    trios = ("name", "city")
    name_ar, name_fr, name_en = form_fields("name", 200).values()
    region = CodeField(Code.objects.of("region"), label=_("region"))
    city_ar, city_fr, city_en = form_fields("city", 100).values()
    beds_women = forms.IntegerField(label=_("beds for women"), min_value=0, max_value=10000)
    beds_men = forms.IntegerField(label=_("beds for men"), min_value=0, max_value=10000)
    beds_children = forms.IntegerField(label=_("beds for children"), min_value=0, max_value=10000)
    beds_families = forms.IntegerField(label=_("beds for families"), min_value=0, max_value=10000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = False

    def facility_fields(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ReferralForm(Styled):
    service = forms.ChoiceField(label=_("service"), choices=choose(Service.choices))
    to_org = OrgChoiceField(Organisation.objects.none(), label=_("provider"))
    facility = SafeChoiceField(Facility.objects.none(), label=_("facility"), required=False)
    reason = forms.CharField(
        label=_("reason for the referral"), max_length=4000, widget=forms.Textarea({"rows": 3})
    )
    urgent = forms.BooleanField(label=_("urgent"), required=False)
    guardian = forms.CharField(
        label=_("guardian (for a child)"),
        max_length=300,
        required=False,
        help_text=_("Name and relation of the guardian through whom a child is referred."),
    )
    override = forms.BooleanField(label=_("refer without consent (override)"), required=False)
    override_reason = forms.CharField(
        label=_("reason for the override"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )

    # The consent, recorded here when it is missing (issue 15): one answer for both purposes a
    # referral needs, recorded through the consent action of the person's page.
    consent_now = forms.BooleanField(
        label=_(
            "Record the consent now: to receiving services and to sharing with other organisations"
        ),
        required=False,
    )
    consent_given_by = forms.ChoiceField(
        label=_("consent given by"), choices=ConsentGivenBy.choices, required=False
    )
    consent_given_on = forms.DateField(
        label=_("consent given on"), widget=DATE_WIDGET, validators=[not_future], required=False
    )
    consent_informed_in = CodeField(
        Code.objects.none(), label=_("explained in language"), required=False
    )

    CONSENT_FIELDS = ("consent_now", "consent_given_by", "consent_given_on", "consent_informed_in")

    def __init__(
        self, *args, providers, facilities, may_override, ask_consent=False, is_child=False, **kw
    ):
        initial = kw.setdefault("initial", {})
        initial.setdefault("consent_given_on", timezone.localdate())
        initial.setdefault(
            "consent_given_by", ConsentGivenBy.GUARDIAN if is_child else ConsentGivenBy.PERSON
        )
        super().__init__(*args, **kw)
        if ask_consent:
            self.fields["consent_informed_in"].queryset = Code.objects.of("language")
            self.fields["consent_now"].widget.attrs["class"] = "form-check-input"
        else:
            for name in self.CONSENT_FIELDS:
                del self.fields[name]
        self.fields["to_org"].queryset = providers
        self.fields["facility"].queryset = facilities
        self.fields["facility"].label_from_instance = lambda f: f"{f.name} · {f.organisation}"
        self.fields["urgent"].widget.attrs["class"] = "form-check-input"
        self.fields["override"].widget.attrs["class"] = "form-check-input"
        if not may_override:
            del self.fields["override"]
            del self.fields["override_reason"]

    def clean(self):
        data = super().clean()
        if data.get("consent_now"):
            needed = {
                "consent_given_by": _("Say who gave the consent."),
                "consent_given_on": _("Give the day the consent was given."),
            }
            for name, message in needed.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    def consent_fields(self):
        return [self[n] for n in self.CONSENT_FIELDS if n in self.fields]

    def referral_fields(self):
        return [f for f in self.visible_fields() if f.name not in self.CONSENT_FIELDS]

    def consent(self):
        """The consent to record with the referral, or None."""
        d = self.cleaned_data
        if not d.get("consent_now"):
            return None
        return {
            "given_by": d["consent_given_by"],
            "given_on": d["consent_given_on"],
            "informed_in": d.get("consent_informed_in"),
        }


class RejectForm(VersionForm):
    reason = forms.ChoiceField(
        label=_("reason for rejection"), choices=choose(RejectionReason.choices)
    )
    note = forms.CharField(
        label=_("note"), max_length=2000, required=False, widget=forms.Textarea({"rows": 2})
    )


class AdmitForm(Styled):
    """One choice per facility and bed group that fit the person (sex, age group), with the beds
    free today; the groups that do not fit are listed with why (``refused``)."""

    bed = forms.ChoiceField(label=_("bed"))
    admitted_on = forms.DateField(
        label=_("admitted on"), widget=DATE_WIDGET, validators=[not_future]
    )

    def __init__(self, *args, facilities, person, facility_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        day = timezone.localdate()
        self.facilities = {f.pk: f for f in facilities}
        self.refused = []
        choices = []
        # Every facility's running stays in one query (Facility.occupied, for all of them).
        occupancy = ShelterStay.objects.filter(
            facility__in=list(self.facilities.values())
        ).occupancy(day)
        for f in self.facilities.values():
            occupied = occupancy[f.pk]
            for g in BED_GROUPS:
                if not f.beds(g):
                    continue
                reason = beds.why_not(g, person, day)
                if reason:
                    self.refused.append((f, Group(g).label, reason))
                    continue
                free = max(f.beds(g) - occupied[g], 0)
                label = ngettext(
                    "%(facility)s · %(group)s: %(free)s bed free today",
                    "%(facility)s · %(group)s: %(free)s beds free today",
                    free,
                ) % {"facility": f.name, "group": Group(g).label, "free": mnumber(free)}
                choices.append((f"{f.pk}:{g}", label))
        # Nothing chosen unless the referral named the facility: a browser would show the
        # first bed as chosen (tests/test_choices.py).
        self.fields["bed"].choices = choose(choices) if choices else []
        named = [c for c, _label in choices if c.startswith(f"{facility_id}:")]
        if named and not self.is_bound:
            self.initial.setdefault("bed", named[0])

    def clean(self):
        data = super().clean()
        if data.get("bed"):
            pk, group = data["bed"].split(":")
            data["facility"], data["bed_group"] = self.facilities[int(pk)], group
        return data

    def admit_fields(self):
        d = self.cleaned_data
        return {k: d[k] for k in ("facility", "bed_group", "admitted_on")}


class DischargeForm(VersionForm):
    discharged_on = forms.DateField(
        label=_("discharged on"), widget=DATE_WIDGET, validators=[not_future]
    )
    discharge_reason = forms.ChoiceField(
        label=_("reason for discharge"), choices=choose(DischargeReason.choices)
    )


class SessionForm(Styled):
    kind = forms.ChoiceField(label=_("service"), choices=choose(SessionKind.choices))
    on = forms.DateField(label=_("date"), widget=DATE_WIDGET, validators=[not_future])
    note = forms.CharField(
        label=_("note"), max_length=4000, required=False, widget=forms.Textarea({"rows": 2})
    )


class ReturnForm(Styled):
    destination = CodeField(Code.objects.of("country"), label=_("destination country"))
    partner = OrgChoiceField(
        Organisation.objects.filter(active=True), label=_("partner organisation"), required=False
    )
    partner_other = forms.CharField(
        label=_("other partner (e.g. a consulate)"), max_length=200, required=False
    )
    travel_on = forms.DateField(label=_("travel date"), widget=DATE_WIDGET)
    followup = forms.CharField(
        label=_("reintegration follow-up"),
        max_length=4000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )


class GoalForm(Styled):
    goal = forms.CharField(label=_("goal"), max_length=2000, widget=forms.Textarea({"rows": 2}))
    target_on = forms.DateField(label=_("target date"), widget=DATE_WIDGET, required=False)


class GoalStatusForm(VersionForm):
    status = forms.ChoiceField(label=_("status"), choices=choose(GoalStatus.choices))


class FollowUpForm(Styled):
    due_on = forms.DateField(label=_("due on"), widget=DATE_WIDGET)
    purpose = forms.CharField(label=_("purpose"), max_length=1000, required=False)


class TransferForm(Styled):
    to_org = OrgChoiceField(Organisation.objects.none(), label=_("new owner"))
    reason = forms.CharField(label=_("reason"), max_length=2000, widget=forms.Textarea({"rows": 2}))
    # A transfer is not a referral: once accepted, the proposing organisation loses the dossier.
    confirm = forms.BooleanField(
        label=_(
            "I understand that my organisation will no longer see this dossier once the transfer "
            "is accepted."
        ),
        error_messages={"required": _("Tick the box to confirm the transfer.")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = organisations
        self.fields["confirm"].widget.attrs["class"] = "form-check-input"

    def transfer_fields(self):
        return {"to_org": self.cleaned_data["to_org"], "reason": self.cleaned_data["reason"]}


class SupportForm(Styled):
    giver = OrgChoiceField(Organisation.objects.none(), label=_("giver"), empty_label=None)
    receiver = OrgChoiceField(Organisation.objects.none(), label=_("receiver"))
    on = forms.DateField(label=_("date"), widget=DATE_WIDGET, validators=[not_future])
    kind = forms.ChoiceField(label=_("kind"), choices=choose(SupportKind.choices))
    amount_mad = forms.DecimalField(
        label=_("amount (MAD)"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    description = forms.CharField(label=_("description"), max_length=300, required=False)
    purpose = forms.CharField(label=_("purpose"), max_length=300)

    def __init__(self, *args, givers, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["giver"].queryset = givers
        self.fields["receiver"].queryset = receivers
