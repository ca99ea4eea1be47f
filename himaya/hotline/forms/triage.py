"""The triage forms, one per kind of outcome: open a dossier, pass to the police or an NGO,
close."""

from django import forms as dj
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.cases.models import Dossier
from himaya.core.entry import EntryCheckForm
from himaya.core.models import Code
from himaya.core.shortcuts import MAX_ID
from himaya.people.forms import (
    CodeField,
    OrgChoiceField,
    identity_values,
)
from himaya.people.validators import NAME_MAX, arabic_script, latin_script

from .. import actions
from ..models import (
    Outcome,
)
from .common import (
    FormsField,
    form_codes,
    share_organisations,
    style,
    text_field,
)


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
