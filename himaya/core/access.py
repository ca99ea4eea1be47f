"""Who may see what: the one module with the visibility rules (DESIGN.md convention 3).

Every model holding personal data exposes ``Model.objects.visible_to(user)``, which calls the
functions here; views fetch records only through it, so a forbidden record looks exactly like a
missing one (404). We fail closed: no active membership, no rows.

Rules:
- A dossier is seen by members of its owning organisation whose role handles victims, and by
  organisations holding a live access grant on it (a referral or a transfer creates the grant;
  ending them ends it). A grant's scope says whether the identity comes with it.
- Analysts see dossiers (de-identified) of their own organisation; analysts of the national
  commission see every dossier de-identified. Analysts never see a person's identity.
- A person (an identity) is seen by whoever sees one of their dossiers with identity, or by the
  victim-handling members of the organisation that registered them.
- System administrators manage configuration and accounts; they see no victim unless they also
  hold a membership that grants it.
- Seeing is not writing: a dossier is changed (edited, moved to another stage, annotated, shared)
  only by victim-handling members of its owning organisation, and a person's record by those of
  the organisation that registered them or owns one of their dossiers. A grant lets a partner
  read, and, when the grant includes the identity, add its own follow-up notes and record the
  consents given to it (only the organisation that recorded a consent, or the person's own
  organisations, withdraw it); what else a partner may write is added here when the referral
  and justice flows need it.

This module names relations by string and imports no app, so apps above core can use it.
"""

from django.db.models import Q
from django.utils import timezone

# Roles whose daily work is with victims and their dossiers.
VICTIM_ROLES = frozenset(
    {"hotline_operator", "investigator", "prosecutor", "caseworker", "shelter_manager"}
)
ANALYST_ROLES = frozenset({"analyst"})
NATIONAL_ORG_TYPES = frozenset({"national_commission"})
LINKAGE_ROLES = frozenset({"linkage_officer"})
# Members who report on the national action plan for their organisation (coordination app).
FOCAL_POINT_ROLES = frozenset({"focal_point"})


def _memberships(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = getattr(user, "_himaya_memberships", None)
    if cache is None:
        cache = list(
            user.memberships.filter(active=True, organisation__active=True).values_list(
                "organisation_id", "role", "organisation__type__code"
            )
        )
        user._himaya_memberships = cache
    return cache


def is_linkage_officer(user) -> bool:
    """The national commission's linkage officers: they see the identity of the two records of
    a candidate pair on the linkage desk, never their dossiers, notes or documents."""
    return any(r in LINKAGE_ROLES and t in NATIONAL_ORG_TYPES for _o, r, t in _memberships(user))


def linkage_org_ids(user) -> set[int]:
    return {
        org for org, r, t in _memberships(user) if r in LINKAGE_ROLES and t in NATIONAL_ORG_TYPES
    }


def forget(user):
    """Drop the per-request cache after memberships change."""
    user.__dict__.pop("_himaya_memberships", None)


def victim_org_ids(user) -> set[int]:
    return {org for org, role, _t in _memberships(user) if role in VICTIM_ROLES}


def analyst_org_ids(user) -> set[int]:
    return {org for org, role, _t in _memberships(user) if role in ANALYST_ROLES}


def is_national_analyst(user) -> bool:
    return any(r in ANALYST_ROLES and t in NATIONAL_ORG_TYPES for _o, r, t in _memberships(user))


def primary_org_id(user):
    """The organisation a user acts for when nothing names one (audit rows of reads): the first
    where they handle victims, else their first membership."""
    victim = victim_org_ids(user)
    if victim:
        return min(victim)
    orgs = [org for org, _r, _t in _memberships(user)]
    return min(orgs) if orgs else None


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


def handles_victims(user) -> bool:
    return bool(victim_org_ids(user))


def live_grant_q(prefix="grants__"):
    now = timezone.now()
    return (
        Q(**{f"{prefix}revoked_at__isnull": True})
        & Q(**{f"{prefix}starts_at__lte": now})
        & (Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gt": now}))
    )


def dossier_identity_q(user, prefix=""):
    """Dossiers whose person's identity the user may see."""
    orgs = victim_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}owner_org_id__in": orgs}) | (
        Q(**{f"{prefix}grants__organisation_id__in": orgs, f"{prefix}grants__with_identity": True})
        & live_grant_q(f"{prefix}grants__")
    )


