"""Forms of the screening pages. They parse what a user typed; the writes are actions."""

from django import forms as dj
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation, User
from himaya.cases.forms import FormsField, caseworkers, form_codes, style
from himaya.core.choices import choose
from himaya.core.entry import EntryCheckForm
from himaya.core.models import Code
from himaya.core.shortcuts import MAX_ID
from himaya.core.trilingual import LANGS, TrilingualForm, form_fields, localized
from himaya.core.widgets import SelectMultiple
from himaya.people.forms import (
    DATE_WIDGET,
    CodeField,
    CodeMultipleField,
    OrgChoiceField,
    SafeChoiceField,
    acting_org_field,
    identity_values,
    name_field,
    not_future,
)
from himaya.people.validators import arabic_script, latin_script

from .actions import ALIAS_MAX, CAMPAIGN_YEARS, NOTES_MAX, PLACE_MAX
from .models import (
    Answer,
    Campaign,
    CampaignStatus,
    Dimension,
    Element,
    Questionnaire,
    QuestionnaireCode,
    Recommendation,
    ScreeningStatus,
    Strength,
    TargetGroup,
)


class QuestionnaireChoiceField(SafeChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class CampaignChoiceField(SafeChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.organisation.name})" if self.with_org else obj.name

    with_org = False


