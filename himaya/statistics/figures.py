"""The one module of figures (DOMAIN.md §6). Each figure is a function of ``(year, scope)``
with its counting rule in its docstring; the annual report, the dashboards, the public page
and the API read figures from here only.

Common rules:

- **Events dated in the year**: a figure counts records whose date (decision, arrest, start,
  referral sent…) falls between 1 January and 31 December of the year, in the deployment's
  time zone; an event on 31 December counts in that year, one on 1 January in the next.
- **Distinct people**: a person counts once per figure however many records, dossiers or events
  they have; two records linked as the same person (``Person.same_as``, ``Suspect.same_as``)
  are one person.
- **Forms may sum to more than the total**: a person is counted under every form of
  exploitation that applies, and under each parent form; a sub-form is an "including" line
  of its parent.
- **Child or adult by age at the event** (the identification, the start of the prosecution):
  from the birth date, the birth year alone (the age reached during the event's year, without
  the month), or the estimated age moved forward from the day it was estimated; unknown when
  there is none of these.
- **National or foreign**: a person holding the deployment's citizenship (settings
  ``HIMAYA_COUNTRY``) is national, even with another one; a person with citizenships none of
  which is the deployment's is foreign; without a recorded citizenship, unknown.

``scope`` narrows what is counted: None for the whole country (the commission's figures), or a
``Scope`` of the dossiers and organisations a reader may see (a drill-down).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.cases import figures as cases_figures
from himaya.cases.models import POSITIVE_STATUSES, Dossier, IdentificationDecision
from himaya.coordination import figures as coordination_figures
from himaya.core.models import Code
from himaya.hotline import figures as hotline_figures
from himaya.hotline.models import Report
from himaya.justice import figures as justice_figures
from himaya.justice.models import Prosecution, suspect_key
from himaya.people.models import Person, person_key
from himaya.people.models import age_on as people_age_on
from himaya.referrals import figures as referrals_figures
from himaya.referrals.models import Referral, ReturnAssistance, ServiceRecord, ShelterStay
from himaya.screening import figures as screening_figures

from .revision import data_revision

CHILD_AGE = 18
SEXES = ("female", "male", "unknown")
AGE_GROUPS = ("child", "adult", "unknown")
CITIZENSHIP_GROUPS = ("national", "foreign", "unknown")


@dataclass
class Scope:
    """What a reader may count: ``dossiers`` (a queryset of the dossiers visible to them) for
    victim figures, ``orgs`` (organisation ids) for justice figures; None means everything."""

    dossiers: object = None
    orgs: object = None


def _dossiers(scope):
    return None if scope is None else scope.dossiers


def _orgs(scope):
    return None if scope is None else scope.orgs


def days(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# --- Ages and citizenship ----------------------------------------------------------------------


def age_on(person_row, day):
    """Age in whole years on ``day`` from a row of Person values (``people.models.age_on``,
    the rule of ``Person.age_on``)."""
    return people_age_on(
        day,
        birth_date=person_row["birth_date"],
        precision=person_row["birth_date_precision"],
        estimated_age=person_row["estimated_age"],
        estimated_on=person_row["estimated_on"],
        created_at=person_row["created_at"],
    )


def age_group(age):
    if age is None:
        return "unknown"
    return "child" if age < CHILD_AGE else "adult"


def citizenship_group(countries):
    if not countries:
        return "unknown"
    return "national" if settings.HIMAYA_COUNTRY in countries else "foreign"


def sex_group(code):
    return code if code in ("female", "male") else "unknown"


# --- Victims -------------------------------------------------------------------------------------


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
    codes = {c.pk: c for c in Code.objects.filter(list="exploitation_form")}

    def chain(pk):
        found = set()
        node = codes.get(pk)
        while node is not None:
            found.add(node.code)
            node = codes.get(node.parent_id)
        return found

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


_FIRSTS = {}


def first_dates(year) -> dict:
    """``first_decisions(year)`` as {person: date}, read once per data revision (the annual
    report asks for it from several figures)."""
    key = (year, data_revision())
    if key not in _FIRSTS:
        if len(_FIRSTS) > 8:
            _FIRSTS.clear()
        _FIRSTS[key] = dict(first_decisions(year).values_list("who", "first"))
    return _FIRSTS[key]


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
    start, end = days(year)
    dossiers = _dossiers(scope)
    firsts = first_dates(year)
    # Positive decisions of the year (a superset: some persons were identified before); the
    # queries below use it as a plain subquery and keep the persons of ``firsts`` in Python,
    # which planners handle far better than a grouped subquery inside IN.
    in_year = (
        IdentificationDecision.objects.filter(
            status__code__in=POSITIVE_STATUSES, decided_on__range=(start, end)
        )
        .annotate(who=person_key("dossier__"))
        .order_by()
    )
    if dossiers is not None:
        in_year = in_year.filter(dossier__in=dossiers.values("pk"))
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
    countries = defaultdict(list)
    for pid, code in (
        Person.citizenships.through.objects.filter(person_id__in=in_year.values("who"))
        .order_by()
        .values_list("person_id", "code__code")
    ):
        if pid in dossier_of:
            countries[pid].append(code)
    victims = []
    for row in (
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
    ):
        pid = row["pk"]
        if pid not in dossier_of:  # positive this year, but identified in an earlier year
            continue
        age = age_on(row, firsts[pid])
        victims.append(
            Victim(
                person=pid,
                identified_on=firsts[pid],
                sex=sex_group(row["sex__code"]),
                age=age,
                age_group=age_group(age),
                citizenship=citizenship_group(countries[pid]),
                countries=sorted(countries[pid]),
                forms=forms_of[pid],
                region=region_of.get(pid, ""),
                dossier=first_dossier[pid],
            )
        )
    victims.sort(key=lambda v: v.person)
    return victims


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


# --- Defendants (UNODC breakdowns) ---------------------------------------------------------------


@dataclass
class Defendant:
    person: int
    sex: str
    age_group: str
    citizenship: str
    forms: set = field(default_factory=set)


def _suspect_rows(pairs):
    """``pairs``: (suspect key, event day, form code or None). One Defendant per suspect key,
    aged on the first event of the year."""
    first, forms = {}, defaultdict(set)
    for who, day, form in pairs:
        if who not in first or day < first[who]:
            first[who] = day
        if form:
            forms[who].add(form)
    from himaya.justice.models import Suspect

    out = []
    for row in Suspect.objects.filter(pk__in=list(first)).values(
        "pk", "sex__code", "birth_date", "birth_date_precision", "citizenship__code"
    ):
        probe = {**row, "estimated_age": None, "estimated_on": None, "created_at": None}
        age = age_on(probe, first[row["pk"]]) if row["birth_date"] else None
        country = row["citizenship__code"]
        out.append(
            Defendant(
                person=row["pk"],
                sex=sex_group(row["sex__code"]),
                age_group=age_group(age),
                citizenship=citizenship_group([country] if country else []),
                forms=forms[row["pk"]],
            )
        )
    return out


def _top_form_of():
    codes = {c.pk: c for c in Code.objects.filter(list="exploitation_form")}

    def top(pk):
        node = codes.get(pk)
        while node is not None and node.parent_id is not None:
            node = codes.get(node.parent_id)
        return node.code if node else None

    return top


def defendants_in_contact(year, scope=None) -> list[Defendant]:
    """Persons brought into formal contact with the police (UNODC): distinct suspects with an
    arrest dated in the year."""
    from himaya.justice.models import SuspectEvent

    qs = SuspectEvent.objects.filter(kind="arrest", on__year=year)
    if _orgs(scope) is not None:
        qs = qs.filter(justice_figures._inv_scope(_orgs(scope), "investigation__"))
    return _suspect_rows(
        (who, on, None) for who, on in qs.annotate(who=suspect_key()).values_list("who", "on")
    )


def defendants_prosecuted(year, scope=None) -> list[Defendant]:
    """Distinct defendants with a prosecution started in the year, with the top-level forms of
    their charges (the same rule as ``justice.figures.prosecuted_by_form``)."""
    top = _top_form_of()
    qs = Prosecution.objects.filter(started_on__year=year, charges__isnull=False)
    if _orgs(scope) is not None:
        qs = qs.filter(justice_figures._pros_scope(_orgs(scope)))
    return _suspect_rows(
        (who, on, top(form))
        for who, on, form in qs.annotate(who=suspect_key()).values_list(
            "who", "started_on", "charges__form_id"
        )
    )


def defendants_convicted(year, scope=None) -> list[Defendant]:
    """Distinct defendants with a conviction dated in the year, with the top-level forms of the
    charges they were convicted on."""
    top = _top_form_of()
    qs = justice_figures._convictions(year, _orgs(scope))
    return _suspect_rows(
        (who, on, top(form))
        for who, on, form in qs.annotate(who=suspect_key("charge__prosecution__")).values_list(
            "who", "decided_on", "charge__form_id"
        )
    )


# --- The other figures, from the apps' query modules ---------------------------------------------
# Each app keeps the queries of its own records; these are the rules the report prints.


def justice(year, scope=None) -> dict:
    """Investigations opened; distinct suspects arrested; distinct defendants prosecuted and
    convicted by form (sub-forms as "including" lines); sentences by band; acquittals;
    proceedings involving officials; stalled proceedings — each with the previous year
    (``himaya.justice.figures``)."""
    return justice_figures.all_figures(year, _orgs(scope))


def law_enforcement(year, scope=None) -> dict:
    """The four headline counts of the justice figures, for the year alone: investigations
    opened, distinct suspects arrested, distinct defendants prosecuted and convicted (the
    totals of ``justice``; the public page shows these)."""
    orgs = _orgs(scope)
    return {
        "investigations": justice_figures._investigations(year, orgs),
        "arrested": justice_figures._arrested(year, orgs),
        "prosecuted": justice_figures._prosecuted(year, orgs)["total"],
        "convicted": justice_figures._convicted(year, orgs)["total"],
    }


def non_punishment(year, scope=None) -> dict:
    """Victims with an offence recorded against them in the year, by type; alerts raised,
    resolved (by outcome) and open at year end (``himaya.cases.figures``)."""
    return cases_figures.nonpunishment_figures(year, _dossiers(scope))


def _moments(year):
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def _as_of(as_of):
    """The report's date: now for a live report (a frozen one is built when it is frozen)."""
    return as_of or timezone.now()


