"""Forms about persons. They parse and validate what a user typed; the writes are actions."""

import datetime

from django import forms
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.core import codelabels
from himaya.core.choices import choose
from himaya.core.collation import sort_key
from himaya.core.entry import EntryCheckForm
from himaya.core.models import Code
from himaya.core.shortcuts import MAX_ID
from himaya.core.trilingual import reader_language
from himaya.core.widgets import Select, SelectMultiple

from .models import BirthDatePrecision, ConsentGivenBy, ConsentPurpose
from .validators import NAME_MAX, arabic_script, latin_script, phone_number

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def name_field(label, validator):
    return forms.CharField(label=label, required=False, max_length=NAME_MAX, validators=[validator])


def not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."), code="future")


def check_id(field, value):
    if value in field.empty_values:
        return
    try:
        ok = 0 < int(str(value)) <= MAX_ID
    except ValueError:
        ok = False
    if not ok:
        raise forms.ValidationError(
            field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class SafeChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        check_id(self, value)
        return super().to_python(value)


class SafeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        if isinstance(value, list | tuple):
            for item in value:
                check_id(self, item)
        return super().clean(value)


class OrgChoiceIterator(forms.models.ModelChoiceIterator):
    """Organisations by the name the reader sees, in the order of their language (the article
    and accents aside, as for the code lists), not the model's order of French names."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        lang = reader_language()
        for obj in sorted(self.queryset, key=lambda o: (sort_key(o.name, lang), o.pk)):
            yield self.choice(obj)


class OrgChoiceField(SafeChoiceField):
    iterator = OrgChoiceIterator

    def label_from_instance(self, obj):
        return obj.name


class OrgMultipleChoiceField(SafeMultipleChoiceField):
    iterator = OrgChoiceIterator

    def label_from_instance(self, obj):
        return obj.name


def acting_org_field(org_ids, label=None):
    """A choice among the organisations in which the user handles victims (first by default);
    hidden when there is only one."""
    ids = sorted(org_ids)
    field = OrgChoiceField(
        Organisation.objects.filter(pk__in=ids),
        label=label or _("acting organisation"),
        initial=ids[0] if ids else None,
        empty_label=None,
    )
    if len(ids) <= 1:
        field.widget = forms.HiddenInput()
    return field


class CodeChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices in the reader's order (countries by their name in the page's language, the
    deployment's country first), not in the order of the codes."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in codelabels.in_reading_order(self.queryset):
            yield self.choice(obj)


class CodeMultipleField(SafeMultipleChoiceField):
    iterator = CodeChoiceIterator
    widget = SelectMultiple  # options written in Python: a code list can be 250 countries

    def label_from_instance(self, obj):
        return obj.label


class CodeField(SafeChoiceField):
    iterator = CodeChoiceIterator
    widget = Select

    def label_from_instance(self, obj):
        return obj.label


def lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def identity_values(fields, documents=()):
    """What the duplicate check compares of a person being entered, as plain values."""
    contacts = fields.get("contacts") or {}
    return {
        **{f: fields.get(f) or "" for f in PersonForm.NAME_FIELDS},
        "sex": fields["sex"].code if fields.get("sex") else "",
        "birth_date": fields.get("birth_date"),
        "birth_date_precision": fields.get("birth_date_precision"),
        "estimated_age": fields.get("estimated_age"),
        "estimated_on": fields.get("estimated_on"),
        "citizenships": sorted(c.code for c in fields.get("citizenships") or ()),
        "phones": list(contacts.get("phones") or ()),
        "documents": list(documents),
    }


class PersonForm(EntryCheckForm):
    given_name_ar = name_field(_("given name (Arabic script)"), arabic_script)
    family_name_ar = name_field(_("family name (Arabic script)"), arabic_script)
    given_name_lat = name_field(_("given name (Latin script)"), latin_script)
    family_name_lat = name_field(_("family name (Latin script)"), latin_script)
    sex = CodeField(Code.objects.none(), label=_("sex"), required=False)
    birth_date_precision = forms.ChoiceField(
        label=_("birth date known as"),
        choices=BirthDatePrecision.choices,
        initial=BirthDatePrecision.UNKNOWN,
    )
    birth_date = forms.DateField(
        label=_("birth date"),
        required=False,
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_("For an exact date."),
    )
    birth_year = forms.IntegerField(
        label=_("year of birth"),
        required=False,
        min_value=1900,
        help_text=_("When only the year is known."),
    )
    estimated_age = forms.IntegerField(
        label=_("estimated age"), required=False, min_value=0, max_value=120
    )
    estimated_on = forms.DateField(
        label=_("age estimated on"), required=False, widget=DATE_WIDGET, validators=[not_future]
    )
    citizenships = CodeMultipleField(
        Code.objects.none(),
        label=_("citizenships"),
        required=False,
        widget=SelectMultiple(attrs={"size": 6}),
    )
    languages = CodeMultipleField(
        Code.objects.none(),
        label=_("languages"),
        required=False,
        widget=SelectMultiple(attrs={"size": 6}),
    )
    phones = forms.CharField(
        label=_("phone numbers"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    emails = forms.CharField(
        label=_("e-mail addresses"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    address = forms.CharField(
        label=_("address"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    NAME_FIELDS = ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat")

    def __init__(self, *args, org_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        if org_ids is not None:
            self.fields["organisation"] = acting_org_field(org_ids)
        self.fields["sex"].queryset = Code.objects.of("sex")
        self.fields["citizenships"].queryset = Code.objects.of("country")
        self.fields["languages"].queryset = Code.objects.of("language")
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("This year is in the future."), code="future")
        return year

    def clean_phones(self):
        phones = lines(self.cleaned_data["phones"])
        for phone in phones:
            phone_number(phone)
        return phones

    def clean_emails(self):
        emails = lines(self.cleaned_data["emails"])
        for email in emails:
            try:
                EmailValidator()(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(value)s” is not an e-mail address."), params={"value": email}
                ) from None
        return emails

    def clean(self):
        data = super().clean()
        if not any(data.get(f) for f in self.NAME_FIELDS) and not any(
            f in self.errors for f in self.NAME_FIELDS
        ):
            raise forms.ValidationError(_("Give at least one name, in Arabic or Latin script."))
        precision = data.get("birth_date_precision")
        needs = {
            BirthDatePrecision.EXACT: ("birth_date", _("Give the birth date.")),
            BirthDatePrecision.YEAR: ("birth_year", _("Give the year of birth.")),
            BirthDatePrecision.ESTIMATED: ("estimated_age", _("Give the estimated age.")),
        }
        if precision in needs:
            field, message = needs[precision]
            if data.get(field) is None and field not in self.errors:
                self.add_error(field, message)
        return data

    def person_fields(self):
        """The keyword arguments of the person actions."""
        data = self.cleaned_data
        precision = data["birth_date_precision"]
        birth_date = estimated_age = estimated_on = None
        if precision == BirthDatePrecision.EXACT:
            birth_date = data["birth_date"]
        elif precision == BirthDatePrecision.YEAR:
            birth_date = datetime.date(data["birth_year"], 1, 1)
        elif precision == BirthDatePrecision.ESTIMATED:
            estimated_age = data["estimated_age"]
            estimated_on = data.get("estimated_on") or timezone.localdate()
        contacts = {
            "phones": data["phones"],
            "emails": data["emails"],
            "address": data["address"].strip(),
        }
        return {
            **{f: data[f].strip() for f in self.NAME_FIELDS},
            "sex": data.get("sex"),
            "birth_date_precision": precision,
            "birth_date": birth_date,
            "estimated_age": estimated_age,
            "estimated_on": estimated_on,
            "contacts": contacts if any(contacts.values()) else None,
            "citizenships": list(data["citizenships"]),
            "languages": list(data["languages"]),
        }

    @classmethod
    def fields_of(cls, person):
        """A saved person in the shape of ``person_fields``."""
        return {
            **{f: getattr(person, f) for f in cls.NAME_FIELDS},
            "sex": person.sex,
            "birth_date_precision": person.birth_date_precision,
            "birth_date": person.birth_date,
            "estimated_age": person.estimated_age,
            "estimated_on": person.estimated_on,
            "contacts": person.contacts,
            "citizenships": list(person.citizenships.all()),
        }

    @classmethod
    def initial_for(cls, person):
        contacts = person.contacts or {}
        initial = {f: getattr(person, f) for f in cls.NAME_FIELDS}
        initial.update(
            sex=person.sex_id,
            birth_date_precision=person.birth_date_precision,
            birth_date=person.birth_date,
            estimated_age=person.estimated_age,
            estimated_on=person.estimated_on,
            birth_year=person.birth_date.year if person.birth_date else None,
            citizenships=[c.pk for c in person.citizenships.all()],
            languages=[c.pk for c in person.languages.all()],
            phones="\n".join(contacts.get("phones") or []),
            emails="\n".join(contacts.get("emails") or []),
            address=contacts.get("address") or "",
            version=person.version,
        )
        return initial


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)


class DocumentForm(forms.Form):
    type = CodeField(Code.objects.none(), label=_("type"))
    number = forms.CharField(label=_("number"), max_length=50)
    issuing_country = CodeField(Code.objects.none(), label=_("issuing country"), required=False)
    expires_on = forms.DateField(label=_("expires on"), required=False, widget=DATE_WIDGET)
    held_by_person = forms.BooleanField(label=_("held by the person"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="doc", **kwargs)
        self.fields["type"].queryset = Code.objects.of("document_type")
        self.fields["issuing_country"].queryset = Code.objects.of("country")
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-check-input"
                if name == "held_by_person"
                else "form-select"
                if isinstance(field.widget, forms.Select)
                else "form-control"
            )


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("purpose"), choices=choose(ConsentPurpose.choices))
    given_on = forms.DateField(
        label=_("given on"), widget=DATE_WIDGET, validators=[not_future], initial=timezone.localdate
    )
    given_by = forms.ChoiceField(label=_("given by"), choices=choose(ConsentGivenBy.choices))
    informed_in = CodeField(Code.objects.none(), label=_("explained in language"), required=False)

    def __init__(self, *args, org_ids=(), **kwargs):
        super().__init__(*args, prefix="consent", **kwargs)
        self.fields["organisation"] = acting_org_field(org_ids)
        self.fields["informed_in"].queryset = Code.objects.of("language")
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("name"), required=False, max_length=200)
    sex = CodeField(Code.objects.none(), label=_("sex"), required=False)
    citizenship = CodeField(Code.objects.none(), label=_("citizenship"), required=False)
    registered_by = OrgChoiceField(
        Organisation.objects.none(), label=_("registered by"), required=False
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].queryset = Code.objects.of("sex")
        self.fields["citizenship"].queryset = Code.objects.of("country")
        if organisations is not None:
            self.fields["registered_by"].queryset = organisations
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def valid_data(self):
        """The filters that parsed; bad values are shown as errors and ignored."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}
