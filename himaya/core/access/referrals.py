"""Referrals, services, transfers, providers and support to NGOs (the rules: below)."""

from django.db.models import Q

from .base import (
    NATIONAL_ORG_TYPES,
    PROVIDER_ADMIN_ROLES,
    REFERRAL_OVERRIDE_ROLES,
    SUPPORT_GIVER_ORG_TYPES,
    SUPPORT_RECORDER_ROLES,
    _memberships,
    is_system_admin,
    live_grants,
    member_org_ids,
    model,
    restrict,
    union,
    victim_org_ids,
)
from .dossiers import _identity_org_ids_on, filter_dossier_children

# --- Referrals and services ------------------------------------------------------------------
#
# - Providers (an organisation's offer of services) and facilities (shelters and their beds) are
#   not personal data: every member of an active organisation reads them (directory, bed board).
#   They are written by the organisation's admins and its victim-handling members.
# - A referral is seen by the victim-handling members of the organisation that sent it, of the
#   dossier's current owner and of the organisation it was sent to; a receiving organisation
#   sees only its own referrals of a dossier, never the others. Its free text (reason,
#   guardian, override reason, rejection note) is read only by a reader who currently sees the
#   dossier with the identity (for the receiving organisation: while one of its referrals of
#   the dossier is open).
# - Only the owner's victim-handling members refer (dossier_write_q). An adult needs current
#   consents for "services" and "sharing"; a child is referred with the guardian recorded; a
#   consent override needs a reason and one of REFERRAL_OVERRIDE_ROLES in the owning
#   organisation: investigators and prosecutors, the officials who may act to protect a victim
#   in danger without waiting for consent. Overrides are audited.
# - A referral's access grant (source "referral:<id>") lives while the referral is open (in
#   progress or accepted) and ends at once when it is rejected, revoked or done. Through it the
#   receiving organisation sees the dossier with the identity but only what it needs: the notes
#   its own members wrote (never other organisations' notes, nor other referrals), and no
#   justice data (``referral_only`` tells the justice pages to hide theirs).
# - Answering (accept, reject) belongs to the receiving organisation's victim-handling members
#   while in progress; "done" to them or the owner's while accepted; revoking to the owner's
#   while open.
# - Service records (stays, sessions, returns, plan goals, follow-ups) are seen by the
#   victim-handling members of the organisation that recorded them (a stay: the facility's
#   organisation) and of the dossier's owner; they are written by an organisation that sees the
#   dossier with the identity (its owner, or an open referral's grant). A stay is opened only by
#   the facility's organisation on an accepted shelter referral; it is discharged by it.
# - A transfer of ownership is proposed by the owner's victim-handling members and accepted or
#   declined by the receiving organisation's; accepting moves the ownership. The old owner keeps
#   no grant: the person now belongs to the new organisation, which may refer back.
# - Support to NGOs is recorded by the organisation admins and analysts of public bodies
#   (SUPPORT_GIVER_ORG_TYPES) for their own body, and by those of the national commission for
#   any public body; it is seen by members of the giver and the receiver and by every member of
#   the national commission.

REFERRAL_SOURCE = "referral:"


def filter_providers(qs, user, org_field="organisation"):
    """Providers or facilities: every member reads them (not personal data)."""
    if not member_org_ids(user) and not is_system_admin(user):
        return qs.none()
    return qs.filter(**{f"{org_field}__active": True})


def provider_admin_org_ids(user) -> set[int]:
    """Organisations whose provider profile and facilities the user manages."""
    return {org for org, role, _t in _memberships(user) if role in PROVIDER_ADMIN_ROLES}


def override_org_ids(user) -> set[int]:
    """Organisations for which the user may refer without consent (with a reason)."""
    return {org for org, role, _t in _memberships(user) if role in REFERRAL_OVERRIDE_ROLES}


def referral_ids(user):
    """Ids of the referrals the user sees: sent or received by one of their organisations, or
    of a dossier one of them owns."""
    orgs = victim_org_ids(user)
    if not orgs:
        return None
    referrals = model("referrals.Referral").objects
    return union(
        referrals.filter(from_org_id__in=orgs).values("pk"),
        referrals.filter(to_org_id__in=orgs).values("pk"),
        referrals.filter(dossier_id__in=_owned_dossier_ids(orgs)).values("pk"),
    )


