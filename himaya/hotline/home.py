"""The hotline's panel of the home page: what waits for triage (per urgency), what is overdue,
what came in last. The lead's home view adds ``home_context(user)`` to its context and includes
``hotline/_home.html``."""

from django.db.models import Count
from django.utils import timezone

from himaya.core import access

from .models import Report, Urgency

RECENT = 8
SHOWN = 10


def home_context(user, now=None) -> dict:
    """For a hotline operator: the reports waiting for triage, counted per urgency (most urgent
    first), the overdue ones (oldest first, each with ``age``: how long it has waited; at most
    SHOWN, with their total) and the latest reports. For a member of an organisation reports
    were passed to: the latest of those. Empty for everyone else (the template then shows
    nothing)."""
    if not access.handles_victims(user):
        return {}
    now = now or timezone.now()
    light = Report.objects.defer(*Report.FREE_TEXT_FIELDS).select_related("region")
    if access.handles_reports(user):
        mine = light.writable_by(user)
        waiting = dict(mine.untriaged().order_by().values_list("urgency").annotate(n=Count("pk")))
        overdue_qs = mine.overdue(now)
        overdue = list(overdue_qs.order_by("received_at", "id")[:SHOWN])
        for r in overdue:
            r.age = r.waiting(now)
        return {
            "hotline_panel": True,
            "hotline_untriaged": sum(waiting.values()),
            "hotline_by_urgency": [(u, waiting.get(u.value, 0)) for u in Urgency],
            "hotline_overdue": overdue,
            "hotline_overdue_count": overdue_qs.count(),
            # Tips held over the per-address limit wait apart, for a review in bulk.
            "hotline_held": mine.held().count(),
            "hotline_recent": list(mine.order_by("-received_at", "-id")[:RECENT]),
        }
    passed = list(light.visible_to(user).order_by("-received_at", "-id")[:RECENT])
    if not passed:
        return {}
    return {"hotline_panel": True, "hotline_untriaged": None, "hotline_recent": passed}
