"""The justice app's part of the home page, wired by the project's home view:
- for prosecution offices, the incoming investigations: transferred to one of the user's
  offices, no prosecution started yet, oldest transfer first;
- for the investigating organisations, what they sent that no prosecution has taken up yet
  (a transferred investigation is no longer "open", so it never shows as stalled);
- the stalled proceedings the user's justice organisations see (investigations still open,
  prosecutions not decided, with no event for HIMAYA_STALLED_MONTHS months), with their age.

Each list is bounded and comes with its true total, so the page costs the same number of
queries with 1 or 100,000 proceedings."""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from himaya.core import access

from .models import Investigation, InvestigationStatus, Prosecution, stalled_cutoff

SHOWN = 10


def _awaiting_prosecution(user):
    """Investigations the user sees that were transferred to a prosecution office and on which
    no prosecution has started."""
    started = Prosecution.objects.filter(investigation=OuterRef("pk"))
    return (
        Investigation.objects.visible_to(user)
        .filter(status=InvestigationStatus.TRANSFERRED)
        .filter(~Exists(started))
    )


def incoming_for(user):
    """Incoming investigations of the user's prosecution offices (none outside them)."""
    offices = access.prosecuting_org_ids(user)
    if not offices:
        return Investigation.objects.none()
    return _awaiting_prosecution(user).filter(prosecution_office_id__in=offices)


def sent_for(user):
    """Investigations the user's investigating organisations (other than prosecution offices,
    whose own transfers are incoming elsewhere) transferred, not yet prosecuted."""
    orgs = access.investigating_org_ids(user) - access.prosecuting_org_ids(user)
    if not orgs:
        return Investigation.objects.none()
    return _awaiting_prosecution(user).filter(investigating_org_id__in=orgs)


def _waiting_rows(qs, today):
    rows = list(
        qs.select_related("investigating_org", "prosecution_office").order_by("status_on", "id")[
            :SHOWN
        ]
    )
    for inv in rows:
        inv.waiting_days = (today - inv.status_on).days if inv.status_on else None
    return rows


def stalled_rows(user, today):
    """The SHOWN longest-idle stalled proceedings and their total: the same rows as
    oversight.stalled_for, without loading all of them."""
    cutoff = stalled_cutoff(today)
    inv = (
        Investigation.objects.visible_to(user)
        .unfinished()
        .filter(last_event_on__lt=cutoff)
        .select_related("investigating_org")
    )
    pros = (
        Prosecution.objects.visible_to(user)
        .unfinished()
        .filter(last_event_on__lt=cutoff)
        .select_related("office", "investigation")
    )
    rows = [
        *inv.order_by("last_event_on", "id")[:SHOWN],
        *pros.order_by("last_event_on", "id")[:SHOWN],
    ]
    for row in rows:
        row.idle_days = (today - row.last_event_on).days
        row.open_days = (today - row.began_on).days
    rows.sort(key=lambda r: -r.idle_days)
    return rows[:SHOWN], inv.count() + pros.count()


def home_context(user, today=None) -> dict:
    """Context for justice/_home.html (empty for users outside justice organisations)."""
    if not access.handles_justice(user):
        return {}
    today = today or timezone.localdate()
    stalled, stalled_count = stalled_rows(user, today)
    ctx = {
        "justice_panel": True,
        "justice_stalled": stalled,
        "justice_stalled_count": stalled_count,
        "stalled_months": settings.HIMAYA_STALLED_MONTHS,
    }
    if access.prosecuting_org_ids(user):
        incoming = incoming_for(user)
        ctx["justice_incoming"] = _waiting_rows(incoming, today)
        ctx["justice_incoming_count"] = incoming.count()
    if access.investigating_org_ids(user) - access.prosecuting_org_ids(user):
        sent = sent_for(user)
        ctx["justice_sent"] = _waiting_rows(sent, today)
        ctx["justice_sent_count"] = sent.count()
    return ctx
