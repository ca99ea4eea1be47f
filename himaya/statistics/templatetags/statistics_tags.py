"""Reading the three-language labels of a report (statistics.report) in one language."""

from django import template

register = template.Library()


@register.filter
def in_language(labels, lang):
    """``{{ row.label|in_language:lang }}``: a label of a stored report (statistics.labels)
    in ``lang``; a text as it is."""
    from himaya.statistics.labels import render

    return render(labels, lang) if isinstance(labels, dict) else labels


@register.filter
def as_datetime(value):
    """An ISO date-time stored in a report (``generated_at``) as an aware date-time, for the
    ``date`` filter; the text as it is if it does not parse."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        return value
    return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
