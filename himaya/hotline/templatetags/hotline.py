"""Template helpers of the hotline pages."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(value):
    """A waiting or triage time, short: "12 min", "3 h 05 min", "2 d 4 h"."""
    if value is None:
        return ""
    minutes = max(0, int(value.total_seconds() // 60))
    if minutes < 60:
        return _("%(m)s min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(h)s h %(m)02d min") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
