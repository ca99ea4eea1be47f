"""Figures about non-punishment (DOMAIN.md §6). Each figure is one function with its counting
rule in its docstring; counts carry no identity. Every function takes an optional ``dossiers``
queryset that narrows the records counted (a drill-down for a user passes
``Dossier.objects.visible_to(user)``); the statistics app puts the year before beside the year
asked for.

Victims identified are counted in ``himaya.statistics.figures`` only (``identified_victims``):
the rule needs every dossier of a person, and one home keeps the report, the drill-downs, the
dashboards and the public page on the same count.

Persons are distinct people: two records linked as the same person (``Person.same_as``) count
once, through ``himaya.people.models.person_key``."""

import datetime

from django.db.models import Count
from django.utils import timezone

from himaya.people.models import person_key

from .models import AlertOutcome, NonPunishmentAlert, OffenceCharge, OffenceType


def _in(qs, dossiers, field="dossier"):
    return qs if dossiers is None else qs.filter(**{f"{field}__in": dossiers.values("pk")})


def _days(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _moments(year):
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))


# --- non-punishment --------------------------------------------------------------------------


def victims_with_offence(year, dossiers=None) -> int:
    """Victims with an offence recorded against them: distinct persons with at least one
    offence charge dated (charged on) in the year. Offences are recorded only for presumed or
    identified victims."""
    return _in(OffenceCharge.objects.filter(charged_on__range=_days(year)), dossiers).aggregate(
        n=Count(person_key("dossier__"), distinct=True)
    )["n"]


def victims_with_offence_by_type(year, dossiers=None) -> dict:
    """Victims with an offence recorded against them, by type of offence: distinct persons
    with an offence of that type charged in the year; a person charged with two types counts
    under each, so the types may sum to more than ``victims_with_offence``."""
    rows = (
        _in(OffenceCharge.objects.filter(charged_on__range=_days(year)), dossiers)
        .values("offence_type")
        .annotate(n=Count(person_key("dossier__"), distinct=True))
    )
    found = {r["offence_type"]: r["n"] for r in rows}
    return {t: found.get(t, 0) for t in OffenceType.values}


def alerts_raised(year, dossiers=None) -> int:
    """Non-punishment alerts raised in the year (one per offence recorded, dated when it was
    recorded)."""
    return _in(NonPunishmentAlert.objects.filter(raised_at__range=_moments(year)), dossiers).count()


def alerts_resolved(year, dossiers=None) -> dict:
    """Non-punishment alerts resolved in the year (outcome dated in the year, whenever they
    were raised), by outcome. Returns {"total": n, outcome: n, ...} with every outcome."""
    rows = (
        _in(NonPunishmentAlert.objects.filter(resolved_on__range=_days(year)), dossiers)
        .values("outcome")
        .annotate(n=Count("pk"))
    )
    found = {r["outcome"]: r["n"] for r in rows}
    return {"total": sum(found.values()), **{o: found.get(o, 0) for o in AlertOutcome.values}}


def alerts_open_at_year_end(year, dossiers=None) -> int:
    """Non-punishment alerts raised by the end of the year and not resolved by then."""
    _start, end = _moments(year)
    return (
        _in(NonPunishmentAlert.objects.filter(raised_at__lt=end), dossiers)
        .exclude(resolved_on__lte=datetime.date(year, 12, 31))
        .count()
    )


def nonpunishment_figures(year, dossiers=None) -> dict:
    """The non-punishment figures of a year, together (DOMAIN.md §6 "non-punishment")."""
    return {
        "victims_with_offence": victims_with_offence(year, dossiers),
        "by_offence_type": victims_with_offence_by_type(year, dossiers),
        "alerts_raised": alerts_raised(year, dossiers),
        "alerts_resolved": alerts_resolved(year, dossiers),
        "alerts_open_at_year_end": alerts_open_at_year_end(year, dossiers),
    }
