"""The visibility rules written as unions of indexed sub-selects (core/access, issue 17) return
exactly the rows of their former form, an ``OR`` across joins, on random caseloads, for every
role. The former form lives only here, as the reference the property is checked against."""

import random
from datetime import date, timedelta

import pytest
from django.core.exceptions import EmptyResultSet
from django.db.models import Q
from django.utils import timezone

from himaya.accounts.models import Membership, Organisation, User
from himaya.cases.models import AccessGrant, Dossier
from himaya.core import access
from himaya.core.models import Code
from himaya.hotline.models import Report, ReportShare
from himaya.justice.models import (
    Charge,
    CourtDecision,
    Investigation,
    InvestigationSuspect,
    Prosecution,
    Suspect,
)
from himaya.people.models import Person
from himaya.referrals.models import DossierTransfer, Referral, ServiceRecord
from himaya.screening.models import Questionnaire, Screening

# --- the former rules (an OR across joins), kept as the reference -------------------------


def old_live_grant_q(prefix):
    now = timezone.now()
    return (
        Q(**{f"{prefix}revoked_at__isnull": True})
        & Q(**{f"{prefix}starts_at__lte": now})
        & (Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gt": now}))
    )


def old_identity_q(user, prefix=""):
    orgs = access.victim_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}owner_org_id__in": orgs}) | (
        Q(**{f"{prefix}grants__organisation_id__in": orgs, f"{prefix}grants__with_identity": True})
        & old_live_grant_q(f"{prefix}grants__")
    )


def old_dossiers(user):
    orgs, analysts = access.victim_org_ids(user), access.analyst_org_ids(user)
    if not orgs and not analysts:
        return Dossier.objects.none()
    if access.is_national_analyst(user):
        return Dossier.objects.all()
    q = Q(pk__in=[])
    if orgs:
        q |= Q(owner_org_id__in=orgs) | (
            Q(grants__organisation_id__in=orgs) & old_live_grant_q("grants__")
        )
    if analysts:
        q |= Q(owner_org_id__in=analysts)
    return Dossier.objects.filter(q)


def old_persons(user):
    orgs = access.victim_org_ids(user)
    if not orgs:
        return Person.objects.none()
    via = Person.objects.filter(old_identity_q(user, "dossiers__")).values("pk")
    return Person.objects.filter(Q(pk__in=via) | Q(registered_by_id__in=orgs))


def old_writable_persons(user):
    orgs = access.victim_org_ids(user)
    if not orgs:
        return Person.objects.none()
    owned = Person.objects.filter(dossiers__owner_org_id__in=orgs).values("pk")
    return Person.objects.filter(Q(registered_by_id__in=orgs) | Q(pk__in=owned))


def old_person_registrars(user):
    """The person list's "registered by" choices: the user's organisations and the registrars
    of the persons of dossiers granted to them with the identity."""
    orgs = access.victim_org_ids(user)
    if not orgs:
        return Organisation.objects.none()
    granted = Person.objects.filter(
        Q(dossiers__grants__organisation_id__in=orgs, dossiers__grants__with_identity=True)
        & old_live_grant_q("dossiers__grants__")
    ).values("registered_by_id")
    return Organisation.objects.filter(Q(pk__in=orgs) | Q(pk__in=granted))


def old_referrals(user):
    orgs = access.victim_org_ids(user)
    if not orgs:
        return Referral.objects.none()
    return Referral.objects.filter(
        Q(from_org_id__in=orgs) | Q(to_org_id__in=orgs) | Q(dossier__owner_org_id__in=orgs)
    )


def old_screenings(user):
    orgs = access.victim_org_ids(user)
    if not orgs:
        return Screening.objects.none()
    ids = Dossier.objects.filter(old_identity_q(user)).values("pk")
    return Screening.objects.filter(Q(organisation_id__in=orgs) | Q(dossier_id__in=ids))


def old_reports(user):
    if not access.victim_org_ids(user):
        return Report.objects.none()
    q = Q(pk__in=[])
    if access.hotline_org_ids(user):
        q |= Q(received_by_id__in=access.hotline_org_ids(user))
    if access.tip_hotline_org_ids(user):
        q |= Q(received_by__isnull=True)
    q |= Q(shares__organisation_id__in=access.victim_org_ids(user))
    return Report.objects.filter(q)