def dossier_q(user, prefix=""):
    """Dossiers the user may open, with or without the identity."""
    orgs = victim_org_ids(user)
    analyst_orgs = analyst_org_ids(user)
    if is_national_analyst(user):
        return Q()
    q = Q(pk__in=[])
    if orgs:
        q |= Q(**{f"{prefix}owner_org_id__in": orgs}) | (
            Q(**{f"{prefix}grants__organisation_id__in": orgs}) & live_grant_q(f"{prefix}grants__")
        )
    if analyst_orgs:
        q |= Q(**{f"{prefix}owner_org_id__in": analyst_orgs})
    return q


def filter_dossiers(qs, user):
    if not victim_org_ids(user) and not analyst_org_ids(user):
        return qs.none()
    # A join on grants can repeat rows; select ids first.
    return qs.filter(pk__in=qs.model.objects.filter(dossier_q(user)).values("pk"))


def filter_persons(qs, user):
    orgs = victim_org_ids(user)
    if not orgs:
        return qs.none()
    from_dossiers = qs.model.objects.filter(dossier_identity_q(user, prefix="dossiers__")).values(
        "pk"
    )
    return qs.filter(Q(pk__in=from_dossiers) | Q(registered_by_id__in=orgs))


def dossier_write_q(user, prefix=""):
    """Dossiers the user may change: owned by an organisation where they handle victims."""
    orgs = victim_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}owner_org_id__in": orgs})


def filter_writable_persons(qs, user):
    """Persons the user may change or open a dossier for: registered by, or with a dossier
    owned by, an organisation where the user handles victims. Holding a grant is not enough:
    when the grant ends, nothing the partner opened may keep the person visible."""
    orgs = victim_org_ids(user)
    if not orgs:
        return qs.none()
    owned = qs.model.objects.filter(dossiers__owner_org_id__in=orgs).values("pk")
    return qs.filter(Q(registered_by_id__in=orgs) | Q(pk__in=owned))


def is_system_admin(user) -> bool:
    """Manages configuration and accounts; sees no victim by that role alone."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def withdrawable_consent_ids(user, consents, person_writable) -> set:
    """Of one person's consents, those the user may withdraw: all of them for the person's own
    organisations, else those their organisation recorded."""
    orgs = victim_org_ids(user)
    return {c.pk for c in consents if person_writable or c.organisation_id in orgs}


def can_withdraw_consent(user, consent) -> bool:
    model = consent.person.__class__
    writable = filter_writable_persons(model.objects.filter(pk=consent.person_id), user).exists()
    return consent.pk in withdrawable_consent_ids(user, [consent], writable)


def caseworker_q(org_ids, prefix=""):
    """Accounts that may be a dossier's caseworker for these organisations: active, with an
    active victim-handling membership there."""
    return Q(
        **{
            f"{prefix}is_active": True,
            f"{prefix}memberships__organisation_id__in": org_ids,
            f"{prefix}memberships__active": True,
            f"{prefix}memberships__role__in": VICTIM_ROLES,
        }
    )


def filter_person_children(qs, user, person_field="person"):
    """Records that belong to a person (documents, consents): visible with the person."""
    from_persons = filter_persons(
        qs.model._meta.get_field(person_field).related_model.objects.all(), user
    ).values("pk")
    return qs.filter(**{f"{person_field}__in": from_persons})


def sees_identity(user, dossier) -> bool:
    return dossier.__class__.objects.filter(pk=dossier.pk).filter(dossier_identity_q(user)).exists()


def filter_dossier_children(qs, user, dossier_field="dossier", identity=False):
    """Records of a dossier (stage events, notes): visible with the dossier; notes need the
    identity level, as they tell the person's story."""
    model = qs.model._meta.get_field(dossier_field).related_model
    if identity:
        allowed = model.objects.filter(dossier_identity_q(user)).values("pk")
    else:
        allowed = filter_dossiers(model.objects.all(), user).values("pk")
    return qs.filter(**{f"{dossier_field}__in": allowed})


