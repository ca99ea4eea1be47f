"""Template helpers: Moroccan date formats (CLDR through Babel), code labels, free text."""

import datetime

from babel.dates import format_date, format_time, get_datetime_format
from babel.numbers import format_decimal
from django import template
from django.utils import timezone
from django.utils.translation import get_language, get_language_bidi

from himaya.core import punctuation
from himaya.core.bidi import isolate
from himaya.core.punctuation import babel_locale

register = template.Library()


def _date_format(fmt):
    # ar-MA's medium date is all digits (06/12/2026, read right to left); its long one names
    # the month as Morocco does (6 دجنبر 2026), which no reader can take for 12 June.
    if fmt == "medium" and (get_language() or "ar")[:2] == "ar":
        return "long"
    return fmt


@register.filter
def mdate(value, fmt="medium"):
    """A date in the user's language, Moroccan style: 3 دجنبر 2025 / 3 déc. 2025."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date(value, format=_date_format(fmt), locale=babel_locale())


@register.filter
def mdatetime(value, fmt="medium"):
    """A moment in the user's language: the date as ``mdate`` writes it and the time on 24 hours
    to the minute (6 دجنبر 2026، 08:05 / 6 déc. 2026, 08:05); seconds tell a reader nothing."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    locale = babel_locale()
    day = format_date(value.date(), format=_date_format(fmt), locale=locale)
    time = format_time(value, format="HH:mm", locale=locale)
    return get_datetime_format(fmt, locale=locale).replace("{1}", day).replace("{0}", time)


@register.filter
def mnumber(value):
    if value is None:
        return ""
    return format_decimal(value, locale=babel_locale())


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, val in kwargs.items():
        params[key] = val
    return params.urlencode()


@register.simple_tag
def sep():
    """The list separator of the current language: "، " in Arabic, ", " otherwise."""
    return "، " if get_language_bidi() else ", "


@register.filter
def words(items):
    """A list joined with the comma of the reader's language (core/punctuation.py)."""
    return punctuation.join_words(items)


@register.filter
def clauses(items):
    """A list joined with the semicolon of the reader's language (core/punctuation.py)."""
    return punctuation.join_clauses(items)


@register.filter(needs_autoescape=True)
def bidi(value, autoescape=True):
    """Free text as shown: in ``<bdi dir="auto">``, its direction isolated from the page's,
    without direction overrides (core/bidi.py). Put it before ``linebreaksbr``."""
    return isolate(value, autoescape)
