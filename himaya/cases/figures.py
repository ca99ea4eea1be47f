"""Figures about identification decisions and non-punishment (DOMAIN.md §6). Each figure is one
function with its counting rule in its docstring; counts carry no identity. Every function
takes an optional ``dossiers`` queryset that narrows the records counted (a drill-down for a
user passes ``Dossier.objects.visible_to(user)``); the statistics app puts the year before
beside the year asked for.

Persons are distinct people: two records linked as the same person (``Person.same_as``) count
once, through ``himaya.people.models.person_key``."""

import datetime

from django.db.models import Count, Min
from django.utils import timezone

from himaya.core.models import Code
from himaya.people.models import person_key

from .models import (
    POSITIVE_STATUSES,
    AlertOutcome,
    Dossier,
    IdentificationDecision,
    NonPunishmentAlert,
    OffenceCharge,
    OffenceType,
)


def _in(qs, dossiers, field="dossier"):
    return qs if dossiers is None else qs.filter(**{f"{field}__in": dossiers.values("pk")})


def _days(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _moments(year):
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))


# --- identification --------------------------------------------------------------------------


def identified_person_ids(year, dossiers=None) -> set[int]:
    """Persons whose FIRST identification decision saying possible or actual victim (over all
    their dossiers, whoever holds them) is dated in the year. A later decision, or a second
    dossier, never counts the person again in another year; a negative decision overturned by
    a positive review counts from the review's date. With ``dossiers``, only the persons with
    a positive decision of the year on one of those dossiers."""
    start, end = _days(year)
    positive = IdentificationDecision.objects.filter(status__code__in=POSITIVE_STATUSES)
    firsts = (
        positive.annotate(who=person_key("dossier__"))
        .values("who")
        .annotate(first=Min("decided_on"))
        .filter(first__range=(start, end))
    )
    persons = {row["who"] for row in firsts}
    if dossiers is not None:
        persons &= set(
            _in(positive.filter(decided_on__range=(start, end)), dossiers)
            .annotate(who=person_key("dossier__"))
            .values_list("who", flat=True)
        )
    return persons


def victims_identified(year, dossiers=None) -> dict:
    """Victims identified, by form (DOMAIN.md §6): distinct persons whose first identification
    decision (possible or actual victim) is dated in the year (``identified_person_ids``).
    Each is counted once under every form of exploitation of the dossiers that had a positive
    decision dated in the year, and once under each parent of those forms ("forced labour,
    including forced begging"), so the forms may sum to more than the total. A person whose
    dossiers carry no form is counted in the total only.

    Returns {"total": n, "by_form": {form code: n}}."""
    persons = identified_person_ids(year, dossiers)
    start, end = _days(year)
    decided = (
        _in(
            IdentificationDecision.objects.filter(
                status__code__in=POSITIVE_STATUSES, decided_on__range=(start, end)
            ),
            dossiers,
        )
        .annotate(who=person_key("dossier__"))
        .filter(who__in=persons)
        .values_list("dossier_id", "who")
    )
    person_of = dict(decided)
    through = Dossier.forms.through
    codes = {c.pk: c for c in Code.objects.filter(list="exploitation_form")}
    forms_of = {}
    for dossier_id, code_id in through.objects.filter(dossier_id__in=person_of).values_list(
        "dossier_id", "code_id"
    ):
        node, found = codes.get(code_id), forms_of.setdefault(person_of[dossier_id], set())
        while node is not None:  # the form and every form above it
            found.add(node.code)
            node = codes.get(node.parent_id)
    by_form = {}
    for found in forms_of.values():
        for code in found:
            by_form[code] = by_form.get(code, 0) + 1
    return {"total": len(persons), "by_form": dict(sorted(by_form.items()))}


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
