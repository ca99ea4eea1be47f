"""Who a write acts for, and who a message goes to: not visibility rules (what a user may
open is in the family modules), but read from the same memberships and role table.

- ``*_org_for(user, record)``: the organisation a user's write on a record is signed with (the
  policies' ``acting_org``);
- ``alert_inbox_q``, ``nonpunishment_recipient_q``: which organisations a non-punishment alert
  is sent to and whose inbox shows it (dossiers.py has its rules)."""

from django.db.models import Exists, OuterRef, Q

from .base import (
    NONPUNISHMENT_ORG_TYPES,
    live_grant_q,
    model,
    primary_org_id,
    victim_org_ids,
)
from .hotline import hotline_org_ids, tip_hotline_org_ids
from .justice import court_org_ids, investigating_org_ids, prosecuting_org_ids

# --- Who a write acts for -------------------------------------------------------------------


def acting_org_for(user, dossier, *, identity=False):
    """The organisation a user acts for on a dossier: its owner when they belong to it, else
    one of theirs holding a live grant on it (with the identity, for notes), else their
    primary organisation."""
    orgs = victim_org_ids(user)
    if dossier.owner_org_id in orgs:
        return dossier.owner_org_id
    granted = dossier.grants.filter(live_grant_q(""), organisation_id__in=orgs)
    if identity:
        granted = granted.filter(with_identity=True)
    first = granted.order_by("organisation_id").values_list("organisation_id", flat=True)[:1]
    return first[0] if first else primary_org_id(user)


def hotline_acting_org_for(user, report):
    """The organisation a user acts for on a report: the receiving hotline, or for a web tip
    the first hotline they answer."""
    if report.received_by_id in hotline_org_ids(user):
        return report.received_by_id
    tips = tip_hotline_org_ids(user)
    return min(tips) if report.received_by_id is None and tips else primary_org_id(user)


def investigation_org_for(user, investigation):
    """The organisation a user acts for on an investigation they may write."""
    orgs = investigating_org_ids(user)
    if investigation.investigating_org_id in orgs:
        return investigation.investigating_org_id
    if investigation.prosecution_office_id in orgs:
        return investigation.prosecution_office_id
    return None


def prosecution_org_for(user, prosecution):
    if prosecution.office_id in prosecuting_org_ids(user):
        return prosecution.office_id
    if prosecution.court_id and prosecution.court_id in court_org_ids(user):
        return prosecution.court_id
    return None


# --- Who a non-punishment alert goes to ------------------------------------------------------


def nonpunishment_recipient_q(region_id, prefix=""):
    """Organisations a non-punishment alert about an offence charged in this region goes to."""
    return Q(
        **{
            f"{prefix}type__code__in": NONPUNISHMENT_ORG_TYPES,
            f"{prefix}region_id": region_id,
            f"{prefix}active": True,
        }
    )


def alert_inbox_q(user):
    """Alerts addressed to one of the user's organisations, or about a dossier one of them
    owns (its caseworkers follow their victims' charges).

    A condition on each alert row, for a list already restricted to what the user sees
    (``AlertQuerySet.inbox``): two EXISTS an alert (index probes, or sets PostgreSQL hashes
    once), never read on its own. As a set of
    ids (a union of the two index ranges) beside the visibility's own paths, PostgreSQL
    re-read that set once per visible alert: 85 ms for a large NGO's home page at 100k
    persons, against 20 ms this way (issue 17)."""
    orgs = victim_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    recipients = model("cases.NonPunishmentAlert").recipients.through.objects
    dossiers = model("cases.Dossier").objects
    return Q(
        Exists(recipients.filter(nonpunishmentalert_id=OuterRef("pk"), organisation_id__in=orgs))
    ) | Q(Exists(dossiers.filter(pk=OuterRef("dossier_id"), owner_org_id__in=orgs)))
