"""Forms of the justice pages. They parse what a user typed; the writes and their rules are
the actions'."""

from django import forms as dj
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.cases.forms import FormChoiceField, FormsField, form_codes
from himaya.core import access
from himaya.core.models import Code
from himaya.people.forms import (
    DATE_WIDGET,
    CodeField,
    OrgChoiceField,
    SafeChoiceField,
    acting_org_field,
    name_field,
    not_future,
)
from himaya.people.models import BirthDatePrecision
from himaya.people.validators import arabic_script, latin_script

from .actions import (
    CONFIRM_ORDER,
    COURT_NAME_MAX,
    MAX_COUNT,
    MAX_MONTHS,
    NAME_MAX,
    ORDER_WARNED,
    PLACE_MAX,
    TRANSFER_ASKED,
)
from .legal import article_choices
from .models import (
    EXTERNAL_REF_MAX,
    AppealBy,
    AppealOutcome,
    EventKind,
    Instance,
    InvestigationStatus,
    Outcome,
    ParticipationRole,
    ProtectionMeasure,
)


def style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, dj.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, dj.CheckboxSelectMultiple):
            continue
        elif isinstance(widget, dj.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


def date_field(label, required=True):
    return dj.DateField(label=label, required=required, widget=DATE_WIDGET, validators=[not_future])


def orgs_of_type(types):
    return Organisation.objects.filter(active=True, type__code__in=types)


class ChoiceOf(SafeChoiceField):
    """A choice among given records, labelled by a function."""

    def __init__(self, queryset, labeller=str, **kwargs):
        self.labeller = labeller
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj):
        return self.labeller(obj)


