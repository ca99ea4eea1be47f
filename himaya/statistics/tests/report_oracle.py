"""The straightforward implementations the fast figures are checked against (the property test
``test_report_fast``): the row-by-row versions the report used before its families were
computed in the database, kept here as the oracle. Each follows its rule word for word."""

import datetime
import importlib
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from himaya.cases.models import POSITIVE_STATUSES, Dossier, IdentificationDecision
from himaya.core.models import Code
from himaya.people.models import Person, person_key
from himaya.referrals import figures as referrals_figures
from himaya.referrals.models import Referral, ReturnAssistance, ServiceRecord, ShelterStay
from himaya.statistics import figures

# the module (the package exports its function ``protection`` under the same name)
fast = importlib.import_module("himaya.statistics.figures.protection")


def services_of_identified(year, scope=None, as_of=None) -> dict:
    """{person: {"own", "partner"}}, every service row read into Python."""
    firsts = figures.first_dates(year)
    start, _end = figures.days(year)
    until = fast._local_day(fast._as_of(as_of))
    who = figures.first_decisions(year).values("who")
    out = defaultdict(set)
    for qs, provider, begins, ends in (
        (ServiceRecord.objects.filter(on__range=(start, until)), "organisation_id", "on", "on"),
        (
            ShelterStay.objects.filter(admitted_on__lte=until).filter(
                Q(discharged_on__isnull=True) | Q(discharged_on__gte=start)
            ),
            "facility__organisation_id",
            "admitted_on",
            "discharged_on",
        ),
        (
            ReturnAssistance.objects.filter(travel_on__range=(start, until)),
            "organisation_id",
            "travel_on",
            "travel_on",
        ),
    ):
        scoped = fast._scoped(qs, scope)
        rows = (
            scoped.annotate(who=person_key("dossier__"))
            .filter(who__in=who)
            .values_list("who", provider, "dossier__owner_org_id", begins, ends)
            .order_by()
        )
        for person, by, owner, first_day, last_day in rows:
            if (last_day is None or last_day >= firsts[person]) and first_day <= until:
                out[person].add("own" if by == owner else "partner")
    return dict(out)


def _sent_in(year, dossiers):
    """The referrals sent in the year (any status), read straight from ``sent_at``."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    qs = Referral.objects.filter(sent_at__gte=start, sent_at__lt=end)
    return qs if dossiers is None else qs.filter(dossier__in=dossiers.values("pk"))


def persons_referred(year, dossiers=None) -> dict:
    """Every person referred in the year, whenever identified (DOMAIN.md §6): distinct persons
    with at least one referral sent in the year (any status, revoked included: it was sent), in
    total, per service and per type of the receiving organisation (a person referred to two
    services counts under each), one referral row at a time."""
    persons, by_service, by_type = set(), defaultdict(set), defaultdict(set)
    for who, service, org_type in (
        _sent_in(year, dossiers)
        .annotate(who=person_key("dossier__"))
        .values_list("who", "service", "to_org__type__code")
    ):
        persons.add(who)
        by_service[service].add(who)
        by_type[org_type].add(who)
    return {
        "total": len(persons),
        "by_service": {k: len(v) for k, v in by_service.items()},
        "by_provider_type": {k: len(v) for k, v in by_type.items()},
    }


def persons_assisted(year, dossiers=None) -> int:
    """Every person served in the year, whenever identified: distinct persons with a session
    dated in the year, a stay running at some point of the year, or a return travelling in the
    year, one service row at a time."""
    start, end = figures.days(year)
    persons = set()
    for qs in (
        ServiceRecord.objects.filter(on__range=(start, end)),
        ShelterStay.objects.filter(admitted_on__lte=end).filter(
            Q(discharged_on__isnull=True) | Q(discharged_on__gte=start)
        ),
        ReturnAssistance.objects.filter(travel_on__range=(start, end)),
    ):
        if dossiers is not None:
            qs = qs.filter(dossier__in=dossiers.values("pk"))
        persons |= set(qs.annotate(who=person_key("dossier__")).values_list("who", flat=True))
    return len(persons)


def protection(year, scope=None, as_of=None) -> dict:
    """``figures.protection`` from the straightforward pieces: the referrals the drill-down
    lists, the services and persons above, and ``referrals.figures`` one figure per query."""
    d = figures.common._dossiers(scope)
    f = referrals_figures
    served = services_of_identified(year, scope, as_of)
    referred = persons_referred(year, d)
    return {
        "referred": figures.referrals_of_identified(year, scope, as_of).count(),
        "assisted": len(served),
        "assisted_own": sum(1 for by in served.values() if "own" in by),
        "assisted_partner": sum(1 for by in served.values() if "partner" in by),
        "persons_referred": referred["total"],
        "persons_assisted": persons_assisted(year, d),
        "by_service": referred["by_service"],
        "by_provider_type": referred["by_provider_type"],
        "answers": f.referral_answers(year, d),
        "rejections": f.rejections_by_reason(year, d),
        "response": f.response_time_hours(year, d),
        "services": f.services_delivered(year, d),
        "beds": f.shelter_beds(year),
        "bed_nights": f.bed_nights(year, d),
        "returns": f.returns_by_destination(year, d),
    }


def unodc_victims(victims, with_forms) -> list:
    """The UNODC victims' cells counted one victim at a time (top-level forms only)."""
    cells = defaultdict(int)
    for v in victims:
        forms = sorted(v.top_forms) if with_forms and v.top_forms else [""]
        for form in forms:
            cells[(v.sex, v.age_group, v.citizenship, form)] += 1
    return [
        {"sex": s, "age": a, "citizenship": c, "form": f, "count": n}
        for (s, a, c, f), n in sorted(cells.items())
    ]