def old_case_q(orgs, prefix=""):
    return (
        Q(**{f"{prefix}investigating_org_id__in": orgs})
        | Q(**{f"{prefix}prosecution_office_id__in": orgs})
        | Q(**{f"{prefix}prosecutions__office_id__in": orgs})
    )


def old_prosecution_q(orgs, prefix=""):
    return (
        Q(**{f"{prefix}office_id__in": orgs})
        | Q(**{f"{prefix}court_id__in": orgs})
        | Q(**{f"{prefix}charges__decisions__court_id__in": orgs})
        | old_case_q(orgs, f"{prefix}investigation__")
    )


def old_prosecutions(user):
    orgs = access.justice_org_ids(user)
    if not orgs:
        return Prosecution.objects.none()
    return Prosecution.objects.filter(old_prosecution_q(orgs))


def old_investigations(user):
    orgs = access.justice_org_ids(user)
    if not orgs:
        return Investigation.objects.none()
    return Investigation.objects.filter(
        old_case_q(orgs)
        | Q(prosecutions__court_id__in=orgs)
        | Q(prosecutions__charges__decisions__court_id__in=orgs)
    )


def old_suspects(user):
    orgs = access.justice_org_ids(user)
    if not orgs:
        return Suspect.objects.none()
    in_cases = Suspect.objects.filter(old_case_q(orgs, "links__investigation__")).values("pk")
    defendants = Suspect.objects.filter(old_prosecution_q(orgs, "prosecutions__")).values("pk")
    return Suspect.objects.filter(
        Q(pk__in=in_cases) | Q(pk__in=defendants) | Q(registered_by_id__in=orgs)
    )


def old_service_records(user):
    orgs = access.victim_org_ids(user)
    if not orgs:
        return ServiceRecord.objects.none()
    return ServiceRecord.objects.filter(
        Q(organisation_id__in=orgs) | Q(dossier__owner_org_id__in=orgs)
    )


def old_transfers(user):
    orgs = access.victim_org_ids(user)
    if not orgs:
        return DossierTransfer.objects.none()
    return DossierTransfer.objects.filter(
        Q(from_org_id__in=orgs) | Q(to_org_id__in=orgs) | Q(dossier__owner_org_id__in=orgs)
    )


PAIRS = {
    "dossiers": (lambda u: Dossier.objects.visible_to(u), old_dossiers),
    "identity": (
        lambda u: Dossier.objects.with_identity_for(u),
        lambda u: Dossier.objects.filter(old_identity_q(u)),
    ),
    "persons": (lambda u: Person.objects.visible_to(u), old_persons),
    "writable persons": (lambda u: Person.objects.writable_by(u), old_writable_persons),
    "person registrars": (
        lambda u: Organisation.objects.filter(access.person_registrar_org_q(u)),
        old_person_registrars,
    ),
    "referrals": (lambda u: Referral.objects.visible_to(u), old_referrals),
    "screenings": (lambda u: Screening.objects.visible_to(u), old_screenings),
    "reports": (lambda u: Report.objects.visible_to(u), old_reports),
    "investigations": (lambda u: Investigation.objects.visible_to(u), old_investigations),
    "prosecutions": (lambda u: Prosecution.objects.visible_to(u), old_prosecutions),
    "suspects": (lambda u: Suspect.objects.visible_to(u), old_suspects),
    "service records": (lambda u: ServiceRecord.objects.visible_to(u), old_service_records),
    "transfers": (lambda u: DossierTransfer.objects.visible_to(u), old_transfers),
}

# --- a random caseload ---------------------------------------------------------------------

ORG_TYPES = [
    "ngo",
    "shelter",
    "police",
    "gendarmerie",
    "prosecution",
    "court",
    "hotline",
    "national_commission",
    "international_organisation",
]
ROLES = [
    "caseworker",
    "shelter_manager",
    "investigator",
    "prosecutor",
    "hotline_operator",
    "analyst",
    "org_admin",
]


# The caseload is drawn at random and written with bulk_create, not through the actions: the
# property needs states the actions refuse (grants starting tomorrow, referrals to one's own
# organisation, records of organisations that hold no right to them), some five hundred rows
# per seed. The helpers draw in a fixed order, so that a seed always gives the same caseload.


