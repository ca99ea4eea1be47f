"""The cases app's part of the home page: open non-punishment alerts for the prosecution they
were sent to and for the dossier's organisation, and dossiers awaiting a formal identification
decision for members of deciding organisations. Wired by the project's home view."""

import datetime

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from himaya.core import access
from himaya.core.pagination import first_rows

from .models import AccessGrant, Dossier, IdentificationDecision, NonPunishmentAlert, Stage

# A presumed victim waiting this long for a formal decision is listed for the deciding
# organisations that see the dossier.
AWAITING_DECISION_DAYS = 30
SHOWN = 10
FINAL_STATUSES = ("actual", "not_victim")


def open_alerts_for(user):
    """Open alerts the user is expected to act on (see core.access.alert_inbox_q)."""
    return NonPunishmentAlert.objects.for_inbox(user)


def awaiting_decision_for(user, today=None):
    """Dossiers seen with the identity by one of the user's deciding organisations, at the
    presumed-victim stage for more than AWAITING_DECISION_DAYS days, whose latest decision (if
    any) is not a final one (actual victim / not a victim)."""
    orgs = access.deciding_org_ids(user)
    if not orgs:
        return Dossier.objects.none()
    today = today or timezone.localdate()
    owned = Dossier.objects.filter(owner_org_id__in=orgs).values("pk")
    granted = AccessGrant.objects.filter(
        access.live_grant_q(""), organisation_id__in=orgs, with_identity=True
    ).values("dossier_id")
    latest_status = IdentificationDecision.objects.filter(dossier=OuterRef("pk")).order_by(
        "-decided_on", "-recorded_at", "-id"
    )
    # Owned or granted, as a union of the two (an OR of the owner and a grant's subquery read
    # every dossier, issue 17), which a list reads path by path (core/pagination.first_rows).
    return (
        access.restrict(Dossier.objects.all(), access.union(owned, granted))
        .annotate(latest_status=Subquery(latest_status.values("status__code")[:1]))
        .filter(
            stage=Stage.PRESUMED,
            stage_on__lte=today - datetime.timedelta(days=AWAITING_DECISION_DAYS),
        )
        # A dossier without any decision has no latest status: NULL must not be excluded.
        .filter(Q(latest_status__isnull=True) | ~Q(latest_status__in=FINAL_STATUSES))
        .defer(*Dossier.FREE_TEXT_FIELDS)
    )


def _computed(_name, compute):
    return compute()


def home_context(user, figure=_computed) -> dict:
    """Context for cases/_home.html (empty for users who handle no victims). The totals go
    through ``figure(name, compute)``: the home view caches them per data revision, access
    scope and day (himaya.home_figures)."""
    if not access.handles_victims(user):
        return {}
    today = timezone.localdate()
    alerts = open_alerts_for(user)
    ctx = {
        "nonpunishment_alerts": first_rows(
            alerts.select_related("dossier", "offence", "offence__region")
            .defer("outcome_note", "offence__detail", "offence__authority_other")
            .order_by("raised_at", "id"),
            SHOWN,
        ),
        "nonpunishment_alert_count": figure("nonpunishment-alerts", alerts.count),
    }
    if access.deciding_org_ids(user):
        awaiting = awaiting_decision_for(user, today).select_related("owner_org")
        rows = first_rows(awaiting.order_by("stage_on", "id"), SHOWN)
        for d in rows:
            d.waiting_days = (today - d.stage_on).days
        ctx["awaiting_decision"] = rows
        ctx["awaiting_decision_count"] = figure("awaiting-decision", awaiting.count)
        ctx["awaiting_decision_days"] = AWAITING_DECISION_DAYS
    return ctx
