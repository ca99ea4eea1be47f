"""Names of records in the deployment's languages (Arabic, French, English): a shelter, a
screening campaign, an indicator's source. Each is typed once per language; the reader sees it in
their own language, else in the nearest one given (a Latin-script reader gets French or English
before Arabic, an Arabic reader French before English).

`TrilingualName` is the abstract model for records named this way; `in_language` reads any
``<field>_ar/_fr/_en`` trio (Organisation, Code labels and the plan's titles follow the same
shape); `ordered_by` sorts a queryset by the name the reader sees."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGS = ("ar", "fr", "en")
NAME_MAX = 200
# The fields' verbose names, per language: "name (Arabic)"...
LABELS = {
    "name": {"ar": _("name (Arabic)"), "fr": _("name (French)"), "en": _("name (English)")},
    "city": {"ar": _("city (Arabic)"), "fr": _("city (French)"), "en": _("city (English)")},
    "source": {
        "ar": _("source (Arabic)"),
        "fr": _("source (French)"),
        "en": _("source (English)"),
    },
}


def reader_language(lang=None):
    lang = (lang or get_language() or settings.LANGUAGE_CODE)[:2]
    return lang if lang in LANGS else LANGS[0]


def fallback_order(lang=None):
    """The reader's language first, then the nearest ones."""
    lang = reader_language(lang)
    return {"ar": ("ar", "fr", "en"), "fr": ("fr", "en", "ar"), "en": ("en", "fr", "ar")}[lang]


def in_language(obj, field, lang=None):
    """``obj.<field>_<lang>`` for the reader, or the nearest language given; "" if none is."""
    for code in fallback_order(lang):
        value = getattr(obj, f"{field}_{code}", "") or ""
        if value.strip():
            return value
    return ""


def localized(field, lang=None):
    """The database expression of what ``in_language`` reads (``field`` may be a lookup path,
    "facility__name"): for ordering and filtering."""
    return Coalesce(
        *[NullIf(f"{field}_{code}", Value("")) for code in fallback_order(lang)],
        Value(""),
        output_field=models.CharField(),
    )


def ordered_by(queryset, field="name", *then):
    """``queryset`` sorted by the name its reader sees."""
    return queryset.order_by(localized(field).asc(), *then)


def search_q(field, text):
    """Records whose name contains ``text`` in any of the languages."""
    q = models.Q()
    for code in LANGS:
        q |= models.Q(**{f"{field}_{code}__icontains": text})
    return q


def require_one(values, field="name"):
    """A ValidationError on the reader's field unless at least one language is given."""
    if not any((values.get(f"{field}_{code}") or "").strip() for code in LANGS):
        raise ValidationError(
            {
                f"{field}_{reader_language()}": _("Give it in at least one language.")
                if field != "name"
                else _("Give the name in at least one language.")
            }
        )


def form_order(field="name", lang=None):
    """The form fields of a trio, the reader's language first."""
    return [f"{field}_{code}" for code in fallback_order(lang)]


class TrilingualName(models.Model):
    """A record named in Arabic, French and English; at least one is required."""

    name_ar = models.CharField(LABELS["name"]["ar"], max_length=NAME_MAX, blank=True)
    name_fr = models.CharField(LABELS["name"]["fr"], max_length=NAME_MAX, blank=True)
    name_en = models.CharField(LABELS["name"]["en"], max_length=NAME_MAX, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_language(self, "name")

    def name_in(self, lang):
        return in_language(self, "name", lang)

    def clean(self):
        super().clean()
        require_one({f"name_{c}": getattr(self, f"name_{c}") for c in LANGS})


def form_fields(field, max_length, required_one=True):
    """The form fields of a trio ``<field>_ar/_fr/_en``, none required on its own (a form using
    them inherits TrilingualForm, which asks for at least one when ``required_one``)."""
    from django import forms

    return {
        f"{field}_{code}": forms.CharField(
            label=LABELS[field][code], max_length=max_length, required=False
        )
        for code in LANGS
    }


class TrilingualForm:
    """A form mixin: each trio of ``trios`` is shown where its first field stands, the reader's
    language first, and those of ``required_trios`` need at least one language."""

    trios = ("name",)
    required_trios = ("name",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order, seen = [], set()
        for name in self.fields:
            trio = name.rsplit("_", 1)[0] if name[-3:] in ("_ar", "_fr", "_en") else None
            if trio in self.trios:
                if trio not in seen:
                    seen.add(trio)
                    order += form_order(trio)
            else:
                order.append(name)
        self.order_fields(order)
        for trio in self.required_trios:
            self.fields[f"{trio}_{reader_language()}"].help_text = _(
                "Give it in at least one language; each reader sees it in their own language "
                "where it is given."
            )

    def clean(self):
        data = super().clean()
        for trio in self.required_trios:
            try:
                require_one(data, trio)
            except ValidationError as e:
                for field, errors in e.message_dict.items():
                    if field not in self.errors:
                        self.add_error(field, errors)
        return data
