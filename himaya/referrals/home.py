"""The referrals app's part of the home page: the referral inbox (received, in progress),
overdue referrals on both sides, follow-ups due, and free beds for shelter managers. Wired by
the project's home view."""

import datetime

from django.db.models import Q
from django.utils import timezone

from himaya.core import access

from .models import Facility, FollowUp, Referral, ReferralStatus

SHOWN = 10
FOLLOWUP_DAYS_AHEAD = 7


def home_context(user):
    orgs = access.victim_org_ids(user)
    if not orgs:
        return {}
    today = timezone.localdate()
    referrals = (
        Referral.objects.visible_to(user)
        .select_related("dossier", "from_org", "to_org")
        .defer(*Referral.FREE_TEXT_FIELDS)
    )
    inbox = referrals.filter(to_org_id__in=orgs, status=ReferralStatus.IN_PROGRESS)
    overdue = referrals.overdue().filter(
        Q(to_org_id__in=orgs) | Q(from_org_id__in=orgs) | Q(dossier__owner_org_id__in=orgs)
    )
    followups = (
        FollowUp.objects.visible_to(user)
        .filter(
            organisation_id__in=orgs,
            done_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=FOLLOWUP_DAYS_AHEAD),
        )
        .select_related("dossier")
    )
    facilities = []
    if any(role == "shelter_manager" for _o, role, _t in access._memberships(user)):
        facilities = list(Facility.objects.filter(organisation_id__in=orgs, active=True))
        for f in facilities:
            f.free = f.free_beds(today)
    return {
        "referral_inbox": list(inbox[:SHOWN]),
        "referral_inbox_count": inbox.count(),
        "referrals_overdue": list(overdue[:SHOWN]),
        "referrals_overdue_count": overdue.count(),
        "followups_due": list(followups[:SHOWN]),
        "followups_due_count": followups.count(),
        "my_facilities": facilities,
        "today": today,
    }