def caseload(rng):
    """Organisations of every type, users holding one to three random memberships (some
    inactive), and records tied to them at random, grants live, ended, expired and future."""
    code = {(c.list, c.code): c for c in Code.objects.all()}
    orgs, users = _organisations_and_users(rng, code)
    actor = users[0]
    dossiers = _dossiers_and_grants(rng, orgs, actor)
    _services(rng, orgs, dossiers, actor)
    _screenings_and_reports(rng, orgs, dossiers, actor)
    _justice(rng, orgs, actor, code[("exploitation_form", "labour")])
    return users


def _organisations_and_users(rng, code):
    """Fourteen organisations, the types in turn, and twenty users with random memberships."""
    region = code[("region", "casablanca_settat")]
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name_ar=f"o{i}",
            name_fr=f"o{i}",
            name_en=f"o{i}",
            type=code[("org_type", ORG_TYPES[i % len(ORG_TYPES)])],
            region=region,
        )
        for i in range(14)
    )
    users = User.objects.bulk_create(User(username=f"u{i}") for i in range(20))
    Membership.objects.bulk_create(
        Membership(user=u, organisation=o, role=rng.choice(ROLES), active=rng.random() > 0.1)
        for u in users
        for o in rng.sample(orgs, rng.randint(1, 3))
    )
    return orgs, users


def _dossiers_and_grants(rng, orgs, actor):
    """Forty persons, fifty dossiers, and sixty grants: live, ended, expired or future."""
    now = timezone.now()
    persons = Person.objects.bulk_create(Person(registered_by=rng.choice(orgs)) for _ in range(40))
    dossiers = Dossier.objects.bulk_create(
        Dossier(reference=f"D{i}", person=rng.choice(persons), owner_org=rng.choice(orgs))
        for i in range(50)
    )

    def when():
        return rng.choice([None, now - timedelta(days=1), now + timedelta(days=1)])

    AccessGrant.objects.bulk_create(
        AccessGrant(
            dossier=rng.choice(dossiers),
            organisation=rng.choice(orgs),
            with_identity=rng.random() > 0.3,
            reason="r",
            source=rng.choice(["referral:1", "justice:2", ""]),
            granted_by=actor,
            starts_at=rng.choice([now - timedelta(days=2), now + timedelta(days=1)]),
            until=when(),
            revoked_at=rng.choice([None, None, now - timedelta(hours=1)]),
        )
        for _ in range(60)
    )
    return dossiers


def _services(rng, orgs, dossiers, actor):
    """Referrals, service records and dossier transfers between random organisations."""
    Referral.objects.bulk_create(
        Referral(
            dossier=rng.choice(dossiers),
            from_org=rng.choice(orgs),
            to_org=rng.choice(orgs),
            service="shelter",
            reason="r",
            sent_by=actor,
        )
        for _ in range(30)
    )
    ServiceRecord.objects.bulk_create(
        ServiceRecord(
            dossier=rng.choice(dossiers),
            organisation=rng.choice(orgs),
            kind="medical",
            on=date(2024, 1, 1),
            given_by=actor,
        )
        for _ in range(30)
    )
    DossierTransfer.objects.bulk_create(
        DossierTransfer(
            dossier=rng.choice(dossiers),
            from_org=rng.choice(orgs),
            to_org=rng.choice(orgs),
            reason="r",
            proposed_by=actor,
        )
        for _ in range(15)
    )


def _screenings_and_reports(rng, orgs, dossiers, actor):
    """Screenings (some on no dossier), hotline reports (some web tips) and their shares."""
    questionnaire = Questionnaire.objects.filter(status="published").first()
    Screening.objects.bulk_create(
        Screening(
            reference=f"S{i}",
            questionnaire=questionnaire,
            organisation=rng.choice(orgs),
            screener=actor,
            dossier=rng.choice([None, *dossiers]),
        )
        for i in range(30)
    )
    reports = Report.objects.bulk_create(
        Report(
            reference=f"R{i}",
            channel="call",
            urgency="normal",
            narrative="n",
            received_by=rng.choice([None, *orgs]),
        )
        for i in range(30)
    )
    ReportShare.objects.bulk_create(
        ReportShare(report=r, organisation=o, by=actor)
        for r, o in {(rng.choice(reports), rng.choice(orgs)) for _ in range(20)}
    )


