"""How a person or a suspect is told from a namesake in a list: the year of birth and the age,
marked approximate (≈) where the birth date is a year alone or an estimate. Shown only where
the row's identity is (the caller decides, as for the name)."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext

from himaya.people.models import BirthDatePrecision, age_on

register = template.Library()


def birth_and_age(rec, today=None):
    """``(year, age, year_approximate, age_approximate)`` of a person or a suspect, or None
    when nothing is known."""
    today = today or timezone.localdate()
    precision = rec.birth_date_precision
    estimated_age = getattr(rec, "estimated_age", None)
    estimated_on = getattr(rec, "estimated_on", None)
    birth_date = rec.birth_date
    age = age_on(
        today,
        birth_date=birth_date,
        precision=precision,
        estimated_age=estimated_age,
        estimated_on=estimated_on,
        created_at=getattr(rec, "created_at", None),
    )
    if age is None:
        return None
    if birth_date and precision in (BirthDatePrecision.EXACT, BirthDatePrecision.YEAR):
        return birth_date.year, age, False, precision != BirthDatePrecision.EXACT
    return today.year - age, age, True, True


@register.filter
def born_and_age(rec):
    """ "1990 (35)" from a birth date; "1990 (≈35)" from a year alone; "≈1990 (≈35)" from an
    estimated age; "—" when nothing is known."""
    found = birth_and_age(rec)
    if found is None:
        return "—"
    year, age, year_approximate, age_approximate = found
    if not age_approximate:
        return format_html('<span class="text-nowrap" dir="ltr">{} ({})</span>', year, age)
    return format_html(
        '<span class="text-nowrap" dir="ltr" title="{}">{}{} (≈{})</span>',
        gettext("estimated age") if year_approximate else gettext("year only"),
        "≈" if year_approximate else "",
        year,
        age,
    )
