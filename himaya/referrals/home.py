"""The referrals app's part of the home page, wired by the project's home view: what waits for
the user's organisations.

- Referrals to answer: received, still in progress (sent, neither accepted nor rejected),
  urgent first, then the longest waiting.
- Accepted referrals under way: received and accepted, not completed (services to give), other
  than the waiting list.
- The waiting list: accepted shelter referrals without an admission.
- Dossier transfers proposed to the organisation, awaiting its answer.
- Referrals not answered in time (both sides), follow-ups due, free beds for shelter managers.

Each list shows at most SHOWN rows with its true total (a count query), and the page costs the
same number of queries however many rows there are. The totals that count only referrals and
stays (to answer, urgent, waiting, under way) go through ``figure(name, compute)``: the home
view caches them per data revision and access scope (himaya.home_figures); the time-dependent
ones (overdue, follow-ups due) and the transfers are counted on every visit."""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.trilingual import ordered_by

from .models import (
    DossierTransfer,
    Facility,
    FollowUp,
    Referral,
    ReferralStatus,
    Service,
    ShelterStay,
    TransferStatus,
    load_boards,
)

SHOWN = 10
FOLLOWUP_DAYS_AHEAD = 7
# Roles whose daily work is answering referrals: they see the list even when it is empty.
ANSWERING_ROLES = frozenset({"caseworker", "shelter_manager"})


def _received(user, orgs):
    """Referrals sent to ``orgs``, organisations where the user handles victims. That is one of
    the three paths of what the user sees (core.access.referral_ids: sent by, sent to, or of a
    dossier owned by one of them), so it is read by its own index, not through the union of
    all three (at 100k persons the union materialised ~30,000 ids for each list of ten);
    ``orgs`` outside the user's are refused, never shown."""
    if not set(orgs) <= access.victim_org_ids(user):
        raise ValueError("referrals received by organisations where the user handles victims")
    return (
        Referral.objects.filter(to_org_id__in=orgs)
        .select_related("dossier", "from_org", "to_org", "facility")
        .defer(*Referral.FREE_TEXT_FIELDS)
    )


def to_answer(user, orgs):
    return _received(user, orgs).filter(status=ReferralStatus.IN_PROGRESS)


def waiting_list(user, orgs):
    """Accepted shelter referrals to the user's organisations with no admission yet."""
    admitted = ShelterStay.objects.filter(referral=OuterRef("pk"))
    return _received(user, orgs).filter(
        ~Exists(admitted), status=ReferralStatus.ACCEPTED, service=Service.SHELTER
    )


def under_way(user, orgs):
    """Accepted referrals to the user's organisations, other than the waiting list."""
    admitted = ShelterStay.objects.filter(referral=OuterRef("pk"))
    return _received(user, orgs).filter(
        Q(Exists(admitted)) | ~Q(service=Service.SHELTER), status=ReferralStatus.ACCEPTED
    )


def first_under_way(user, orgs, n):
    """The first ``n`` of ``under_way`` in the order accepted: its two kinds (other services;
    shelter referrals with an admission) each read from their own index up to ``n`` rows, then
    merged. As one query, "an admission OR not a shelter" made PostgreSQL hash every shelter
    stay for each home page (issue 17)."""
    admitted = ShelterStay.objects.filter(referral=OuterRef("pk"))
    accepted = _received(user, orgs).filter(status=ReferralStatus.ACCEPTED)
    kinds = [
        accepted.exclude(service=Service.SHELTER),
        accepted.filter(Exists(admitted), service=Service.SHELTER),
    ]
    # A referral accepted without a time (an imported one) comes last, on both engines.
    order = (F("accepted_at").asc(nulls_last=True), "id")
    firsts = sorted(
        (
            row
            for kind in kinds
            for row in kind.order_by(*order).values_list("accepted_at", "id")[:n]
        ),
        key=lambda row: (row[0] is None, row[0] or 0, row[1]),
    )
    ids = [pk for _at, pk in firsts[:n]]
    rows = accepted.in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def transfers_to_answer(user, orgs):
    return (
        DossierTransfer.objects.visible_to(user)
        .filter(to_org_id__in=orgs, status=TransferStatus.PROPOSED)
        .select_related("dossier", "from_org")
        .defer("reason")
    )


def _days(since, today):
    return (today - timezone.localtime(since).date()).days


def _computed(_name, compute):
    return compute()


def _overdue(orgs, now):
    """The referrals of the user's organisations past their answer's due time."""
    owned = Dossier.objects.filter(owner_org_id__in=orgs).values("pk")
    return (
        Referral.objects.overdue(now)
        # Exactly the three paths of what the user sees (core.access.referral_ids), so not
        # through visible_to's union as well: PostgreSQL walks the referrals in progress (an
        # index of their own) newest first and stops at ten. The dossier path is a set of ids,
        # not a join: an OR across a join to the dossiers read every dossier (issue 17).
        .filter(Q(to_org_id__in=orgs) | Q(from_org_id__in=orgs) | Q(dossier_id__in=owned))
        .select_related("dossier", "from_org", "to_org")
        .defer(*Referral.FREE_TEXT_FIELDS)
    )


def _followups_due(user, orgs, today):
    """The follow-ups of the user's organisations still to do, due within the days ahead."""
    return (
        FollowUp.objects.visible_to(user)
        .filter(
            organisation_id__in=orgs,
            done_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=FOLLOWUP_DAYS_AHEAD),
        )
        .select_related("dossier")
        .defer("purpose")
    )


def home_context(user, today=None, now=None, figure=_computed):
    orgs = access.victim_org_ids(user)
    if not orgs:
        return {}
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    answer = to_answer(user, orgs)
    answer_counts = figure(
        "referrals-to-answer",
        lambda: answer.aggregate(total=Count("pk"), urgent=Count("pk", filter=Q(urgent=True))),
    )
    inbox = list(answer.order_by("-urgent", "sent_at", "id")[:SHOWN])
    for r in inbox:
        r.waiting_days = _days(r.sent_at, today)
        r.late = now > r.answer_due_at
    waiting = waiting_list(user, orgs)
    waiting_rows = list(waiting.order_by("accepted_at", "id")[:SHOWN])
    for r in waiting_rows:
        r.waiting_days = _days(r.accepted_at, today) if r.accepted_at else None
    accepted = under_way(user, orgs)
    transfers = transfers_to_answer(user, orgs)
    overdue = _overdue(orgs, now)
    followups = _followups_due(user, orgs, today)
    roles = {role for org, role, _t in access._memberships(user) if org in orgs}
    facilities = []
    if "shelter_manager" in roles:
        facilities = load_boards(
            ordered_by(Facility.objects.filter(organisation_id__in=orgs, active=True)), today
        )
    return {
        "referral_answers": bool(roles & ANSWERING_ROLES),
        "referral_inbox": inbox,
        "referral_inbox_count": answer_counts["total"],
        "referral_inbox_urgent": answer_counts["urgent"],
        "referral_waiting": waiting_rows,
        "referral_waiting_count": figure("referrals-waiting", waiting.count),
        "referral_accepted": first_under_way(user, orgs, SHOWN),
        "referral_accepted_count": figure("referrals-under-way", accepted.count),
        "transfers_incoming": list(transfers.order_by("proposed_at", "id")[:SHOWN]),
        "transfers_incoming_count": transfers.count(),
        "referrals_overdue": list(overdue[:SHOWN]),
        "referrals_overdue_count": overdue.count(),
        "followups_due": list(followups[:SHOWN]),
        "followups_due_count": followups.count(),
        "my_facilities": facilities,
        "today": today,
    }