def manageable_org_ids(user) -> set[int]:
    """Organisations whose members a user may manage (organisation admins)."""
    return {org for org, role, _t in _memberships(user) if role == "org_admin"}


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

HOTLINE_ROLES = frozenset({"hotline_operator"})
HOTLINE_ORG_TYPES = frozenset({"hotline"})


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


def report_q(user, prefix=""):
    """Reports the user may open: as their hotline, or passed to their organisation."""
    q = report_write_q(user, prefix)
    orgs = victim_org_ids(user)
    if orgs:
        q |= Q(**{f"{prefix}shares__organisation_id__in": orgs})
    return q


def filter_reports(qs, user):
    if not victim_org_ids(user):  # hotline operators handle victims too
        return qs.none()
    # A join on shares can repeat rows; select ids first.
    return qs.filter(pk__in=qs.model.objects.filter(report_q(user)).values("pk"))


def handles_reports(user) -> bool:
    """Answers a hotline: has a triage queue."""
    return bool(hotline_org_ids(user))


def hotline_acting_org_for(user, report):
    """The organisation a user acts for on a report: the receiving hotline, or for a web tip
    the first hotline they answer."""
    if report.received_by_id in hotline_org_ids(user):
        return report.received_by_id
    tips = tip_hotline_org_ids(user)
    return min(tips) if report.received_by_id is None and tips else primary_org_id(user)


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


# --- Decisions and non-punishment ----------------------------------------------------------
#
# - An identification decision is recorded by a victim-handling member of an organisation whose
#   type may decide (settings.HIMAYA_DECIDING_ORG_TYPES), on a dossier that organisation sees
#   with the identity: as its owner, or through a live grant that includes the identity. The
#   decision moves the dossier's stage even when the deciding organisation only holds a grant
#   (the stage event is signed with the deciding organisation): deciding is its competence,
#   whoever opened the dossier. Every other stage change stays with the owner.
# - An offence charged against the person is recorded by a victim-handling member of an
#   organisation that sees the dossier with the identity. Recording it raises a non-punishment
#   alert sent to the active prosecution organisations of the charge's region: each receives a
#   grant with the identity while the alert is open, whoever recorded the offence; resolving
#   the alert ends the grants that no other open alert needs.
# - An alert is resolved by the victim-handling members of the organisations it was sent to,
#   or of the dossier's owner.
# - Decisions, offences and alerts are seen with their dossier: status, dates, organisations,
#   offence types and outcomes at the de-identified level (analysts: they feed the figures);
#   the reasons of a decision, the detail of an offence, a charging authority outside Himaya,
#   the note on an outcome and who recorded them only at the identity level.

NONPUNISHMENT_ORG_TYPES = frozenset({"prosecution"})


def deciding_org_ids(user) -> set[int]:
    """Organisations where the user handles victims and whose type may take a formal
    identification decision."""
    from django.conf import settings

    allowed = settings.HIMAYA_DECIDING_ORG_TYPES
    return {org for org, role, t in _memberships(user) if role in VICTIM_ROLES and t in allowed}


def _identity_org_ids_on(dossier, org_ids) -> set[int]:
    """Of ``org_ids``, the organisations that see ``dossier`` with the identity."""
    if not org_ids:
        return set()
    found = {dossier.owner_org_id} & set(org_ids)
    found |= set(
        dossier.grants.filter(live_grant_q(""), with_identity=True, organisation_id__in=org_ids)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    return found


def decision_org_ids_for(user, dossier) -> set[int]:
    """Organisations the user may record an identification decision for, on this dossier."""
    return _identity_org_ids_on(dossier, deciding_org_ids(user))


def offence_org_ids_for(user, dossier) -> set[int]:
    """Organisations the user may record an offence charged against the person for."""
    return _identity_org_ids_on(dossier, victim_org_ids(user))


def nonpunishment_recipient_q(region_id, prefix=""):
    """Organisations a non-punishment alert about an offence charged in this region goes to."""
    return Q(
        **{
            f"{prefix}type__code__in": NONPUNISHMENT_ORG_TYPES,
            f"{prefix}region_id": region_id,
            f"{prefix}active": True,
        }
    )


def alert_inbox_q(user, prefix=""):
    """Alerts addressed to one of the user's organisations, or about a dossier one of them
    owns (its caseworkers follow their victims' charges)."""
    orgs = victim_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}recipients__in": orgs}) | Q(
        **{f"{prefix}dossier__owner_org_id__in": orgs}
    )


