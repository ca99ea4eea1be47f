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