def _local_day(moment):
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def referrals_of_identified(year, scope=None, as_of=None):
    """The referrals that make an identified victim of the year "referred" (DOMAIN.md §6): sent
    to another organisation than the sender, any status, from the day of the person's first
    positive identification decision up to the report's date (``as_of``, default now), so a
    victim identified on 28 December and referred on 3 January counts in the year of
    identification. One per person: the first such referral (the drill-down lists these)."""
    firsts = first_dates(year)
    start, _end = _moments(year)
    qs = (
        Referral.objects.filter(sent_at__gte=start, sent_at__lte=_as_of(as_of))
        .exclude(to_org=F("from_org"))
        .annotate(who=person_key("dossier__"))
        .filter(who__in=first_decisions(year).values("who"))
    )
    if _dossiers(scope) is not None:
        qs = qs.filter(dossier__in=_dossiers(scope).values("pk"))
    first_referral = {}
    for who, pk, sent_at in qs.order_by("sent_at", "pk").values_list("who", "pk", "sent_at"):
        if who not in first_referral and _local_day(sent_at) >= firsts[who]:
            first_referral[who] = pk
    return Referral.objects.filter(pk__in=first_referral.values())


def _persons_of(qs, scope):
    if _dossiers(scope) is not None:
        qs = qs.filter(dossier__in=_dossiers(scope).values("pk"))
    return set(
        qs.annotate(who=person_key("dossier__")).order_by().values_list("who", flat=True).distinct()
    )


