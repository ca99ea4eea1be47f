"""Victims identified in a year (DOMAIN.md §6): the one query of identification decisions by
year (``identified_victims``), and the counts read off its rows."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Min

from himaya.cases.models import POSITIVE_STATUSES, IdentificationDecision
from himaya.core.models import Code
from himaya.people.models import Person, person_key

from ..revision import PerRevision
from .common import _dossiers, age_from, age_group, citizenship_group, days, sex_group


@dataclass
class Victim:
    """One identified victim of the year, without identity: what the breakdowns need."""

    person: int
    identified_on: datetime.date
    sex: str
    age: int | None
    age_group: str
    citizenship: str
    countries: list = field(default_factory=list)
    forms: set = field(default_factory=set)  # each form and every form above it
    region: str = ""
    dossier: int | None = None  # the dossier of the first decision (the drill-down lists it)


def _form_chains():
    """``chain(code id)``: the form's code with the codes of every form above it (one set per
    form, built once: shared by every victim counted under it, never changed)."""
    codes = {c.pk: c for c in Code.objects.filter(list="exploitation_form")}
    chains = {}

    def chain(pk):
        if pk not in chains:
            found = set()
            node = codes.get(pk)
            while node is not None:
                found.add(node.code)
                node = codes.get(node.parent_id)
            chains[pk] = frozenset(found)
        return chains[pk]

    return chain


def first_decisions(year):
    """Per person (``who``: records linked as the same person are one), the date (``first``)
    of their first identification decision saying possible or actual victim, for the persons
    whose first one is dated in the year. A queryset, usable as a subquery."""
    start, end = days(year)
    return (
        IdentificationDecision.objects.filter(status__code__in=POSITIVE_STATUSES)
        .annotate(who=person_key("dossier__"))
        .values("who")
        .annotate(first=Min("decided_on"))
        .filter(first__range=(start, end))
        .order_by()
    )


_FIRSTS = PerRevision(size=8)


def first_dates(year) -> dict:
    """``first_decisions(year)`` as {person: date}, read once per data revision (the annual
    report asks for it from several figures)."""
    return _FIRSTS.get(year, lambda: dict(first_decisions(year).values_list("who", "first")))


def identified_victims(year, scope=None) -> list[Victim]:
    """Victims identified in the year, one row per person: distinct persons whose first
    identification decision saying possible or actual victim (over all their dossiers and
    records linked as the same person) is dated in the year. Their forms are the forms of the
    dossiers with a positive decision dated in the year (with the parents of each form);
    their region is the region of exploitation of the dossier of their first decision; sex,
    age and citizenship are read off the person record (the record the others are linked to),
    the age on the day of that first decision. With a scope, only persons with a positive
    decision of the year on a dossier of the scope.

    This is the one query of identification decisions by year (DOMAIN.md §6: one function per
    figure); the total, the forms, the breakdowns, the drill-down, the dashboards and the
    public page are all read off its rows."""
    firsts = first_dates(year)
    in_year = positive_in_year(year, _dossiers(scope))
    dossier_of, region_of, first_dossier, forms_of = _their_dossiers(in_year, firsts)
    victims = []
    home = settings.HIMAYA_COUNTRY
    for (pid, sex, *birth), held in _person_rows(in_year, dossier_of):
        age = age_from(firsts[pid], *birth)
        victims.append(
            Victim(
                person=pid,
                identified_on=firsts[pid],
                sex=sex_group(sex),
                age=age,
                age_group=age_group(age),
                citizenship=citizenship_group(held, home),
                countries=sorted(held),
                forms=forms_of.get(pid) or set(),
                region=region_of.get(pid, ""),
                dossier=first_dossier[pid],
            )
        )
    victims.sort(key=lambda v: v.person)
    return victims


def positive_in_year(year, dossiers):
    """Positive decisions of the year (a superset: some persons were identified before); the
    queries below use it as a plain subquery and keep the persons of ``first_dates`` in
    Python, which planners handle far better than a grouped subquery inside IN."""
    start, end = days(year)
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
    the region of exploitation of the first of them, the dossier of the first decision, and
    the forms of those dossiers, each with every form above it (one query: a decision's row
    once per form of its dossier)."""
    chain = _form_chains()
    dossier_of, region_of, first_dossier, forms_of = {}, {}, {}, defaultdict(set)
    for who, dossier_id, region, form in in_year.order_by("decided_on", "dossier_id").values_list(
        "who", "dossier_id", "dossier__exploitation_region__code", "dossier__forms"
    ):
        if who not in firsts:  # positive this year, but identified in an earlier year
            continue
        dossier_of.setdefault(who, set()).add(dossier_id)
        region_of.setdefault(who, region or "")
        first_dossier.setdefault(who, dossier_id)
        if form is not None:
            forms_of[who] |= chain(form)
    return dossier_of, region_of, first_dossier, forms_of


PERSON_VALUES = (
    "pk",
    "sex__code",
    "birth_date",
    "birth_date_precision",
    "estimated_age",
    "estimated_on",
    "created_at",
)


def _person_rows(in_year, dossier_of):
    """(values, citizenship codes) of the person records that sex, age and citizenship are
    read from, for the persons identified in the year: the values as a tuple in the order of
    ``PERSON_VALUES`` (one query: a person's row once per citizenship)."""
    persons, countries = {}, defaultdict(list)
    for *row, country in (
        Person.objects.filter(pk__in=in_year.values("who"))
        .order_by()
        .values_list(*PERSON_VALUES, "citizenships__code")
    ):
        pid = row[0]
        if pid not in dossier_of:  # positive this year, but identified in an earlier year
            continue
        persons.setdefault(pid, row)
        if country is not None:
            countries[pid].append(country)
    return [(row, countries.get(pid, [])) for pid, row in persons.items()]


def victims_by(victims, attribute) -> Counter:
    """Victims counted by one attribute (sex, age_group, citizenship, region)."""
    return Counter(getattr(v, attribute) for v in victims)


def victims_by_form(victims) -> Counter:
    """Victims counted under each form and each parent form: forms may sum to more than the
    total."""
    return Counter(code for v in victims for code in v.forms)


def victims_by_country(victims) -> Counter:
    """Victims by citizenship country: a person with two citizenships counts under each."""
    return Counter(code for v in victims for code in v.countries)


def victims_identified_total(year, scope=None) -> int:
    """Victims identified in the year: how many persons ``identified_victims`` counts."""
    return len(identified_victims(year, scope))


def victims_identified_by_form(year, scope=None) -> dict:
    """Victims identified, by form (DOMAIN.md §6): the persons of ``identified_victims``, each
    counted once under every form of exploitation of the dossiers that had a positive decision
    dated in the year, and once under each parent of those forms ("forced labour, including
    forced begging"), so the forms may sum to more than the total; a person whose dossiers
    carry no form is counted in the total only.

    Returns {"total": n, "by_form": {form code: n}}, forms sorted by code."""
    victims = identified_victims(year, scope)
    return {"total": len(victims), "by_form": dict(sorted(victims_by_form(victims).items()))}