def alert_resolver_org_ids(user, alert) -> set[int]:
    """Organisations the user may resolve this alert for: those it was sent to, and the
    dossier's owner."""
    orgs = victim_org_ids(user)
    if not orgs:
        return set()
    recipients = set(alert.recipients.filter(pk__in=orgs).values_list("pk", flat=True))
    return recipients | ({alert.dossier.owner_org_id} & orgs)


# --- Screening -------------------------------------------------------------------------------
# A screening, with its answers, is seen by the victim-handling members of the organisation
# that screened and, once it is linked to a dossier, by those who see that dossier with its
# identity. Analysts see screening counts only (screening figures), never a screening. A draft
# is answered, submitted or discarded by the victim-handling members of the screening
# organisation; a submitted screening is never changed (a correction is a new screening), only
# linked to a dossier, by those same members. Campaigns are not personal data: members of their
# organisation (any role) and national-commission analysts see them; victim-handling members of
# the organisation write them. Questionnaires are configuration: every member reads them,
# system administrators draft and publish their versions.


def filter_screenings(qs, user):
    orgs = victim_org_ids(user)
    if not orgs:
        return qs.none()
    dossiers = qs.model._meta.get_field("dossier").related_model
    with_identity = dossiers.objects.filter(dossier_identity_q(user)).values("pk")
    return qs.filter(Q(organisation_id__in=orgs) | Q(dossier_id__in=with_identity))


def screening_write_q(user, prefix=""):
    """Drafts the user may answer, submit or discard."""
    orgs = victim_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}organisation_id__in": orgs, f"{prefix}status": "draft"})


def screening_link_q(user, prefix=""):
    """Submitted screenings the user may link to a dossier, open a dossier from, or correct."""
    orgs = victim_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}organisation_id__in": orgs, f"{prefix}status": "submitted"})


def member_org_ids(user) -> set[int]:
    return {org for org, _r, _t in _memberships(user)}


def filter_campaigns(qs, user):
    if is_national_analyst(user):
        return qs
    orgs = member_org_ids(user)
    if not orgs:
        return qs.none()
    return qs.filter(organisation_id__in=orgs)


def campaign_write_q(user, prefix=""):
    orgs = victim_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}organisation_id__in": orgs})


def reads_questionnaires(user) -> bool:
    return bool(_memberships(user)) or is_system_admin(user)


def manages_questionnaires(user) -> bool:
    return is_system_admin(user)


def screening_figure_org_ids(user):
    """Organisations whose screening counts the user may see: None for every organisation
    (national-commission analysts), else those where they are analysts or handle victims."""
    if is_national_analyst(user):
        return None
    return analyst_org_ids(user) | victim_org_ids(user)


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
REFERRAL_OVERRIDE_ROLES = frozenset({"investigator", "prosecutor"})
PROVIDER_ADMIN_ROLES = VICTIM_ROLES | {"org_admin"}
SUPPORT_GIVER_ORG_TYPES = frozenset(
    {"national_commission", "central_government", "local_government"}
)
SUPPORT_RECORDER_ROLES = frozenset({"org_admin", "analyst"})


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


def referral_q(user, prefix=""):
    orgs = victim_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return (
        Q(**{f"{prefix}from_org_id__in": orgs})
        | Q(**{f"{prefix}to_org_id__in": orgs})
        | Q(**{f"{prefix}dossier__owner_org_id__in": orgs})
    )


def filter_referrals(qs, user):
    return qs.filter(referral_q(user))


def referral_sender_org_ids(user, referral) -> set[int]:
    """The sending side of a referral: its sender and the dossier's current owner."""
    return victim_org_ids(user) & {referral.from_org_id, referral.dossier.owner_org_id}


def referral_receiver(user, referral) -> bool:
    return referral.to_org_id in victim_org_ids(user)