# --- victims identified ---------------------------------------------------------------------


def _form_chains():
    codes = {c.pk: c for c in Code.objects.filter(list="exploitation_form")}

    def chain(pk):
        found = set()
        node = codes.get(pk)
        while node is not None:
            found.add(node.code)
            node = codes.get(node.parent_id)
        return found

    return chain


def identified_victims(year, scope=None) -> list:
    """``figures.identified_victims`` as it was: one query per attribute, a chain of forms
    walked per form row."""
    firsts = figures.first_dates(year)
    in_year = _positive_in_year(year, figures.common._dossiers(scope))
    dossier_of, region_of, first_dossier = _their_dossiers(in_year, firsts)
    forms_of = _their_forms(in_year, dossier_of)
    countries = _their_countries(in_year, dossier_of)
    victims = []
    for row in _person_rows(in_year):
        pid = row["pk"]
        if pid not in dossier_of:  # positive this year, but identified in an earlier year
            continue
        age = figures.age_on(row, firsts[pid])
        victims.append(
            figures.Victim(
                person=pid,
                identified_on=firsts[pid],
                sex=figures.sex_group(row["sex__code"]),
                age=age,
                age_group=figures.age_group(age),
                citizenship=figures.citizenship_group(countries[pid]),
                countries=sorted(countries[pid]),
                forms=forms_of[pid],
                region=region_of.get(pid, ""),
                dossier=first_dossier[pid],
            )
        )
    victims.sort(key=lambda v: v.person)
    return victims


def _positive_in_year(year, dossiers):
    """Positive decisions of the year (a superset: some persons were identified before); the
    queries below use it as a plain subquery and keep the persons of ``first_dates`` in
    Python, which planners handle far better than a grouped subquery inside IN."""
    start, end = figures.days(year)
    in_year = (
        IdentificationDecision.objects.filter(
            status__code__in=POSITIVE_STATUSES, decided_on__range=(start, end)
        )
        .annotate(who=person_key("dossier__"))
        .order_by()
    )
    if dossiers is not None:
        in_year = in_year.filter(dossier__in=dossiers.values("pk"))
    return in_year


def _their_dossiers(in_year, firsts):
    """Per person identified in the year: the dossiers with a positive decision of the year,
    the region of exploitation of the first of them and the dossier of the first decision."""
    rows = [
        row
        for row in in_year.values_list(
            "who", "dossier_id", "decided_on", "dossier__exploitation_region__code"
        )
        if row[0] in firsts
    ]
    dossier_of, region_of, first_dossier = {}, {}, {}
    for who, dossier_id, _day, region in sorted(rows, key=lambda r: (r[2], r[1])):
        dossier_of.setdefault(who, set()).add(dossier_id)
        region_of.setdefault(who, region or "")
        first_dossier.setdefault(who, dossier_id)
    return dossier_of, region_of, first_dossier


def _their_forms(in_year, dossier_of):
    """Per person: the forms of their dossiers of the year, each with every form above it."""
    chain = _form_chains()
    forms_of = defaultdict(set)
    person_of_dossier = {d: who for who, ds in dossier_of.items() for d in ds}
    through = Dossier.forms.through
    for dossier_id, code_id in (
        through.objects.filter(dossier_id__in=in_year.values("dossier_id"))
        .order_by()
        .values_list("dossier_id", "code_id")
    ):
        if dossier_id in person_of_dossier:
            forms_of[person_of_dossier[dossier_id]] |= chain(code_id)
    return forms_of


def _their_countries(in_year, dossier_of):
    """Per person: the codes of their citizenships."""
    countries = defaultdict(list)
    for pid, code in (
        Person.citizenships.through.objects.filter(person_id__in=in_year.values("who"))
        .order_by()
        .values_list("person_id", "code__code")
    ):
        if pid in dossier_of:
            countries[pid].append(code)
    return countries


def _person_rows(in_year):
    """The values of the person records that sex, age and citizenship are read from."""
    return (
        Person.objects.filter(pk__in=in_year.values("who"))
        .order_by()
        .values(
            "pk",
            "sex__code",
            "birth_date",
            "birth_date_precision",
            "estimated_age",
            "estimated_on",
            "created_at",
        )
    )
