"""Dossiers and persons: who opens a dossier, who sees a person's identity, who writes them;
identification decisions and non-punishment alerts (the rules: see the package's docstring)."""

from django.db.models import Exists, OuterRef, Q

from .base import (
    VICTIM_ROLES,
    _memberships,
    analyst_org_ids,
    is_national_analyst,
    live_grant_q,
    live_grants,
    model,
    restrict,
    union,
    victim_org_ids,
)


def identity_dossier_ids(user):
    """Ids of the dossiers whose person's identity the user may see: owned by an organisation
    where they handle victims, or granted to one of them with the identity and live."""
    orgs = victim_org_ids(user)
    if not orgs:
        return None
    return union(
        model("cases.Dossier").objects.filter(owner_org_id__in=orgs).values("pk"),
        live_grants(orgs, identity=True).values("dossier_id"),
    )


def visible_dossier_ids(user):
    """Ids of the dossiers the user may open (with or without the identity); ``ALL`` for the
    national commission's analysts, ``None`` for nobody."""
    if is_national_analyst(user):
        return ALL
    orgs = victim_org_ids(user)
    owners = orgs | analyst_org_ids(user)
    dossiers = model("cases.Dossier").objects
    return union(
        dossiers.filter(owner_org_id__in=owners).values("pk") if owners else None,
        live_grants(orgs).values("dossier_id") if orgs else None,
    )


# The national commission's analysts see every dossier: no restriction at all.
ALL = object()


def _ids_q(ids, prefix=""):
    if ids is ALL:
        return Q()
    if ids is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}pk__in": ids})


def dossier_identity_q(user, prefix=""):
    """Dossiers whose person's identity the user may see."""
    return _ids_q(identity_dossier_ids(user), prefix)


def dossier_q(user, prefix=""):
    """Dossiers the user may open, with or without the identity."""
    return _ids_q(visible_dossier_ids(user), prefix)


def filter_dossiers(qs, user):
    ids = visible_dossier_ids(user)
    if ids is ALL:
        return qs.all()
    return restrict(qs, ids)


def _granted_dossiers(orgs):
    """Dossiers granted to ``orgs`` with the identity, live: ids within ids (``IN`` inside
    ``IN``), which PostgreSQL reads from the few grants outwards. Followed as a join from the
    grants (``dossier__person__registered_by_id``), it probed a person for each of 76,769
    dossiers to find the 12 registrars of 38 grants: 103 ms of every person list at 100k
    persons, 10 ms this way (issue 17)."""
    return model("cases.Dossier").objects.filter(
        pk__in=live_grants(orgs, identity=True).values("dossier_id")
    )


def filter_persons(qs, user):
    """Persons seen through a dossier with the identity (owned, or granted with it and live),
    and those registered by the user's organisations."""
    orgs = victim_org_ids(user)
    if not orgs:
        return qs.none()
    dossiers = model("cases.Dossier").objects
    return restrict(
        qs,
        union(
            dossiers.filter(owner_org_id__in=orgs).values("person_id"),
            _granted_dossiers(orgs).values("person_id"),
            qs.model.objects.filter(registered_by_id__in=orgs).values("pk"),
        ),
    )


def dossier_write_q(user, prefix=""):
    """Dossiers the user may change: owned by an organisation where they handle victims."""
    orgs = victim_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}owner_org_id__in": orgs})


def writes_dossier(user, dossier) -> bool:
    """``dossier_write_q`` for one loaded dossier, without a query."""
    return dossier.owner_org_id in victim_org_ids(user)


def filter_writable_persons(qs, user):
    """Persons the user may change or open a dossier for: registered by, or with a dossier
    owned by, an organisation where the user handles victims. Holding a grant is not enough:
    when the grant ends, nothing the partner opened may keep the person visible."""
    orgs = victim_org_ids(user)
    if not orgs:
        return qs.none()
    return restrict(
        qs,
        union(
            qs.model.objects.filter(registered_by_id__in=orgs).values("pk"),
            model("cases.Dossier").objects.filter(owner_org_id__in=orgs).values("person_id"),
        ),
    )