def _full_access_dossier_ids(user, dossier_model):
    """Dossiers the user sees with the identity other than through a referral: owned, or
    granted for another reason."""
    orgs = victim_org_ids(user)
    grants = dossier_model._meta.get_field("grants").related_model
    other = (
        grants.objects.filter(live_grant_q(""), organisation_id__in=orgs, with_identity=True)
        .exclude(source__startswith=REFERRAL_SOURCE)
        .values("dossier_id")
    )
    return dossier_model.objects.filter(Q(owner_org_id__in=orgs) | Q(pk__in=other)).values("pk")


def filter_dossier_notes(qs, user):
    """Notes: at the identity level (filter_dossier_children), and for an organisation that
    sees the dossier only through referrals, its own notes only."""
    qs = filter_dossier_children(qs, user, identity=True)
    dossiers = qs.model._meta.get_field("dossier").related_model
    return qs.filter(
        Q(dossier__in=_full_access_dossier_ids(user, dossiers))
        | Q(organisation_id__in=victim_org_ids(user))
    )


def referral_only(user, dossier) -> bool:
    """The user sees this dossier only through referrals: no justice data, no other
    organisations' notes or records."""
    return (
        sees_identity(user, dossier)
        and not dossier.__class__.objects.filter(
            pk=dossier.pk, pk__in=_full_access_dossier_ids(user, dossier.__class__)
        ).exists()
    )


def service_org_ids_for(user, dossier) -> set[int]:
    """Organisations the user may record services, plan goals and follow-ups for."""
    return _identity_org_ids_on(dossier, victim_org_ids(user))


def filter_service_records(qs, user, org_field="organisation"):
    orgs = victim_org_ids(user)
    if not orgs:
        return qs.none()
    return qs.filter(Q(**{f"{org_field}_id__in": orgs}) | Q(dossier__owner_org_id__in=orgs))