def identified_referred(year, scope=None, as_of=None) -> int:
    """Referred (DOMAIN.md §6): identified victims of the year with at least one referral to
    another organisation sent from their identification up to the report's date, any status
    (a revoked referral was sent); see ``referrals_of_identified``."""
    return referrals_of_identified(year, scope, as_of).count()


def services_of_identified(year, scope=None, as_of=None) -> dict:
    """{person: {"own", "partner"}}: identified victims of the year with a service delivered
    from their identification up to the report's date (a session, a shelter stay running then,
    a return travelling then), by the organisation holding the dossier ("own": a shelter that
    identified her assists her without a referral) or by another one ("partner")."""
    firsts = first_dates(year)
    start, _end = days(year)
    until = _local_day(_as_of(as_of))
    who = first_decisions(year).values("who")
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
        if _dossiers(scope) is not None:
            qs = qs.filter(dossier__in=_dossiers(scope).values("pk"))
        rows = (
            qs.annotate(who=person_key("dossier__"))
            .filter(who__in=who)
            .values_list("who", provider, "dossier__owner_org_id", begins, ends)
            .order_by()
        )
        for person, by, owner, first_day, last_day in rows:
            if (last_day is None or last_day >= firsts[person]) and first_day <= until:
                out[person].add("own" if by == owner else "partner")
    return dict(out)


def identified_assisted(year, scope=None, as_of=None) -> int:
    """Assisted (DOMAIN.md §6): identified victims of the year with at least one service
    delivered from their identification up to the report's date, by a partner or by the
    organisation holding the dossier; see ``services_of_identified``."""
    return len(services_of_identified(year, scope, as_of))


