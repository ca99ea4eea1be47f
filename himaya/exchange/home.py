"""The imports panel of the home page (the lead includes ``exchange/_home.html`` with this
context): for the members who may import registers, a link to the import page and the
latest runs of their organisations (a checked file waiting for its confirmation first)."""

from himaya.core import access

from .models import ImportRun

PANEL_SIZE = 3


def home_context(user) -> dict:
    if not access.exchange_org_ids(user):
        return {}
    runs = ImportRun.objects.visible_to(user).select_related("user")
    waiting = list(runs.filter(user=user, status=ImportRun.Status.CHECKED).exclude(token="")[:3])
    return {
        "exchange_panel": True,
        "exchange_waiting": waiting,
        "exchange_recent": list(runs[:PANEL_SIZE]),
    }
