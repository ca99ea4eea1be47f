"""Forms about hotline reports and the public tip form. They parse what a user typed; the
writes are actions."""

import datetime

from django import forms as dj
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.cases.models import Dossier
from himaya.core.entry import EntryCheckForm
from himaya.core.models import Code
from himaya.core.shortcuts import MAX_ID, parse_id
from himaya.core.trilingual import ordered_by
from himaya.people.forms import (
    CodeField,
    OrgChoiceField,
    SafeMultipleChoiceField,
    acting_org_field,
    identity_values,
)
from himaya.people.validators import NAME_MAX, arabic_script, latin_script

from . import actions
from .models import (
    OPERATOR_CHANNELS,
    SHARE_OUTCOMES,
    CallerType,
    Channel,
    Hold,
    Outcome,
    Status,
    Urgency,
    day_in_range,
)

DATETIME_WIDGET = dj.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = dj.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def style(form, small=False):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, dj.RadioSelect | dj.CheckboxInput | dj.HiddenInput):
            continue
        if isinstance(widget, dj.Select):
            css = "form-select" + (" form-select-sm" if small else "")
        else:
            css = "form-control" + (" form-control-sm" if small else "")
        widget.attrs.setdefault("class", css)


def text_field(label, limit, rows=3, required=False, **kwargs):
    return dj.CharField(
        label=label,
        max_length=limit,
        required=required,
        widget=dj.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class FormsField(SafeMultipleChoiceField):
    """Forms of exploitation, labelled with their parent: "forced labour › forced begging"."""

    def label_from_instance(self, obj):
        return " › ".join(c.label for c in reversed(obj.ancestors_and_self()))


def form_codes():
    return Code.objects.of("exploitation_form").select_related("parent__parent")


def share_organisations(outcome):
    types = (
        SHARE_OUTCOMES[outcome]
        if outcome
        else (SHARE_OUTCOMES[Outcome.POLICE] | SHARE_OUTCOMES[Outcome.NGO])
    )
    return ordered_by(Organisation.objects.filter(active=True, type__code__in=types), "name", "pk")


class ReportForm(dj.Form):
    """A report taken by an operator, most often during the call: what decides the response
    (channel, caller, urgency) first."""

    channel = dj.ChoiceField(
        label=_("channel"),
        choices=[(c.value, c.label) for c in OPERATOR_CHANNELS],
        initial=Channel.CALL,
        widget=dj.RadioSelect,
    )
    caller_type = dj.ChoiceField(
        label=_("caller"),
        choices=CallerType.choices,
        initial=CallerType.ANONYMOUS,
        widget=dj.RadioSelect,
    )
    # No default: the operator says it, a hurried report is never "normal" by omission.
    urgency = dj.ChoiceField(label=_("urgency"), choices=Urgency.choices, widget=dj.RadioSelect)
    narrative = text_field(
        _("what happened"), actions.TEXT_LIMITS["narrative"], rows=6, required=True
    )
    received_at = dj.DateTimeField(
        label=_("received"),
        widget=DATETIME_WIDGET,
        help_text=_("Now, unless the report was taken earlier."),
    )
    language = CodeField(Code.objects.none(), label=_("language of the caller"), required=False)
    region = CodeField(Code.objects.none(), label=_("region"), required=False)
    city = dj.CharField(
        label=_("city or place"), max_length=actions.TEXT_LIMITS["city"], required=False
    )
    forms = FormsField(
        Code.objects.none(),
        label=_("suspected forms of exploitation"),
        required=False,
        widget=dj.SelectMultiple(attrs={"size": 6}),
    )
    possible_victims = text_field(
        _("possible victims"),
        actions.TEXT_LIMITS["possible_victims"],
        rows=2,
        help_text=_("Who may be a victim: names if given, number, ages, where they are."),
    )
    suspects = text_field(
        _("suspects"),
        actions.TEXT_LIMITS["suspects"],
        rows=2,
        help_text=_("Who may be exploiting them: names, descriptions, vehicles, places."),
    )
    reporter_contact = dj.CharField(
        label=_("how to reach the reporter"),
        max_length=actions.TEXT_LIMITS["reporter_contact"],
        required=False,
        help_text=_("Only if the reporter agrees, and when it is safe to call back."),
    )

    def __init__(self, *args, org_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        if org_ids is not None:
            self.fields["organisation"] = acting_org_field(org_ids, label=_("hotline"))
        self.fields["language"].queryset = Code.objects.of("language")
        self.fields["region"].queryset = Code.objects.of("region")
        self.fields["forms"].queryset = form_codes()
        style(self)

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now() + actions.CLOCK_SKEW:
            raise dj.ValidationError(_("This time is in the future."), code="future")
        return value

    def report_fields(self):
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        data.pop("version", None)
        for name, field in self.fields.items():
            if field.disabled:  # shown, not changed
                data.pop(name, None)
        data["forms"] = list(data["forms"])
        return data

    @staticmethod
    def initial_for(report):
        initial = {
            f: getattr(report, f)
            for f in (
                "channel",
                "caller_type",
                "urgency",
                "narrative",
                "city",
                "possible_victims",
                "suspects",
                "reporter_contact",
                "version",
            )
        }
        initial["received_at"] = timezone.localtime(report.received_at)
        initial["language"] = report.language_id
        initial["region"] = report.region_id
        initial["forms"] = [c.pk for c in report.forms.all()]
        return initial


class ReportEditForm(ReportForm):
    version = dj.IntegerField(widget=dj.HiddenInput, min_value=1, max_value=MAX_ID)

    def __init__(self, *args, web_tip=False, **kwargs):
        super().__init__(*args, **kwargs)
        if web_tip:
            # A web tip keeps its channel and the time it arrived: shown, not editable.
            self.fields["channel"].choices = [(Channel.WEB_TIP.value, Channel.WEB_TIP.label)]
            self.fields["channel"].disabled = True
            self.fields["received_at"].disabled = True


# --- triage ----------------------------------------------------------------------------------


class TriageBase(dj.Form):
    """One form per kind of outcome, each with its own button, so the page works without
    JavaScript; ``kind`` says which one was posted."""

    kind = None
    version = dj.IntegerField(widget=dj.HiddenInput, min_value=1, max_value=MAX_ID)
    note = text_field(_("triage note"), actions.NOTE_MAX, rows=2, required=False)

    def __init__(self, *args, user=None, **kwargs):
        kwargs.setdefault("prefix", self.kind)
        super().__init__(*args, **kwargs)
        self.user = user
        style(self)

    def action_kwargs(self):
        data = dict(self.cleaned_data)
        return {"expected_version": data.pop("version"), **data}


class DossierTriageForm(EntryCheckForm, TriageBase):
    kind = "dossier"
    given_name_ar = dj.CharField(
        label=_("given name (Arabic script)"),
        required=False,
        max_length=NAME_MAX,
        validators=[arabic_script],
    )
    family_name_ar = dj.CharField(
        label=_("family name (Arabic script)"),
        required=False,
        max_length=NAME_MAX,
        validators=[arabic_script],
    )
    given_name_lat = dj.CharField(
        label=_("given name (Latin script)"),
        required=False,
        max_length=NAME_MAX,
        validators=[latin_script],
    )
    family_name_lat = dj.CharField(
        label=_("family name (Latin script)"),
        required=False,
        max_length=NAME_MAX,
        validators=[latin_script],
    )
    sex = CodeField(Code.objects.none(), label=_("sex"), required=False)
    estimated_age = dj.IntegerField(
        label=_("estimated age"), required=False, min_value=0, max_value=120
    )
    forms = FormsField(
        Code.objects.none(),
        label=_("forms of exploitation of the dossier"),
        required=False,
        widget=dj.SelectMultiple(attrs={"size": 5}),
        help_text=_("Those of the report when none is chosen."),
    )
    dossier = dj.CharField(
        label=_("or link to an existing dossier (reference)"),
        required=False,
        max_length=32,
        help_text=_("A dossier your organisation holds, e.g. a caller already followed."),
    )

    NAME_FIELDS = ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].queryset = Code.objects.of("sex")
        self.fields["forms"].queryset = form_codes()
        self.order_fields(["version", *self.NAME_FIELDS, "sex", "estimated_age", "forms"])

    def clean_dossier(self):
        reference = self.cleaned_data["dossier"].strip().upper()
        if not reference:
            return None
        dossier = Dossier.objects.writable_by(self.user).filter(reference=reference).first()
        if dossier is None:
            raise dj.ValidationError(_("No dossier of your organisation has this reference."))
        return dossier

    def clean(self):
        data = super().clean()
        named = any(data.get(f) for f in self.NAME_FIELDS)
        pending = any(f in self.errors for f in (*self.NAME_FIELDS, "dossier"))
        if not named and not data.get("dossier") and not pending:
            raise dj.ValidationError(
                _("Give the person's name, or the reference of an existing dossier.")
            )
        return data

    def identity(self):
        """What the duplicate check compares of the new person (None: an existing dossier)."""
        if self.cleaned_data.get("dossier"):
            return None
        estimated = self.cleaned_data.get("estimated_age")
        return identity_values(
            {
                **{f: self.cleaned_data[f].strip() for f in self.NAME_FIELDS},
                "sex": self.cleaned_data.get("sex"),
                "estimated_age": estimated,
                "estimated_on": timezone.localdate() if estimated is not None else None,
                "birth_date_precision": "estimated" if estimated is not None else "unknown",
            }
        )

    def action_kwargs(self):
        data = dict(self.cleaned_data)
        for name in ("entry_confirmed", "send_to_desk", "desk_reason"):
            data.pop(name, None)
        person = {f: data.pop(f).strip() for f in self.NAME_FIELDS}
        person["sex"] = data.pop("sex")
        person["estimated_age"] = data.pop("estimated_age")
        forms_ = list(data.pop("forms"))
        dossier = data.pop("dossier")
        return {
            "expected_version": data["version"],
            "note": data["note"],
            "dossier": dossier,
            "person": None if dossier else person,
            "forms": forms_ or None,
        }


class ShareTriageForm(TriageBase):
    outcome = None
    organisation = OrgChoiceField(Organisation.objects.none(), label=_("organisation"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = share_organisations(self.outcome)
        self.order_fields(["version", "organisation", "note"])


class PoliceTriageForm(ShareTriageForm):
    kind = "police"
    outcome = Outcome.POLICE


class NgoTriageForm(ShareTriageForm):
    kind = "ngo"
    outcome = Outcome.NGO


CLOSING_OUTCOMES = [Outcome.INFORMATION, Outcome.NOT_TRAFFICKING, Outcome.SPAM]


class CloseTriageForm(TriageBase):
    kind = "close"
    outcome = dj.ChoiceField(
        label=_("outcome"),
        choices=[(o.value, o.label) for o in CLOSING_OUTCOMES],
        widget=dj.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["version", "outcome", "note"])


TRIAGE_FORMS = {
    f.kind: f for f in (DossierTriageForm, PoliceTriageForm, NgoTriageForm, CloseTriageForm)
}
KIND_OUTCOME = {"dossier": Outcome.OPEN_DOSSIER, "police": Outcome.POLICE, "ngo": Outcome.NGO}


class NoteForm(dj.Form):
    text = text_field(_("note"), actions.ADDITION_MAX, rows=3, required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="note", **kwargs)
        style(self)


class ShareForm(dj.Form):
    organisation = OrgChoiceField(Organisation.objects.none(), label=_("organisation"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="share", **kwargs)
        self.fields["organisation"].queryset = share_organisations(None)
        style(self)


class ReportFilterForm(dj.Form):
    status = dj.ChoiceField(
        label=_("status"), required=False, choices=[("", "---------"), *Status.choices]
    )
    outcome = dj.ChoiceField(
        label=_("outcome"), required=False, choices=[("", "---------"), *Outcome.choices]
    )
    channel = dj.ChoiceField(
        label=_("channel"), required=False, choices=[("", "---------"), *Channel.choices]
    )
    urgency = dj.ChoiceField(
        label=_("urgency"), required=False, choices=[("", "---------"), *Urgency.choices]
    )
    region = CodeField(Code.objects.none(), label=_("region"), required=False)
    start = dj.DateField(
        label=_("received from"), required=False, widget=DATE_WIDGET, validators=[day_in_range]
    )
    end = dj.DateField(
        label=_("received until"), required=False, widget=DATE_WIDGET, validators=[day_in_range]
    )
    # Empty: the triage queue (and everything triaged); a reason: the tips held for it.
    held = dj.ChoiceField(
        label=_("queue"),
        required=False,
        choices=[("", _("triage queue")), *Hold.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Code.objects.of("region")
        style(self, small=True)

    def valid_data(self):
        """The filters that parsed; bad values are shown as errors and ignored."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}


class HeldReviewForm(dj.Form):
    """Held web tips ticked on the held queue, and what to do with all of them."""

    DISMISS, ACCEPT = "dismiss", "accept"

    reports = dj.TypedMultipleChoiceField(
        label=_("held tips"),
        coerce=int,
        error_messages={"required": _("Tick at least one held tip.")},
    )
    decision = dj.ChoiceField(
        label=_("decision"),
        choices=[(DISMISS, _("Dismiss as spam")), (ACCEPT, _("Accept into the triage queue"))],
        error_messages={"required": _("Choose to dismiss or to accept.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any well-formed id is a choice: tips a colleague reviewed meanwhile, or that the user
        # may not see, are skipped by the action, not reported as a form error.
        self.fields["reports"].valid_value = lambda value: parse_id(value) is not None

    def clean_reports(self):
        return sorted(set(self.cleaned_data["reports"]))


class FiguresForm(dj.Form):
    start = dj.DateField(
        label=_("from"), required=False, widget=DATE_WIDGET, validators=[day_in_range]
    )
    end = dj.DateField(
        label=_("until"), required=False, widget=DATE_WIDGET, validators=[day_in_range]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self, small=True)

    def period(self):
        """(start, end) asked, the current year by default; bad values fall back to it."""
        today = timezone.localdate()
        start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
        if self.is_valid():
            start = self.cleaned_data.get("start") or start
            end = self.cleaned_data.get("end") or end
            if end < start:
                self.add_error("end", _("The end comes before the start."))
                start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
        return start, end


# --- the public forms --------------------------------------------------------------------------


class HoneypotMixin(dj.Form):
    """A field people never see (moved off screen by a CSS class, out of the tab order) and
    simple bots fill in. Filled, the submission is answered as if accepted and dropped."""

    website = dj.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=dj.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))


DANGER_CHOICES = [
    ("yes", _("Yes, someone is in danger right now")),
    ("unsure", _("I do not know")),
    ("no", _("No")),
]
DANGER_URGENCY = {"yes": Urgency.IMMEDIATE, "unsure": Urgency.URGENT, "no": Urgency.NORMAL}


class TipForm(HoneypotMixin):
    narrative = text_field(
        _("What happened?"),
        actions.TEXT_LIMITS["narrative"],
        rows=6,
        required=True,
        help_text=_("What you saw or heard, when, and anything that may help to find the place."),
    )
    danger = dj.ChoiceField(
        label=_("Is someone in danger right now?"),
        choices=DANGER_CHOICES,
        widget=dj.RadioSelect,
    )
    region = CodeField(Code.objects.none(), label=_("Region"), required=False)
    city = dj.CharField(
        label=_("City, neighbourhood or place"),
        max_length=actions.TEXT_LIMITS["city"],
        required=False,
    )
    possible_victims = text_field(
        _("Who is at risk?"),
        actions.TEXT_LIMITS["possible_victims"],
        rows=3,
        help_text=_("How many people, their age if you know it (are there children?), where."),
    )
    caller_type = dj.ChoiceField(
        label=_("You are"),
        choices=[
            (CallerType.ANONYMOUS.value, _("I prefer not to say")),
            (CallerType.VICTIM.value, _("the person at risk")),
            (CallerType.RELATIVE.value, _("a relative or friend")),
            (CallerType.WITNESS.value, _("a witness")),
            (CallerType.PROFESSIONAL.value, _("a professional (doctor, teacher, social worker…)")),
        ],
        initial=CallerType.ANONYMOUS,
        required=False,
    )
    reporter_contact = dj.CharField(
        label=_("How can we reach you? (optional)"),
        max_length=actions.TEXT_LIMITS["reporter_contact"],
        required=False,
        help_text=_(
            "A phone number or an e-mail address, only if you want us to contact you and it is "
            "safe for you. Leave it empty to stay anonymous."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Code.objects.of("region")
        self.order_fields(
            [
                "narrative",
                "danger",
                "region",
                "city",
                "possible_victims",
                "caller_type",
                "reporter_contact",
                "website",
            ]
        )
        style(self)

    def tip_fields(self):
        data = self.cleaned_data
        return {
            "narrative": data["narrative"],
            "urgency": DANGER_URGENCY[data["danger"]],
            "region": data.get("region"),
            "city": data["city"],
            "possible_victims": data["possible_victims"],
            "caller_type": data.get("caller_type") or CallerType.ANONYMOUS,
            "reporter_contact": data["reporter_contact"],
        }


class FollowUpForm(HoneypotMixin):
    code = dj.CharField(
        label=_("Your receipt code"),
        max_length=40,
        help_text=_("The code shown when you sent your report, e.g. ABCD-EFGH-JKLM-NPQR."),
        widget=dj.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "dir": "ltr"}),
    )
    # Optional: the code alone shows where the report stands.
    text = text_field(
        _("What would you like to add?"),
        actions.ADDITION_MAX,
        rows=5,
        help_text=_("Leave it empty to see only where your report stands."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["code", "text", "website"])
        style(self)

    def clean_code(self):
        code = actions.normalise_receipt(self.cleaned_data["code"])
        if code is None:
            raise dj.ValidationError(
                _("A receipt code has 16 letters and digits, e.g. ABCD-EFGH-JKLM-NPQR."),
                code="format",
            )
        return code
