"""Who the referrals app tells of a hand-off (himaya.notifications): the receiving side of a
referral or a transfer, the sending side of its answer, and both sides of a referral left
unanswered past its limit (found by `himaya notify`). No text names the person."""

from django.urls import reverse
from django.utils import timezone

from himaya.core import access
from himaya.notifications.actions import notify
from himaya.notifications.models import Kind

from .models import Referral, Service, TransferStatus

# Whom each referral event is for: the organisation that must act or learn of it.
RECEIVER_KINDS = {Kind.REFERRAL_SENT, Kind.REFERRAL_REVOKED}


def referral(referral, kind, actor):
    """Tell the other side of ``referral`` what ``actor`` did. A referral marked done by one
    side tells the other."""
    if kind in RECEIVER_KINDS:
        orgs = [referral.to_org_id]
    elif kind == Kind.REFERRAL_COMPLETED:
        sender = bool(access.referral_sender_org_ids(actor, referral))
        orgs = (
            [referral.to_org_id]
            if sender
            else [referral.from_org_id, referral.dossier.owner_org_id]
        )
    else:
        orgs = [referral.from_org_id, referral.dossier.owner_org_id]
    notify(
        kind,
        target=referral,
        reference=referral.dossier.reference,
        detail=Service(referral.service).label,
        url=reverse("referrals:detail", args=[referral.pk]),
        urgent=referral.urgent and kind == Kind.REFERRAL_SENT,
        organisations=orgs,
        actor=actor,
    )


def transfer(transfer, kind, actor):
    """A transfer proposed tells the receiving organisation; its answer, the proposing one."""
    proposed = kind == Kind.TRANSFER_PROPOSED
    notify(
        kind,
        target=transfer if proposed else transfer.dossier,
        reference=transfer.dossier.reference,
        detail="" if proposed else TransferStatus(transfer.status).label,
        url=reverse("referrals:inbox")
        if proposed
        else reverse("cases:detail", args=[transfer.dossier_id]),
        organisations=[transfer.to_org_id if proposed else transfer.from_org_id],
        actor=actor,
    )


def scan_overdue(now=None):
    """Each referral unanswered past its limit, once, to both sides."""
    now = now or timezone.now()
    overdue = (
        Referral.objects.overdue(now).select_related("dossier").defer(*Referral.FREE_TEXT_FIELDS)
    )
    n = 0
    for r in overdue.iterator(chunk_size=500):
        notify(
            Kind.REFERRAL_OVERDUE,
            target=r,
            reference=r.dossier.reference,
            detail=Service(r.service).label,
            url=reverse("referrals:detail", args=[r.pk]),
            urgent=r.urgent,
            organisations=[r.to_org_id, r.from_org_id],
            key=f"referral_overdue:{r.pk}",
        )
        n += 1
    return n
