"""Template helpers of the hotline pages."""

from django import template
from django.utils.translation import ngettext

from himaya.core.punctuation import join_words

register = template.Library()


def _minutes(n):
    # Django's own messages (django/utils/timesince.py), already in every language with its plural
    # forms: Arabic has six ("دقيقتين", "9 دقائق", "13 دقيقة").
    return ngettext("%(num)d minute", "%(num)d minutes", n) % {"num": n}


def _hours(n):
    return ngettext("%(num)d hour", "%(num)d hours", n) % {"num": n}


def _days(n):
    return ngettext("%(num)d day", "%(num)d days", n) % {"num": n}


@register.filter
def duration(value):
    """A waiting or triage time: "12 minutes", "3 hours, 5 minutes", "2 days, 4 hours", each
    number with its noun in the plural form of the reader's language."""
    if value is None:
        return ""
    minutes = max(0, int(value.total_seconds() // 60))
    if minutes < 60:
        return _minutes(minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return join_words([_hours(hours)] + ([_minutes(minutes)] if minutes else []))
    days, hours = divmod(hours, 24)
    return join_words([_days(days)] + ([_hours(hours)] if hours else []))