class StyledForm(dj.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


def _asked(box, error):
    """The ``asked`` an action's question under ``box`` carries (``confirmations.asked``), or
    None."""
    if isinstance(error, dict):
        error = error.get(box)
    for e in ValidationError(error).error_list if error is not None else ():
        if e.code == box and e.params:
            return next(iter(e.params.values()))
    return None


class Confirms(StyledForm):
    """A form whose action may ask a question the user confirms with a box (``box``): the box
    is shown, unticked, with what it confirms (``asked``, hidden; see ``confirmations.asked``), so
    that a tick confirms what the user was shown and a submit that asks something else (a
    date or a court changed meanwhile) is asked again. Once ticked the box stays shown while
    the form comes back. ``cleaned_data[box]`` is what the action takes: what was asked and
    confirmed, or False."""

    box, asked = None, None
    box_attrs = {"class": "form-check-input"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.box] = self.fields.pop(self.box)  # last, below what it confirms
        if self.is_bound and self.fields[self.box].clean(self[self.box].value() or False):
            self._show_box()

    def _show_box(self):
        self.fields[self.box].widget = dj.CheckboxInput(attrs=self.box_attrs)

    def clean(self):
        data = super().clean()
        if self.box in self.fields:
            asked = data.pop(self.asked, "")
            data[self.box] = (data.get(self.box) and asked) or False
        return data

    def add_error(self, field, error):
        if field == self.box or (isinstance(error, dict) and self.box in error):
            self._show_box()
            asked = _asked(self.box, error)
            if asked is not None:
                # the question asked now: what it is about, the box unticked until confirmed
                self.data = self.data.copy()
                self.data.pop(self.box, None)
                self.data[self.asked] = asked
        super().add_error(field, error)


class ConfirmsOrder(Confirms):
    """A form whose action may meet an order of dates that registers record (an arrest in
    flagrante, a suspect named in a complaint, a prosecution seized directly: before the
    investigation's recorded opening): the action's warning (``actions.order_confirmed``)
    shows the box, required, with the warnings it confirms."""

    box, asked = CONFIRM_ORDER, ORDER_WARNED
    box_attrs = {"class": "form-check-input", "required": True}
    confirm_order = dj.BooleanField(
        label=_("I confirm this order of dates as the register records it"),
        required=False,
        widget=dj.HiddenInput,
    )
    order_warned = dj.CharField(required=False, max_length=64, widget=dj.HiddenInput)


class InvestigationForm(StyledForm):
    opened_on = date_field(_("opened on"))
    region = CodeField(Code.objects.none(), label=_("region"), required=False)
    forms = FormsField(form_codes(), label=_("forms of exploitation suspected"), required=False)
    external_ref = dj.CharField(
        label=_("external reference"),
        max_length=EXTERNAL_REF_MAX,
        required=False,
        help_text=_("The case number in your own register, if any."),
    )

    def __init__(self, *args, org_ids=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("opened_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = acting_org_field(
            org_ids, label=_("investigating organisation")
        )
        self.fields["region"].queryset = Code.objects.of("region")
        self.fields["forms"].queryset = form_codes()
        self.order_fields(["organisation", "opened_on", "region", "forms", "external_ref"])
        style(self)


class InvestigationEditForm(ConfirmsOrder):
    opened_on = date_field(_("opened on"))
    region = CodeField(Code.objects.none(), label=_("region"), required=False)
    forms = FormsField(form_codes(), label=_("forms of exploitation suspected"), required=False)
    version = dj.IntegerField(widget=dj.HiddenInput, min_value=1, max_value=2**31)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Code.objects.of("region")
        self.fields["forms"].queryset = form_codes()


class InvestigationFilterForm(dj.Form):
    """The investigation list's filters: codes, ids, dates and a reference (never a name), so
    they travel in the address like the list's other links."""

    reference = dj.CharField(label=_("reference"), required=False, max_length=32)
    status = dj.ChoiceField(
        label=_("status"), choices=[("", _("all")), *InvestigationStatus.choices], required=False
    )
    opened_from = dj.DateField(label=_("opened from"), required=False, widget=DATE_WIDGET)
    opened_to = dj.DateField(label=_("opened until"), required=False, widget=DATE_WIDGET)
    region = CodeField(Code.objects.none(), label=_("region"), required=False)
    form = FormChoiceField(Code.objects.none(), label=_("form of exploitation"), required=False)
    organisation = OrgChoiceField(
        Organisation.objects.none(), label=_("organisation"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Code.objects.of("region")
        self.fields["form"].queryset = form_codes()
        # Investigating organisations and prosecution offices: the organisations an
        # investigation is held by or transferred to (public names, not a record).
        self.fields["organisation"].queryset = orgs_of_type(access.INVESTIGATING_ORG_TYPES)
        style(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("opened_from"), data.get("opened_to")
        if start and end and start > end:
            self.add_error("opened_to", _("This date is before the “opened from” date."))
        return data

    def valid_data(self):
        """The filters that parsed; a bad value is shown as an error beside its field and
        ignored, the others still apply."""
        self.is_valid()
        return {
            k: v for k, v in getattr(self, "cleaned_data", {}).items() if v and k not in self.errors
        }


class LinkDossierForm(StyledForm):
    reference = dj.CharField(
        label=_("dossier reference"),
        max_length=32,
        help_text=_("The reference of a victim's dossier that you see, e.g. HMY-2026-000012."),
    )


class SuspectForm(ConfirmsOrder):
    given_name_ar = name_field(_("given name (Arabic script)"), arabic_script)
    family_name_ar = name_field(_("family name (Arabic script)"), arabic_script)
    given_name_lat = name_field(_("given name (Latin script)"), latin_script)
    family_name_lat = name_field(_("family name (Latin script)"), latin_script)
    sex = CodeField(Code.objects.none(), label=_("sex"), required=False)
    birth_date_precision = dj.ChoiceField(
        label=_("birth date known as"),
        choices=BirthDatePrecision.choices,
        initial=BirthDatePrecision.UNKNOWN,
    )
    birth_date = date_field(_("birth date"), required=False)
    citizenship = CodeField(Code.objects.none(), label=_("citizenship"), required=False)
    role_in_process = CodeField(Code.objects.none(), label=_("role in the process"), required=False)
    public_official = dj.BooleanField(label=_("public official"), required=False)
    official_body_type = CodeField(
        Code.objects.none(), label=_("kind of public body"), required=False
    )
    official_body = dj.CharField(
        label=_("body the official belongs to"),
        max_length=NAME_MAX,
        required=False,
        help_text=_("Its name as you know it, e.g. the commune or the unit."),
    )
    diplomatic_immunity = dj.BooleanField(label=_("diplomatic immunity"), required=False)
    added_on = date_field(_("identified on"))
    # Set with the duplicate hint (``identities.hint_asked``): submitted again, the form
    # confirms a new suspect against the candidates it was shown.
    confirm_new = dj.CharField(widget=dj.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("added_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["sex"].queryset = Code.objects.of("sex")
        self.fields["citizenship"].queryset = Code.objects.of("country")
        self.fields["role_in_process"].queryset = Code.objects.of("role_in_process")
        self.fields["official_body_type"].queryset = Code.objects.of("public_body")


class SuspectEditForm(SuspectForm):
    version = dj.IntegerField(widget=dj.HiddenInput, min_value=1, max_value=2**31)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["added_on"]
        del self.fields["confirm_new"]
        del self.fields[CONFIRM_ORDER]
        del self.fields[ORDER_WARNED]


class LinkReportForm(StyledForm):
    reference = dj.CharField(
        label=_("hotline report reference"),
        max_length=32,
        help_text=_("The reference of a hotline report passed to your organisation."),
    )


class EventForm(ConfirmsOrder):
    kind = dj.ChoiceField(label=_("event"), choices=[("", "---------"), *EventKind.choices])
    on = date_field(_("date"))
    place = dj.CharField(label=_("place"), max_length=PLACE_MAX, required=False)

    def __init__(self, *args, suspects=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["suspect"] = ChoiceOf(suspects, lambda s: s.display_name, label=_("suspect"))
        self.order_fields(["suspect", "kind", "on", "place", CONFIRM_ORDER])
        style(self)


class TransferForm(StyledForm):
    office = OrgChoiceField(
        orgs_of_type(access.PROSECUTING_ORG_TYPES), label=_("prosecution office")
    )
    on = date_field(_("date"))

    def __init__(self, *args, exclude_org=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = orgs_of_type(access.PROSECUTING_ORG_TYPES).exclude(
            pk=exclude_org
        )


class ReturnForm(StyledForm):
    reason = dj.CharField(
        label=_("why the investigation is sent back"),
        widget=dj.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The investigators read it on the investigation's page."),
    )
    on = date_field(_("date"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class CloseForm(StyledForm):
    on = date_field(_("date"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ProsecutionForm(ConfirmsOrder):
    started_on = date_field(_("prosecution started on"))
    court = OrgChoiceField(
        orgs_of_type(access.COURT_ORG_TYPES), label=_("court seized"), required=False
    )

    def __init__(self, *args, suspects=(), org_ids=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("started_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["suspect"] = ChoiceOf(suspects, lambda s: s.display_name, label=_("defendant"))
        self.fields["office"] = acting_org_field(org_ids, label=_("prosecution office"))
        self.fields["court"].queryset = orgs_of_type(access.COURT_ORG_TYPES)
        self.order_fields(["office", "suspect", "started_on", "court", CONFIRM_ORDER])
        style(self)


def charge_label(charge):
    """A charge as a list offers it: its article and form, and its count number when the
    prosecution has several of them (two victims)."""
    label = f"{charge.article_label} · {charge.form.label}"
    if charge.count != 1:
        label += f" · {_('count number')} {charge.count}"
    return label


class ChargeForm(StyledForm):
    article = dj.ChoiceField(label=_("legal article"), choices=())
    form = FormChoiceField(form_codes(), label=_("form of exploitation"))
    count = dj.IntegerField(
        label=_("count number"),
        min_value=1,
        max_value=MAX_COUNT,
        initial=1,
        required=False,
        help_text=_(
            "Two counts of the same article and form (two victims) are two charges: number "
            "them 1, 2…"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", "---------"), *article_choices()]
        self.fields["form"].queryset = form_codes()


class DecisionForm(Confirms):
    box, asked = "confirm_transfer", TRANSFER_ASKED
    outcome = dj.ChoiceField(label=_("decision"), choices=[("", "---------"), *Outcome.choices])
    decided_on = date_field(_("decided on"))
    instance = dj.ChoiceField(label=_("instance"), choices=Instance.choices, initial="first")
    court = OrgChoiceField(
        orgs_of_type(access.COURT_ORG_TYPES),
        label=_("court"),
        required=False,
        help_text=_("The court seized by default."),
    )
    court_name = dj.CharField(
        label=_("court (if not listed)"), max_length=COURT_NAME_MAX, required=False
    )
    requalified_as = dj.ChoiceField(label=_("requalified as"), choices=(), required=False)
    # Shown, as a box to tick, once the action asks whether the case was transferred (a
    # first-instance decision by another court than the one seized).
    confirm_transfer = dj.BooleanField(
        label=_("The case was transferred to this court: record the transfer of jurisdiction"),
        required=False,
        widget=dj.HiddenInput,
    )
    transfer_asked = dj.CharField(required=False, max_length=64, widget=dj.HiddenInput)

    def __init__(self, *args, charges=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("decided_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["charge"] = ChoiceOf(charges, charge_label, label=_("charge"))
        self.fields["court"].queryset = orgs_of_type(access.COURT_ORG_TYPES)
        self.fields["requalified_as"].choices = [("", "---------"), *article_choices()]
        self.order_fields(["charge", "outcome", "decided_on", "instance", "court", "court_name"])
        style(self)


class SentenceForm(StyledForm):
    prison_months = dj.IntegerField(
        label=_("prison (months)"), min_value=0, max_value=MAX_MONTHS, initial=0
    )
    suspended_months = dj.IntegerField(
        label=_("of which suspended (months)"), min_value=0, max_value=MAX_MONTHS, initial=0
    )
    fine_mad = dj.DecimalField(
        label=_("fine (MAD)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )

    def __init__(self, *args, decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"] = ChoiceOf(
            decisions,
            lambda d: f"{charge_label(d.charge)} · {d.decided_on:%Y-%m-%d}",
            label=_("conviction"),
        )
        self.order_fields(["decision", "prison_months", "suspended_months", "fine_mad"])
        style(self)


class AppealForm(StyledForm):
    lodged_on = date_field(_("lodged on"))
    lodged_by = dj.ChoiceField(label=_("lodged by"), choices=[("", "---------"), *AppealBy.choices])


class AppealDecisionForm(StyledForm):
    outcome = dj.ChoiceField(
        label=_("outcome"),
        choices=[("", "---------")]
        + [c for c in AppealOutcome.choices if c[0] != AppealOutcome.PENDING],
    )
    decided_on = date_field(_("decided on"))


class ParticipationForm(StyledForm):
    role = dj.ChoiceField(label=_("role"), choices=[("", "---------"), *ParticipationRole.choices])
    protection_asked = dj.MultipleChoiceField(
        label=_("protection measures asked"),
        choices=ProtectionMeasure.choices,
        required=False,
        widget=dj.CheckboxSelectMultiple,
    )
    protection_granted = dj.MultipleChoiceField(
        label=_("protection measures granted"),
        choices=ProtectionMeasure.choices,
        required=False,
        widget=dj.CheckboxSelectMultiple,
    )
    compensation_mad = dj.DecimalField(
        label=_("compensation ordered (MAD)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
    )

    def __init__(self, *args, dossiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossier"] = ChoiceOf(
            dossiers, lambda d: d.reference, label=_("victim's dossier")
        )
        self.order_fields(["dossier", "role"])
        style(self)