class UserChoiceField(SafeChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


def open_campaigns(org_ids):
    return (
        Campaign.objects.filter(organisation_id__in=org_ids)
        .exclude(status=CampaignStatus.CLOSED)
        .select_related("organisation")
        .order_by("-starts_on", localized("name"), "pk")
    )


class DetailsForm(dj.Form):
    """Who, when and where: the header of a screening."""

    alias = dj.CharField(
        label=_("who is screened"),
        max_length=ALIAS_MAX,
        required=False,
        help_text=_("A first name or a short description; no record is created."),
    )
    screened_on = dj.DateField(label=_("screened on"), widget=DATE_WIDGET, validators=[not_future])
    region = CodeField(Code.objects.none(), label=_("region"), required=False)
    place_detail = dj.CharField(
        label=_("place"),
        max_length=PLACE_MAX,
        required=False,
        help_text=_("Town, neighbourhood or site of the interview."),
    )
    language = CodeField(Code.objects.none(), label=_("language of the interview"), required=False)
    campaign = CampaignChoiceField(Campaign.objects.none(), label=_("campaign"), required=False)

    def __init__(self, *args, org_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Code.objects.of("region")
        self.fields["language"].queryset = Code.objects.of("language")
        self.fields["campaign"].queryset = open_campaigns(org_ids)
        self.fields["campaign"].with_org = len(set(org_ids)) > 1
        style(self)

    def details(self):
        data = dict(self.cleaned_data)
        for k in ("questionnaire", "organisation", "version"):
            data.pop(k, None)
        return data


class StartForm(DetailsForm):
    questionnaire = QuestionnaireChoiceField(
        Questionnaire.objects.none(),
        label=_("questionnaire"),
        widget=dj.RadioSelect,
        empty_label=None,
    )
    field_order = ["questionnaire"]

    def __init__(self, *args, org_ids=(), person=None, **kwargs):
        super().__init__(*args, org_ids=org_ids, **kwargs)
        self.fields["organisation"] = acting_org_field(org_ids)
        self.fields["questionnaire"].queryset = Questionnaire.objects.published().order_by("code")
        if person is not None:
            del self.fields["alias"]
        style(self)
        self.fields["questionnaire"].widget.attrs["class"] = "form-check-input"


class EditDetailsForm(DetailsForm):
    version = dj.IntegerField(widget=dj.HiddenInput, min_value=1, max_value=MAX_ID)


def step_form_class(questions):
    """A form with one yes / no / unknown question per field, named by answer key."""
    fields = {
        q.key: dj.ChoiceField(
            label=q.text,
            choices=Answer.choices,
            required=False,
            # Bootstrap's toggle buttons: the label is the big button, no script needed.
            widget=dj.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
        )
        for q in questions
    }
    return type("StepForm", (dj.Form,), fields)


class SubmitForm(dj.Form):
    notes = dj.CharField(
        label=_("observations"),
        required=False,
        max_length=NOTES_MAX,
        widget=dj.Textarea(attrs={"rows": 3}),
        help_text=_("What you saw or what the person said that the questions do not cover."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class OpenDossierForm(EntryCheckForm):
    given_name_ar = name_field(_("given name (Arabic script)"), arabic_script)
    family_name_ar = name_field(_("family name (Arabic script)"), arabic_script)
    given_name_lat = name_field(_("given name (Latin script)"), latin_script)
    family_name_lat = name_field(_("family name (Latin script)"), latin_script)
    sex = CodeField(Code.objects.none(), label=_("sex"), required=False)
    estimated_age = dj.IntegerField(
        label=_("estimated age"), required=False, min_value=0, max_value=120
    )
    citizenships = CodeMultipleField(
        Code.objects.none(),
        label=_("citizenships"),
        required=False,
        widget=SelectMultiple(attrs={"size": 5}),
    )
    forms = FormsField(
        Code.objects.none(),
        label=_("forms of exploitation"),
        required=False,
        widget=dj.SelectMultiple(attrs={"size": 6}),
    )
    caseworker = UserChoiceField(User.objects.none(), label=_("caseworker"), required=False)

    PERSON_FIELDS = ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat")

    def __init__(self, *args, organisation=None, has_person=False, **kwargs):
        super().__init__(*args, **kwargs)
        if has_person:
            for name in (*self.PERSON_FIELDS, "sex", "estimated_age", "citizenships"):
                del self.fields[name]
        else:
            self.fields["sex"].queryset = Code.objects.of("sex")
            self.fields["citizenships"].queryset = Code.objects.of("country")
        self.fields["forms"].queryset = form_codes()
        self.fields["caseworker"].queryset = caseworkers([organisation.pk] if organisation else [])
        style(self)

    def clean(self):
        data = super().clean()
        if "given_name_ar" in self.fields and not any(data.get(f) for f in self.PERSON_FIELDS):
            raise dj.ValidationError(_("Give at least one name, in Arabic or Latin script."))
        return data

    def identity(self):
        """What the duplicate check compares of the new person (None: the screening has one)."""
        if "given_name_ar" not in self.fields:
            return None
        fields = self.action_fields()
        fields.setdefault("birth_date_precision", "unknown")
        return identity_values(fields)

    def action_fields(self):
        data = dict(self.cleaned_data)
        for name in ("entry_confirmed", "send_to_desk", "desk_reason"):
            data.pop(name, None)
        data["forms"] = list(data.get("forms") or [])
        if "citizenships" in data:
            data["citizenships"] = list(data["citizenships"] or [])
        if data.get("estimated_age") is not None:
            data["estimated_on"] = timezone.localdate()
            data["birth_date_precision"] = "estimated"
        else:
            data.pop("estimated_age", None)
        return {k: v for k, v in data.items() if v not in (None, "")}


class LinkDossierForm(dj.Form):
    reference = dj.CharField(
        label=_("dossier reference"), max_length=32, help_text=_("For example HMY-2025-000123.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="link", **kwargs)
        style(self)


class ScreeningFilterForm(dj.Form):
    status = dj.ChoiceField(
        label=_("status"), required=False, choices=[("", "---------"), *ScreeningStatus.choices]
    )
    recommendation = dj.ChoiceField(
        label=_("recommendation"),
        required=False,
        choices=[("", "---------"), *Recommendation.choices],
    )
    questionnaire = dj.ChoiceField(
        label=_("questionnaire"),
        required=False,
        choices=[("", "---------"), *QuestionnaireCode.choices],
    )
    campaign = CampaignChoiceField(Campaign.objects.none(), label=_("campaign"), required=False)
    screened_from = dj.DateField(label=_("screened from"), required=False, widget=DATE_WIDGET)
    screened_to = dj.DateField(label=_("screened until"), required=False, widget=DATE_WIDGET)
    mine = dj.BooleanField(label=_("only mine"), required=False)
    without_dossier = dj.BooleanField(label=_("without a dossier"), required=False)

    def __init__(self, *args, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaigns is not None:
            self.fields["campaign"].queryset = campaigns
        style(self, small=True)
        for name in ("mine", "without_dossier"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def valid_data(self):
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}


class CampaignForm(TrilingualForm, dj.Form):
    name_ar, name_fr, name_en = form_fields("name", 200).values()
    region = CodeField(Code.objects.none(), label=_("region"))
    place = dj.CharField(
        label=_("place"),
        max_length=200,
        required=False,
        help_text=_("Towns or sites; never a person's name."),
    )
    starts_on = dj.DateField(label=_("starts on"), widget=DATE_WIDGET)
    ends_on = dj.DateField(label=_("ends on"), widget=DATE_WIDGET)
    target_group = dj.ChoiceField(label=_("target group"), choices=choose(TargetGroup.choices))
    target_other = dj.CharField(label=_("other target group"), max_length=200, required=False)
    status = dj.ChoiceField(label=_("status"), choices=choose(CampaignStatus.choices))
    description = dj.CharField(
        label=_("description"),
        max_length=5000,
        required=False,
        widget=dj.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, org_ids=(), with_organisation=False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_organisation:
            self.fields["organisation"] = acting_org_field(org_ids)
        self.fields["region"].queryset = Code.objects.of("region")
        style(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The campaign cannot end before it starts."))
        if start and abs(start.year - timezone.localdate().year) > CAMPAIGN_YEARS:
            self.add_error("starts_on", _("Check the year."))
        return data

    def campaign_fields(self):
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        data.pop("version", None)
        return data

    @staticmethod
    def initial_for(campaign):
        initial = {
            f: getattr(campaign, f)
            for f in (
                *(f"name_{code}" for code in LANGS),
                "place",
                "starts_on",
                "ends_on",
                "target_group",
                "target_other",
                "status",
                "description",
            )
        }
        initial["region"] = campaign.region_id
        initial["version"] = campaign.version
        return initial


class CampaignEditForm(CampaignForm):
    version = dj.IntegerField(widget=dj.HiddenInput, min_value=1, max_value=MAX_ID)


class CampaignFilterForm(dj.Form):
    status = dj.ChoiceField(
        label=_("status"), required=False, choices=[("", "---------"), *CampaignStatus.choices]
    )
    target_group = dj.ChoiceField(
        label=_("target group"),
        required=False,
        choices=[("", "---------"), *TargetGroup.choices],
    )
    region = CodeField(Code.objects.none(), label=_("region"), required=False)
    organisation = OrgChoiceField(
        Organisation.objects.none(), label=_("organisation"), required=False
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Code.objects.of("region")
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
        style(self, small=True)

    def valid_data(self):
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}


class YearForm(dj.Form):
    year = dj.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self, small=True)

    def chosen_year(self):
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


class QuestionnaireForm(dj.Form):
    title_ar = dj.CharField(label=_("title (Arabic)"), max_length=200)
    title_fr = dj.CharField(label=_("title (French)"), max_length=200)
    title_en = dj.CharField(label=_("title (English)"), max_length=200)
    intro_ar = dj.CharField(
        label=_("instructions (Arabic)"), required=False, widget=dj.Textarea(attrs={"rows": 3})
    )
    intro_fr = dj.CharField(
        label=_("instructions (French)"), required=False, widget=dj.Textarea(attrs={"rows": 3})
    )
    intro_en = dj.CharField(
        label=_("instructions (English)"), required=False, widget=dj.Textarea(attrs={"rows": 3})
    )
    source = dj.CharField(
        label=_("source"), required=False, widget=dj.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
        for lang in ("ar",):
            for name in (f"title_{lang}", f"intro_{lang}"):
                self.fields[name].widget.attrs.update({"dir": "rtl", "lang": "ar"})


class QuestionForm(dj.Form):
    dimension = dj.ChoiceField(label=_("dimension"), choices=choose(Dimension.choices))
    indicator = dj.SlugField(
        label=_("indicator key"),
        max_length=64,
        help_text=_("Short key of the indicator, unique within its dimension."),
    )
    indicator_en = dj.CharField(
        label=_("indicator (ILO/EC wording)"), max_length=200, required=False
    )
    strength = dj.ChoiceField(label=_("strength"), choices=choose(Strength.choices))
    element = dj.ChoiceField(label=_("Palermo element"), choices=choose(Element.choices))
    order = dj.IntegerField(label=_("order"), min_value=0, max_value=100000)
    text_ar = dj.CharField(
        label=_("question (Arabic)"), max_length=1000, widget=dj.Textarea(attrs={"rows": 2})
    )
    text_fr = dj.CharField(
        label=_("question (French)"), max_length=1000, widget=dj.Textarea(attrs={"rows": 2})
    )
    text_en = dj.CharField(
        label=_("question (English)"), max_length=1000, widget=dj.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
        self.fields["text_ar"].widget.attrs.update({"dir": "rtl", "lang": "ar"})

    @staticmethod
    def initial_for(question):
        return {
            f: getattr(question, f)
            for f in (
                "dimension",
                "indicator",
                "indicator_en",
                "strength",
                "element",
                "order",
                "text_ar",
                "text_fr",
                "text_en",
            )
        }
