"""The hotline's panel of the home page: what waits for triage, what is overdue, what came in
last. The lead's home view adds ``home_context(user)`` to its context and includes
``hotline/_home.html``."""

from django.utils import timezone

from himaya.core import access

from .models import Report

RECENT = 8


def home_context(user) -> dict:
    """For a hotline operator: the number of reports waiting for triage, the overdue ones
    (oldest first, each with ``waiting``: how long it has waited) and the latest reports. For a
    member of an organisation reports were passed to: the latest of those. Empty for everyone
    else (the template then shows nothing)."""
    if not access.handles_victims(user):
        return {}
    now = timezone.now()
    light = Report.objects.defer(*Report.FREE_TEXT_FIELDS).select_related("region")
    if access.handles_reports(user):
        mine = light.writable_by(user)
        overdue = list(mine.overdue(now).order_by("received_at", "id")[:20])
        for r in overdue:
            r.age = r.waiting(now)
        return {
            "hotline_panel": True,
            "hotline_untriaged": mine.untriaged().count(),
            "hotline_overdue": overdue,
            "hotline_recent": list(mine.order_by("-received_at", "-id")[:RECENT]),
        }
    passed = list(light.visible_to(user).order_by("-received_at", "-id")[:RECENT])
    if not passed:
        return {}
    return {"hotline_panel": True, "hotline_untriaged": None, "hotline_recent": passed}
