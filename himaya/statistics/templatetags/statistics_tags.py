"""Reading the three-language labels of a report (statistics.report) in one language."""

from django import template

register = template.Library()


@register.filter
def in_language(labels, lang):
    """``{{ row.label|in_language:lang }}``: the label in ``lang``, else in English."""
    if not isinstance(labels, dict):
        return labels
    return labels.get(lang) or labels.get("en") or ""


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