def filter_transfers(qs, user):
    orgs = victim_org_ids(user)
    if not orgs:
        return qs.none()
    return qs.filter(
        Q(from_org_id__in=orgs) | Q(to_org_id__in=orgs) | Q(dossier__owner_org_id__in=orgs)
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


# --- Justice ---------------------------------------------------------------------------------
# - Justice records (investigations, suspects, arrests, prosecutions, charges, decisions,
#   sentences, appeals, victims' participation) are seen by the investigators and prosecutors
#   (JUSTICE_ROLES) of the justice organisations of the case: the investigating organisation,
#   the prosecution office the investigation was transferred to, the office of each
#   prosecution, and the courts of a prosecution (the court seized, or the court of one of its
#   decisions). A court sees its prosecutions and their defendants, and the investigation they
#   came from, but not the investigation's other suspects.
# - NGOs, shelters, international organisations and hotlines are not justice organisations:
#   they never see a suspect, whatever dossier of theirs is linked to an investigation.
# - Analysts see justice figures only, never a record: those of their own justice organisation,
#   or all of them for the national commission, which also gets the list of proceedings that
#   involve a public official or a person with immunity, without any identity.
# - Writes: the investigating organisation opens and edits its investigation, transfers it to a
#   prosecution office and closes it; it and the office it was transferred to add suspects,
#   arrests, detentions, releases and links to dossiers and reports. A prosecution office starts
#   prosecutions on investigations it sees and writes their charges, victims' participation and
#   appeals; decisions and sentences are recorded by the office or by the court seized.
# - Linking a victim's dossier needs the dossier's identity (its owner or a grant with the
#   identity, through one of the linking user's organisations). Each justice organisation of
#   the investigation that does not already see the dossier with its identity (the investigating
#   organisation, and the prosecution office once the investigation is transferred) gets an
#   access grant with the identity for as long as the link lasts; a dossier owned by the police
#   that investigates needs none. Justice never gets a grant for dossiers it cannot already
#   see: an NGO that wants the police to see a victim's dossier shares it first (a referral).

JUSTICE_ROLES = frozenset({"investigator", "prosecutor"})
INVESTIGATING_ORG_TYPES = frozenset({"police", "gendarmerie", "prosecution", "labour_inspectorate"})
PROSECUTING_ORG_TYPES = frozenset({"prosecution"})
COURT_ORG_TYPES = frozenset({"court"})
JUSTICE_ORG_TYPES = INVESTIGATING_ORG_TYPES | COURT_ORG_TYPES


def justice_org_ids(user, types=JUSTICE_ORG_TYPES) -> set[int]:
    """Organisations of the given types where the user investigates or prosecutes."""
    return {org for org, role, t in _memberships(user) if role in JUSTICE_ROLES and t in types}


def investigating_org_ids(user) -> set[int]:
    return justice_org_ids(user, INVESTIGATING_ORG_TYPES)


def prosecuting_org_ids(user) -> set[int]:
    return justice_org_ids(user, PROSECUTING_ORG_TYPES)


def court_org_ids(user) -> set[int]:
    return justice_org_ids(user, COURT_ORG_TYPES)


def handles_justice(user) -> bool:
    return bool(justice_org_ids(user))


def _investigation_case_q(orgs, prefix=""):
    """Investigations where one of ``orgs`` investigates or prosecutes (not as a court)."""
    return (
        Q(**{f"{prefix}investigating_org_id__in": orgs})
        | Q(**{f"{prefix}prosecution_office_id__in": orgs})
        | Q(**{f"{prefix}prosecutions__office_id__in": orgs})
    )


def prosecution_q(user, prefix=""):
    orgs = justice_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return (
        Q(**{f"{prefix}office_id__in": orgs})
        | Q(**{f"{prefix}court_id__in": orgs})
        | Q(**{f"{prefix}charges__decisions__court_id__in": orgs})
        | _investigation_case_q(orgs, f"{prefix}investigation__")
    )


def filter_prosecutions(qs, user):
    if not justice_org_ids(user):
        return qs.none()
    # Joins on charges and decisions repeat rows; select ids first.
    return qs.filter(pk__in=qs.model.objects.filter(prosecution_q(user)).values("pk"))


def investigation_q(user, prefix=""):
    orgs = justice_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return (
        _investigation_case_q(orgs, prefix)
        | Q(**{f"{prefix}prosecutions__court_id__in": orgs})
        | Q(**{f"{prefix}prosecutions__charges__decisions__court_id__in": orgs})
    )


def filter_investigations(qs, user):
    if not justice_org_ids(user):
        return qs.none()
    return qs.filter(pk__in=qs.model.objects.filter(investigation_q(user)).values("pk"))


def filter_suspects(qs, user):
    """Suspects of the investigations the user's organisation investigates or prosecutes,
    defendants of the prosecutions it sees (courts), and those it registered."""
    orgs = justice_org_ids(user)
    if not orgs:
        return qs.none()
    model = qs.model
    in_cases = model.objects.filter(_investigation_case_q(orgs, "links__investigation__"))
    defendants = model.objects.filter(prosecution_q(user, "prosecutions__"))
    return qs.filter(
        Q(pk__in=in_cases.values("pk"))
        | Q(pk__in=defendants.values("pk"))
        | Q(registered_by_id__in=orgs)
    )


def investigation_edit_q(user, prefix=""):
    """Investigations whose header and status the user may change."""
    orgs = investigating_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}investigating_org_id__in": orgs})


def investigation_write_q(user, prefix=""):
    """Investigations the user may add suspects, their events and links to."""
    orgs = investigating_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}investigating_org_id__in": orgs}) | Q(
        **{f"{prefix}prosecution_office_id__in": orgs}
    )


def investigation_org_for(user, investigation):
    """The organisation a user acts for on an investigation they may write."""
    orgs = investigating_org_ids(user)
    if investigation.investigating_org_id in orgs:
        return investigation.investigating_org_id
    if investigation.prosecution_office_id in orgs:
        return investigation.prosecution_office_id
    return None


def prosecution_write_q(user, prefix=""):
    """Prosecutions whose charges, victims' participation and appeals the user may write."""
    orgs = prosecuting_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}office_id__in": orgs})


def prosecution_decide_q(user, prefix=""):
    """Prosecutions whose decisions and sentences the user may record: the office's, and the
    court seized."""
    q = prosecution_write_q(user, prefix)
    courts = court_org_ids(user)
    if courts:
        q |= Q(**{f"{prefix}court_id__in": courts})
    return q


def prosecution_org_for(user, prosecution):
    if prosecution.office_id in prosecuting_org_ids(user):
        return prosecution.office_id
    if prosecution.court_id and prosecution.court_id in court_org_ids(user):
        return prosecution.court_id
    return None


