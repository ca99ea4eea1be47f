"""Hotline reports: who opens, writes and counts them (the rules: below)."""

from django.db.models import Q

from .base import (
    ANALYST_ROLES,
    HOTLINE_ORG_TYPES,
    HOTLINE_ROLES,
    _memberships,
    is_national_analyst,
    model,
    restrict,
    union,
    victim_org_ids,
)

# --- Hotline reports -----------------------------------------------------------------------
#
# - A hotline report is seen by the hotline operators of the organisation that received it; a
#   web tip (no receiving organisation) by the hotline operators of every active organisation
#   of the hotline type.
# - An organisation a report was passed to (police) or referred to (NGO) sees it through its
#   victim-handling members, from the moment it was passed on.
# - Writes (edit before triage, triage, notes, passing on) belong to the operators of the
#   receiving hotline (any hotline, for a web tip), never to the organisations it was passed to.
# - Analysts see hotline figures only, never a report: those of their own hotline, or all of
#   them for the national commission.


def hotline_org_ids(user) -> set[int]:
    """Organisations where the user answers the hotline."""
    return {org for org, role, _t in _memberships(user) if role in HOTLINE_ROLES}


def tip_hotline_org_ids(user) -> set[int]:
    """Organisations through which the user receives web tips: hotlines, as an operator."""
    return {
        org
        for org, role, org_type in _memberships(user)
        if role in HOTLINE_ROLES and org_type in HOTLINE_ORG_TYPES
    }


def report_write_q(user, prefix=""):
    """Reports the user may change: those of the hotline they answer, and web tips."""
    q = Q(pk__in=[])
    orgs = hotline_org_ids(user)
    if orgs:
        q |= Q(**{f"{prefix}received_by_id__in": orgs})
    if tip_hotline_org_ids(user):
        q |= Q(**{f"{prefix}received_by__isnull": True})
    return q


def report_ids(user):
    """Ids of the reports the user may open: their hotline's, the web tips (operators of a
    hotline), and those passed to one of their organisations."""
    orgs = victim_org_ids(user)  # hotline operators handle victims too
    if not orgs:
        return None
    reports = model("hotline.Report").objects
    hotlines = hotline_org_ids(user)
    return union(
        reports.filter(received_by_id__in=hotlines).values("pk") if hotlines else None,
        reports.filter(received_by__isnull=True).values("pk")
        if tip_hotline_org_ids(user)
        else None,
        model("hotline.ReportShare").objects.filter(organisation_id__in=orgs).values("report_id"),
    )


def report_q(user, prefix=""):
    """Reports the user may open: as their hotline, or passed to their organisation."""
    ids = report_ids(user)
    return Q(pk__in=[]) if ids is None else Q(**{f"{prefix}pk__in": ids})


def filter_reports(qs, user):
    return restrict(qs, report_ids(user))


def handles_reports(user) -> bool:
    """Answers a hotline: has a triage queue."""
    return bool(hotline_org_ids(user))


def _hotline_analyst_org_ids(user):
    return {
        org
        for org, role, org_type in _memberships(user)
        if role in ANALYST_ROLES and org_type in HOTLINE_ORG_TYPES
    }


def sees_report_figures(user) -> bool:
    return bool(
        is_national_analyst(user) or hotline_org_ids(user) or _hotline_analyst_org_ids(user)
    )


def report_figures_q(user, prefix=""):
    """Reports counted in the hotline figures a user sees (counts, never records): every report
    for the national commission's analysts; their hotline's reports and the web tips for its
    operators and analysts."""
    if is_national_analyst(user):
        return Q()
    q = report_write_q(user, prefix)
    analyst_orgs = _hotline_analyst_org_ids(user)
    if analyst_orgs:
        q |= Q(**{f"{prefix}received_by_id__in": analyst_orgs}) | Q(
            **{f"{prefix}received_by__isnull": True}
        )
    return q