def withdrawable_consent_ids(user, consents, person_writable) -> set:
    """Of one person's consents, those the user may withdraw: all of them for the person's own
    organisations, else those their organisation recorded."""
    orgs = victim_org_ids(user)
    return {c.pk for c in consents if person_writable or c.organisation_id in orgs}


def can_withdraw_consent(user, consent) -> bool:
    model = consent.person.__class__
    writable = filter_writable_persons(model.objects.filter(pk=consent.person_id), user).exists()
    return consent.pk in withdrawable_consent_ids(user, [consent], writable)


def filter_person_children(qs, user, person_field="person"):
    """Records that belong to a person (documents, consents): visible with the person."""
    from_persons = filter_persons(
        qs.model._meta.get_field(person_field).related_model.objects.all(), user
    ).values("pk")
    return qs.filter(**{f"{person_field}__in": from_persons})


def identity_ids_among(user, dossiers) -> set:
    """Of loaded dossiers (a page of a list), the ids the user sees with the identity: those
    their organisations own, without a query, and those granted to them with the identity
    (one query on the grants of these ids), never the whole rule's union."""
    orgs = victim_org_ids(user)
    if not orgs:
        return set()
    owned = {d.pk for d in dossiers if d.owner_org_id in orgs}
    rest = [d.pk for d in dossiers if d.pk not in owned]
    if rest:
        granted = live_grants(orgs, identity=True).filter(dossier_id__in=rest)
        owned |= set(granted.values_list("dossier_id", flat=True))
    return owned


def sees_identity(user, dossier) -> bool:
    orgs = victim_org_ids(user)
    if not orgs:
        return False
    if dossier.owner_org_id in orgs:  # the owner: no query
        return True
    return live_grants(orgs, identity=True).filter(dossier_id=dossier.pk).exists()


def filter_dossier_children(qs, user, dossier_field="dossier", identity=False):
    """Records of a dossier (stage events, notes): visible with the dossier; notes need the
    identity level, as they tell the person's story."""
    ids = identity_dossier_ids(user) if identity else visible_dossier_ids(user)
    if ids is ALL:
        return qs.all()
    return restrict(qs, ids, dossier_field)


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


def alert_resolver_org_ids(user, alert) -> set[int]:
    """Organisations the user may resolve this alert for: those it was sent to, and the
    dossier's owner."""
    orgs = victim_org_ids(user)
    if not orgs:
        return set()
    recipients = set(alert.recipients.filter(pk__in=orgs).values_list("pk", flat=True))
    return recipients | ({alert.dossier.owner_org_id} & orgs)


# --- Filter choices --------------------------------------------------------------------------
# The organisations a list may be filtered by, without a second pass over everything the user
# sees (issue 17): their own organisations, and those met through live grants (a small index
# range), never the whole visibility subquery.


def dossier_owner_org_q(user):
    """Organisations owning a dossier the user sees (an ``Organisation`` filter)."""
    dossiers = model("cases.Dossier").objects
    if is_national_analyst(user):  # an index probe per organisation, not a pass over all
        return Q(Exists(dossiers.filter(owner_org_id=OuterRef("pk"))))
    orgs = victim_org_ids(user)
    own = orgs | analyst_org_ids(user)
    if not own:
        return Q(pk__in=[])
    granted = dossiers.filter(pk__in=live_grants(orgs).values("dossier_id")) if orgs else None
    q = Q(pk__in=own)
    if granted is not None:
        q |= Q(pk__in=granted.order_by().values("owner_org_id"))
    return q


def person_registrar_org_q(user):
    """Organisations that registered a person the user sees with the identity: their own, and
    the registrars of persons of dossiers granted to them with the identity."""
    orgs = victim_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    persons = model("people.Person").objects.filter(
        pk__in=_granted_dossiers(orgs).values("person_id")
    )
    return Q(pk__in=orgs) | Q(pk__in=persons.values("registered_by_id"))
