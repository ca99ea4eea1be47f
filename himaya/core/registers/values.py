"""Cell values as registers write them: dates, yes/no, numbers and codes, in Arabic, French or
English. Each parser returns the value or raises ``ValueError`` with a message for the user."""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


def normalise(text) -> str:
    """A comparison key: case, accents, Arabic diacritics, dashes and spaces do not count."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = text.replace("ـ", "")  # Arabic tatweel
    text = re.sub(r"[\s\-_'’.]+", " ", text.casefold())
    return text.strip()


def is_blank(value) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    # A spreadsheet may keep a time after the date ("2024-03-01 00:00:00").
    text = re.sub(r"[ T]00:00(:00)?$", "", text)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(
        _("“%(value)s” is not a date (write 2024-03-31 or 31/03/2024).") % {"value": text[:40]}
    )


_TRUE = {"yes", "y", "oui", "o", "نعم", "1", "true", "vrai", "x"}
_FALSE = {"no", "n", "non", "لا", "0", "false", "faux"}


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = normalise(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(
        _("“%(value)s” is not yes or no (yes/no, oui/non, نعم/لا, 1/0).")
        % {"value": str(value)[:40]}
    )


def _number_text(value) -> str:
    text = str(value).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    # A French decimal comma ("1500,50"), else commas separate thousands ("1,500.50").
    return text.replace(",", ".") if "," in text and "." not in text else text.replace(",", "")


def parse_int(value) -> int:
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        try:
            number = Decimal(_number_text(value))
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": str(value)[:40]})
        number = int(number)
    if number < 0:
        raise ValueError(_("The number cannot be negative."))
    return number


def parse_decimal(value) -> Decimal:
    try:
        number = (
            Decimal(str(value)) if isinstance(value, int | float) else Decimal(_number_text(value))
        )
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": str(value)[:40]}) from None
    if not number.is_finite() or number < 0:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": str(value)[:40]})
    return number.quantize(Decimal("0.01"))


def parse_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    return str(value).strip()


def refused_message(raw):
    return _("“%(value)s” is not accepted in this list: this system leaves it out.") % {
        "value": str(raw).strip()[:60]
    }


# Words registers write for the values of a code list beside its labels (accepted in every
# import, whatever the state of the translations): "F"/"M", "femme"/"homme" for a sex.
CODE_ALIASES = {
    "sex": {
        # Not طفل ("child", said of a girl as well): only words that say the sex.
        "female": ("F", "femme", "fille", "woman", "girl", "امرأة", "طفلة"),
        "male": ("M", "H", "homme", "garçon", "man", "boy", "رجل"),
    },
}


class Vocabulary:
    """Values a column accepts: each known by its code and by its label in every language.

    ``entries`` is a list of ``(value, code, labels)``; ``value`` is what the column yields (a
    Code instance, a choice's value)."""

    def __init__(self, entries, refused=()):
        self.entries = list(entries)
        self.index = {}
        # Values known but left out by the deployment (HIMAYA_EXCLUDED_COUNTRIES): refused with
        # their own message rather than as unknown.
        self.refused = {normalise(name) for name in refused if name}
        ambiguous = set()
        for value, code, labels in self.entries:
            for key in {normalise(code), *(normalise(label) for label in labels if label)}:
                if key in self.index and self.index[key] != value:
                    ambiguous.add(key)
                self.index.setdefault(key, value)
        # A label shared by two values (a sub-form named like its parent) matches by code only.
        for key in ambiguous:
            self.index.pop(key, None)
        for value, code, _labels in self.entries:
            self.index[normalise(code)] = value

    def parse(self, raw):
        found = self.index.get(normalise(raw))
        if found is None and normalise(raw) in self.refused:
            raise ValueError(refused_message(raw))
        if found is None:
            raise ValueError(
                _("“%(value)s” is not in the list of accepted values for this column.")
                % {"value": str(raw)[:60]}
            )
        return found

    @classmethod
    def of_codes(cls, code_list):
        from himaya.core.models import Code, excluded_codes

        refused = [
            name
            for c in Code.objects.filter(list=code_list, code__in=excluded_codes(code_list))
            for name in (c.code, c.label_ar, c.label_fr, c.label_en, c.htcds)
        ]
        aliases = CODE_ALIASES.get(code_list, {})
        return cls(
            (
                (c, c.code, (c.label_ar, c.label_fr, c.label_en, c.htcds, *aliases.get(c.code, ())))
                for c in Code.objects.of(code_list)
            ),
            refused,
        )

    @classmethod
    def of_choices(cls, choices):
        """Django choices (TextChoices.choices or a list of pairs, labels lazy): labels are
        taken in every language of the site."""
        entries = []
        for value, label in choices:
            labels = []
            for lang, _name in settings.LANGUAGES:
                with translation.override(lang):
                    labels.append(str(label))
            entries.append((value, value, labels))
        return cls(entries)