def _justice(rng, orgs, actor, form):
    """Investigations, suspects in them, prosecutions, charges and court decisions."""
    investigations = Investigation.objects.bulk_create(
        Investigation(
            reference=f"I{i}",
            opened_on=date(2024, 1, 1),
            last_event_on=date(2024, 1, 1),
            investigating_org=rng.choice(orgs),
            prosecution_office=rng.choice([None, *orgs]),
            created_by=actor,
        )
        for i in range(20)
    )
    suspects = Suspect.objects.bulk_create(
        Suspect(registered_by=rng.choice(orgs), created_by=actor) for _ in range(25)
    )
    InvestigationSuspect.objects.bulk_create(
        InvestigationSuspect(investigation=i, suspect=s, added_on=date(2024, 1, 2), added_by=actor)
        for i, s in {(rng.choice(investigations), rng.choice(suspects)) for _ in range(25)}
    )
    prosecutions = Prosecution.objects.bulk_create(
        Prosecution(
            suspect=s,
            investigation=i,
            started_on=date(2024, 2, 1),
            last_event_on=date(2024, 2, 1),
            office=rng.choice(orgs),
            court=rng.choice([None, *orgs]),
            created_by=actor,
        )
        for i, s in {(rng.choice(investigations), rng.choice(suspects)) for _ in range(15)}
    )
    charges = Charge.objects.bulk_create(
        Charge(
            prosecution=rng.choice(prosecutions),
            article="448.1",
            form=form,
            organisation=rng.choice(orgs),
            created_by=actor,
        )
        for _ in range(20)
    )
    CourtDecision.objects.bulk_create(
        CourtDecision(
            charge=rng.choice(charges),
            outcome="convicted",
            decided_on=date(2024, 6, 1),
            court=rng.choice([None, *orgs]),
            organisation=rng.choice(orgs),
            recorded_by=actor,
        )
        for _ in range(12)
    )


def point_reads(visible, want, rng):
    """Rows chosen by primary key (a detail page, a list of candidates) are read path by path
    (``access.Visible``'s EXISTS form): the same rows as the union gives."""
    everything = list(visible.model.objects.values_list("pk", flat=True))
    chosen = rng.sample(everything, min(len(everything), rng.randint(1, 12)))
    among = visible.filter(pk__in=chosen)
    assert set(among.values_list("pk", flat=True)) == want & set(chosen)
    one = chosen[0]
    assert visible.filter(pk=one).exists() == (one in want)
    unions = sql(visible).count(" UNION ")
    if unions:  # a rule of several paths: its union is not gathered whole
        assert sql(among).count(" UNION ") < unions, sql(among)
    for field in visible.model._meta.concrete_fields:  # the rows of one case record
        if not field.many_to_one or field.related_model._meta.label not in access.CASE_RECORDS:
            continue
        values = visible.model.objects.values_list(field.attname, flat=True)
        parents = sorted({v for v in values if v is not None})
        if not parents:
            continue
        parent = rng.choice(parents)
        rows = set(
            visible.model.objects.filter(**{field.attname: parent}).values_list("pk", flat=True)
        )
        of_one = visible.filter(**{field.attname: parent})
        assert set(of_one.values_list("pk", flat=True)) == want & rows, field.name
        if unions:
            assert sql(of_one).count(" UNION ") < unions, sql(of_one)
        # Either of two records (a dossier's rows, or its person's): each branch names a few
        # rows, so the paths are probed for them too.
        other = rng.choice(parents)
        either = Q(**{field.attname: parent}) | Q(**{field.attname: other, "pk__isnull": False})
        rows |= set(
            visible.model.objects.filter(**{field.attname: other}).values_list("pk", flat=True)
        )
        of_two = visible.filter(either)
        assert set(of_two.values_list("pk", flat=True)) == want & rows, field.name
        if unions:
            assert sql(of_two).count(" UNION ") < unions, sql(of_two)


def sql(qs):
    try:
        return str(qs.query)
    except EmptyResultSet:  # a rule that gives this user no rows
        return ""


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(6))
def test_union_rules_match_the_former_or_rules(seed, figure):
    users = caseload(random.Random(seed))
    compared = mismatches = 0
    for user in users:
        access.forget(user)
        for name, (new, old) in PAIRS.items():
            got = set(new(user).values_list("pk", flat=True))
            want = set(old(user).values_list("pk", flat=True))
            compared += 1
            assert got == want, (seed, user.username, name, sorted(got ^ want))
            mismatches += got != want
            point_reads(new(user), want, random.Random(f"{seed}{user.pk}{name}"))
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles >= {"caseworker", "investigator", "analyst"}  # the draw covers the roles
    figure(f"access unions, seed {seed}: {compared} (user, rule) pairs → {mismatches} differ")