def justice_dossier_grant_org_ids(investigation, dossier) -> set[int]:
    """Justice organisations of an investigation that need a grant to see a linked dossier with
    its identity (see the rules above)."""
    wanted = {investigation.investigating_org_id}
    if investigation.prosecution_office_id:
        wanted.add(investigation.prosecution_office_id)
    return wanted - _identity_org_ids_on(dossier, wanted)


def justice_figure_org_ids(user):
    """Organisations whose justice figures the user sees: None for all of them (national
    commission analysts), else their justice organisations (as analysts or members)."""
    if is_national_analyst(user):
        return None
    analyst = {
        org
        for org, role, t in _memberships(user)
        if role in ANALYST_ROLES and t in JUSTICE_ORG_TYPES
    }
    return analyst | justice_org_ids(user)


def sees_justice_oversight(user) -> bool:
    """The list of proceedings involving officials or immunity (no identities)."""
    return is_national_analyst(user)


# --- Exchange (imports and exports) ----------------------------------------------------------
# Registers are imported (and exported) by the members who write justice records (investigators
# and prosecutors, JUSTICE_ROLES) of the justice organisations that keep them: police,
# gendarmerie, prosecution offices, courts and labour inspectorates. An import acts for one of
# those organisations: every record goes through the justice actions, which apply the justice
# rules above to the importing user. An import run (who, when, which file, what it did) is seen
# by the same members of the organisation it was made for; nobody else sees it.

EXCHANGE_ORG_TYPES = JUSTICE_ORG_TYPES


def exchange_org_ids(user) -> set[int]:
    """Organisations the user may import registers for (and see the import runs of)."""
    return justice_org_ids(user, EXCHANGE_ORG_TYPES)


# --- Exchange: casework of past years ----------------------------------------------------------
# The casework of past years (persons and their dossiers, identification decisions, referrals and
# services, exchange/casework.py) is imported by whoever opens dossiers in the pages: the members
# whose role handles victims (VICTIM_ROLES: a prosecution office's prosecutors as an NGO's
# caseworkers), into an organisation where they do, and nowhere else: every dossier imported is
# owned by it, and a row may only name a dossier it imported before or in the same file. One rule
# for the page and the import, so nobody imports a dossier they could not open, nor is refused
# one they could. Its import runs are seen by those same members; a justice register's by the
# justice members (above).


def casework_import_org_ids(user) -> set[int]:
    """Organisations the user may import casework of past years into (and see those runs of):
    those where they open dossiers in the pages."""
    return victim_org_ids(user)


# --- Statistics (annual report, dashboards) ----------------------------------------------------
# The national annual report (every agency's figures, no identities) is read by the analysts of
# the national commission, who also freeze it as the official submission. Its drill-downs list
# only the records the reader may open anyway (the rules above), so an analyst sees victim
# dossiers without identity and no justice record. The public statistics need no login.


def reads_national_report(user) -> bool:
    return is_national_analyst(user)


def freezes_national_report(user) -> bool:
    return is_national_analyst(user)


# --- Encrypted exports (S18) --------------------------------------------------------------------
# An export holding personal data is its requester's alone: not their colleagues', not an
# administrator's. Anyone else asking for it gets the 404 of a missing one.


def filter_secure_exports(qs, user):
    if not getattr(user, "is_authenticated", False) or not member_org_ids(user):
        return qs.none()
    return qs.filter(owner_id=user.pk)


# --- The data subject's rights (S21, Law 09-08) ------------------------------------------------
# A person's own organisations answer their requests: whoever may change the person (the rules
# above) gives them a copy of what their organisation may see. Erasure cannot be undone: it also
# needs the organisation admin role in the organisation that registered the person, where the
# user handles victims too. A request is seen by the members of the organisation that answered
# it, and by the national commission's linkage officers, who pass it on to the other holders.


def subject_eraser_org_ids(user) -> set[int]:
    return manageable_org_ids(user) & victim_org_ids(user)


def filter_subject_requests(qs, user):
    if is_linkage_officer(user):
        return qs
    return qs.filter(organisation_id__in=member_org_ids(user))