def _owned_dossier_ids(orgs):
    return model("cases.Dossier").objects.filter(owner_org_id__in=orgs).values("pk")


def referral_q(user, prefix=""):
    ids = referral_ids(user)
    return Q(pk__in=[]) if ids is None else Q(**{f"{prefix}pk__in": ids})


def filter_referrals(qs, user):
    return restrict(qs, referral_ids(user))


def referral_sender_org_ids(user, referral) -> set[int]:
    """The sending side of a referral: its sender and the dossier's current owner."""
    return victim_org_ids(user) & {referral.from_org_id, referral.dossier.owner_org_id}


def referral_receiver(user, referral) -> bool:
    return referral.to_org_id in victim_org_ids(user)


def _full_access_dossier_ids(user):
    """Dossiers the user sees with the identity other than through a referral: owned, or
    granted for another reason."""
    orgs = victim_org_ids(user)
    if not orgs:
        return None
    other = live_grants(orgs, identity=True).exclude(source__startswith=REFERRAL_SOURCE)
    return union(_owned_dossier_ids(orgs), other.values("dossier_id"))


def filter_dossier_notes(qs, user):
    """Notes: at the identity level (filter_dossier_children), and for an organisation that
    sees the dossier only through referrals, its own notes only."""
    qs = filter_dossier_children(qs, user, identity=True)
    full = _full_access_dossier_ids(user)
    if full is None:
        return qs.none()
    return qs.filter(Q(dossier__in=full) | Q(organisation_id__in=victim_org_ids(user)))


def referral_only(user, dossier) -> bool:
    """The user sees this dossier only through referrals: no justice data, no other
    organisations' notes or records."""
    orgs = victim_org_ids(user)
    if not orgs or dossier.owner_org_id in orgs:
        return False
    grants = live_grants(orgs, identity=True).filter(dossier_id=dossier.pk)
    sources = list(grants.values_list("source", flat=True))
    return bool(sources) and all(s.startswith(REFERRAL_SOURCE) for s in sources)


def service_org_ids_for(user, dossier) -> set[int]:
    """Organisations the user may record services, plan goals and follow-ups for."""
    return _identity_org_ids_on(dossier, victim_org_ids(user))


def filter_service_records(qs, user, org_field="organisation"):
    orgs = victim_org_ids(user)
    if not orgs:
        return qs.none()
    records = qs.model.objects
    return restrict(
        qs,
        union(
            records.filter(**{f"{org_field}_id__in": orgs}).values("pk"),
            records.filter(dossier_id__in=_owned_dossier_ids(orgs)).values("pk"),
        ),
    )


def filter_transfers(qs, user):
    orgs = victim_org_ids(user)
    if not orgs:
        return qs.none()
    transfers = qs.model.objects
    return restrict(
        qs,
        union(
            transfers.filter(from_org_id__in=orgs).values("pk"),
            transfers.filter(to_org_id__in=orgs).values("pk"),
            transfers.filter(dossier_id__in=_owned_dossier_ids(orgs)).values("pk"),
        ),
    )


def support_giver_org_ids(user):
    """Public bodies the user may record support for: their own, or any of them for the
    national commission's admins and analysts. Returns (own org ids, any_public_body)."""
    own = {
        org
        for org, role, t in _memberships(user)
        if role in SUPPORT_RECORDER_ROLES and t in SUPPORT_GIVER_ORG_TYPES
    }
    national = any(
        role in SUPPORT_RECORDER_ROLES and t in NATIONAL_ORG_TYPES
        for _o, role, t in _memberships(user)
    )
    return own, national


def filter_ngo_support(qs, user):
    memberships = _memberships(user)
    if not memberships:
        return qs.none()
    if any(t in NATIONAL_ORG_TYPES for _o, _r, t in memberships):
        return qs
    orgs = member_org_ids(user)
    return qs.filter(Q(giver_id__in=orgs) | Q(receiver_id__in=orgs))
