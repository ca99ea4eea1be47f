"""The justice app's part of the home page: the stalled proceedings the user's justice
organisations see (investigations still open, prosecutions not decided, with no event for
HIMAYA_STALLED_MONTHS months), with their age. Wired by the project's home view."""

from django.conf import settings

from himaya.core import access

SHOWN = 10


def home_context(user) -> dict:
    """Context for justice/_home.html (empty for users outside justice organisations)."""
    if not access.handles_justice(user):
        return {}
    from .prosecution_views import stalled_for

    rows = stalled_for(user)
    return {
        "justice_panel": True,
        "justice_stalled": rows[:SHOWN],
        "justice_stalled_count": len(rows),
        "stalled_months": settings.HIMAYA_STALLED_MONTHS,
    }