def protection(year, scope=None, as_of=None) -> dict:
    """Identified victims of the year referred and assisted (DOMAIN.md §6); every person
    referred or served in the year, whenever identified; referrals by service and provider type,
    answers, rejections by reason, response time, services delivered, shelter beds and
    bed-nights, returns by destination (``himaya.referrals.figures``)."""
    d = _dossiers(scope)
    f = referrals_figures
    served = services_of_identified(year, scope, as_of)
    return {
        "referred": identified_referred(year, scope, as_of),
        "assisted": len(served),
        "assisted_own": sum(1 for by in served.values() if "own" in by),
        "assisted_partner": sum(1 for by in served.values() if "partner" in by),
        "persons_referred": f.victims_referred(year, d),
        "persons_assisted": f.victims_assisted(year, d),
        "by_service": f.victims_referred_by_service(year, d),
        "by_provider_type": f.victims_referred_by_provider_type(year, d),
        "answers": f.referral_answers(year, d),
        "rejections": f.rejections_by_reason(year, d),
        "response": f.response_time_hours(year, d),
        "services": f.services_delivered(year, d),
        "beds": f.shelter_beds(year),
        "bed_nights": f.bed_nights(year, d),
        "returns": f.returns_by_destination(year, d),
    }


def support_to_ngos(year, scope=None) -> dict:
    """Support given to NGOs in the year: financial (MAD, number of grants), in kind, and the
    number of organisations receiving it (``himaya.referrals.figures``)."""
    return referrals_figures.support_to_ngos(year)


def hotline(year, scope=None) -> dict:
    """Hotline reports received in the year, by channel and outcome, and the time to triage
    (``himaya.hotline.figures``)."""
    start, end = hotline_figures.year_period(year)
    return hotline_figures.summary(Report.objects.all(), start, end)


def screening(year, scope=None) -> dict:
    """People screened in the year, by recommendation, and the dossiers opened from screenings;
    how many screenings were proactive (in a campaign) (``himaya.screening.figures``)."""
    return screening_figures.year_figures(year)


def trainings(year, scope=None) -> dict:
    """Trainings (DOMAIN.md §6): training sessions whose first day is dated in the year, by
    topic; their participants counted per type of agency (the organisation type they came
    from) and by sex (women, men, not recorded). A person trained in two sessions of the year
    counts in each: names are optional, so participations are counted, not distinct people
    (``himaya.coordination.figures``)."""
    return coordination_figures.trainings(year)


# --- Figures an indicator of the action plan is computed from (coordination) -----------------
# Each is a number for a year, counted by the rule of the figure it names, with the
# drill-down (statistics.drill) that lists its records where there is one.


def _justice_total(fn):
    return lambda year: fn(year, None)["total"]


INDICATOR_FIGURES = {
    "victims_identified": (_("Victims identified"), victims_identified_total, "victims"),
    "victims_referred": (_("Identified victims referred"), identified_referred, "referred"),
    "victims_assisted": (_("Identified victims assisted"), identified_assisted, None),
    "investigations": (
        _("Investigations opened"),
        lambda year: justice_figures._investigations(year, None),
        "investigations",
    ),
    "arrested": (
        _("Suspects arrested"),
        lambda year: justice_figures._arrested(year, None),
        "arrested",
    ),
    "prosecuted": (
        _("Defendants prosecuted"),
        _justice_total(justice_figures._prosecuted),
        "prosecuted",
    ),
    "convicted": (
        _("Defendants convicted"),
        _justice_total(justice_figures._convicted),
        "convicted",
    ),
    "shelter_beds": (
        _("Shelter beds at year end"),
        lambda year: referrals_figures.shelter_beds(year)["total"],
        None,
    ),
    "training_sessions": (
        _("Training sessions held"),
        lambda year: trainings(year)["sessions"],
        None,
    ),
    "people_trained": (
        _("Participants in trainings"),
        lambda year: trainings(year)["participants"],
        None,
    ),
}


def indicator_catalogue() -> dict:
    """{key: label} of the figures an indicator may be computed from."""
    return {key: label for key, (label, _fn, _drill) in INDICATOR_FIGURES.items()}


def years_with_data() -> list[int]:
    """The years some record of the annual report is dated in (an identification decision, an
    investigation, an arrest, a prosecution, a referral, a service, a hotline report, a
    training), newest first: the years a report has something to say about."""
    from himaya.coordination.models import Training
    from himaya.justice.models import Investigation, SuspectEvent

    years = set()
    for qs, name in (
        (IdentificationDecision.objects.all(), "decided_on"),
        (Investigation.objects.all(), "opened_on"),
        (SuspectEvent.objects.all(), "on"),
        (Prosecution.objects.all(), "started_on"),
        (ServiceRecord.objects.all(), "on"),
        (ShelterStay.objects.all(), "admitted_on"),
        (ReturnAssistance.objects.all(), "travel_on"),
        (Training.objects.all(), "starts_on"),
    ):
        years |= {d.year for d in qs.order_by().dates(name, "year")}
    for qs, name in ((Referral.objects.all(), "sent_at"), (Report.objects.all(), "received_at")):
        years |= {d.year for d in qs.order_by().datetimes(name, "year")}
    return sorted(years, reverse=True)
