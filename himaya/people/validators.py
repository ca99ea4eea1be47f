"""What a person's record accepts, shared by the pages' forms and the API's serializers, so
that the same name or phone number is accepted or refused the same way everywhere."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from himaya.core.bidi import check_name

NAME_MAX = 100
# Latin letters with their accented forms; Arabic script blocks and presentation forms.
LATIN_LETTERS = re.compile(r"[A-Za-z\u00c0-\u024f]")
ARABIC_LETTERS = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# An optional +, a digit or an opening bracket, then digits and the usual separators, ending
# with a digit: 6 to 26 characters.
PHONE = re.compile(r"\+?[0-9(][0-9 ().\-/]{4,23}[0-9]")


def arabic_script(value):
    check_name(value)
    if LATIN_LETTERS.search(value):
        raise ValidationError(
            _(
                "This field takes Arabic script; use the Latin-script field for a name written "
                "in Latin letters."
            ),
            code="script",
        )


def latin_script(value):
    check_name(value)
    if ARABIC_LETTERS.search(value):
        raise ValidationError(
            _(
                "This field takes Latin script; use the Arabic-script field for a name written "
                "in Arabic letters."
            ),
            code="script",
        )


def phone_number(value):
    if not PHONE.fullmatch(value):
        # The value is not repeated: the message may travel in a JSON error.
        raise ValidationError(
            _("Write a phone number with digits, spaces, brackets or dashes."), code="phone"
        )
