"""Defendants for the UNODC breakdowns: distinct suspects in contact with the police,
prosecuted and convicted in a year, by sex, age group, citizenship and top-level form."""

from collections import defaultdict
from dataclasses import dataclass, field

from himaya.core.models import Code
from himaya.justice import figures as justice_figures
from himaya.justice.models import Prosecution, suspect_key

from .common import _orgs, age_group, age_on, citizenship_group, sex_group


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
        qs = qs.filter(justice_figures.investigation_scope(_orgs(scope), "investigation__"))
    return _suspect_rows(
        (who, on, None) for who, on in qs.annotate(who=suspect_key()).values_list("who", "on")
    )


def defendants_prosecuted(year, scope=None) -> list[Defendant]:
    """Distinct defendants with a prosecution started in the year, with the top-level forms of
    their charges (the same rule as ``justice.figures.prosecuted_by_form``)."""
    top = _top_form_of()
    qs = Prosecution.objects.filter(started_on__year=year, charges__isnull=False)
    if _orgs(scope) is not None:
        qs = qs.filter(justice_figures.prosecution_scope(_orgs(scope)))
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
    qs = justice_figures.convictions_in_year(year, _orgs(scope))
    return _suspect_rows(
        (who, on, top(form))
        for who, on, form in qs.annotate(who=suspect_key("charge__prosecution__")).values_list(
            "who", "decided_on", "charge__form_id"
        )
    )
