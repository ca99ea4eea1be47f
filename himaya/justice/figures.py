"""Criminal-justice figures (DOMAIN.md §6), one function per figure, its rule in its docstring.

Every function takes the reference ``year`` and ``orgs``: None for every organisation (the
national commission), else the ids of the organisations whose cases are counted (an
investigation counts for its investigating organisation and the office it was transferred to;
a prosecution for its office, its court and the investigating organisation). Each returns the
figure for the year with the previous year beside it. People are counted as distinct persons:
two suspect records linked as the same person (``Suspect.same_as``) count once.

Forms: a defendant counts once under each top-level form among their charges, and each
sub-form is an "including" line of its parent ("32 forced labour, including 1 forced
begging"); forms may therefore sum to more than the total."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core.models import Code

from .models import (
    CourtDecision,
    Investigation,
    InvestigationStatus,
    Outcome,
    Prosecution,
    ProsecutionStatus,
    Sentence,
    SuspectEvent,
    flagged_persons,
    stalled_cutoff,
    suspect_key,
)


def investigation_scope(orgs, prefix=""):
    """The investigations counted for ``orgs`` (None: all): those of the investigating
    organisation or of the office they were transferred to; ``prefix`` reaches them from
    another model (``"investigation__"``)."""
    if orgs is None:
        return Q()
    return Q(**{f"{prefix}investigating_org_id__in": orgs}) | Q(
        **{f"{prefix}prosecution_office_id__in": orgs}
    )


def prosecution_scope(orgs, prefix=""):
    """The prosecutions counted for ``orgs`` (None: all): those of the office, the court or
    the investigating organisation; ``prefix`` reaches them from another model."""
    if orgs is None:
        return Q()
    return (
        Q(**{f"{prefix}office_id__in": orgs})
        | Q(**{f"{prefix}court_id__in": orgs})
        | Q(**{f"{prefix}investigation__investigating_org_id__in": orgs})
    )


def _pair(fn, year, orgs):
    return {"year": year, "value": fn(year, orgs), "previous": fn(year - 1, orgs)}


# --- Investigations and arrests -------------------------------------------------------------


def investigations_in_year(year, orgs, until=None):
    """``investigations_opened`` for the year alone: a number; ``until`` (a day of the year)
    stops at that day (the year so far)."""
    qs = Investigation.objects.filter(investigation_scope(orgs), opened_on__year=year)
    if until is not None:
        qs = qs.filter(opened_on__lte=until)
    return qs.values("pk").distinct().count()


def investigations_opened(year, orgs=None):
    """Investigations opened in the year (by their opening date)."""
    return _pair(investigations_in_year, year, orgs)


def arrested_in_year(year, orgs):
    """``suspects_arrested`` for the year alone: a number."""
    return SuspectEvent.objects.filter(
        investigation_scope(orgs, "investigation__"), kind="arrest", on__year=year
    ).aggregate(n=Count(suspect_key(), distinct=True))["n"]


def suspects_arrested(year, orgs=None):
    """Distinct suspects with an arrest dated in the year (a suspect arrested twice in the
    year counts once)."""
    return _pair(arrested_in_year, year, orgs)


# --- By form ----------------------------------------------------------------------------------


def _form_tree():
    forms = list(Code.objects.filter(list="exploitation_form").order_by("sort", "code"))
    by_pk = {f.pk: f for f in forms}
    parents = {f.pk: f.parent_id for f in forms}

    def chain(pk):
        while pk is not None:
            yield pk
            pk = parents.get(pk)

    return forms, by_pk, chain


def _by_form(pairs):
    """``pairs``: (person id, form id). Distinct persons per top-level form, with
    "including" lines per sub-form."""
    forms, by_pk, chain = _form_tree()
    people = defaultdict(set)
    for person, form in pairs:
        for pk in chain(form):
            people[pk].add(person)
    rows = []
    for form in forms:
        if form.parent_id is not None or not people[form.pk]:
            continue
        including = [
            {"code": c.code, "label": c.label, "count": len(people[c.pk])}
            for c in forms
            if c.parent_id == form.pk and people[c.pk]
        ]
        rows.append(
            {
                "code": form.code,
                "label": form.label,
                "count": len(people[form.pk]),
                "including": including,
            }
        )
    return {"total": len({p for p, _f in pairs}), "forms": rows}


def _with_previous_forms(fn, year, orgs):
    now, before = fn(year, orgs), fn(year - 1, orgs)
    previous = {r["code"]: r for r in before["forms"]}
    for row in now["forms"]:
        prev = previous.get(row["code"], {"count": 0, "including": []})
        row["previous"] = prev["count"]
        prev_inc = {i["code"]: i["count"] for i in prev["including"]}
        for inc in row["including"]:
            inc["previous"] = prev_inc.get(inc["code"], 0)
    # Forms counted only the year before still show, with 0 this year.
    shown = {r["code"] for r in now["forms"]}
    for row in before["forms"]:
        if row["code"] not in shown:
            now["forms"].append({**row, "count": 0, "previous": row["count"], "including": []})
    return {
        "year": year,
        "total": now["total"],
        "previous": before["total"],
        "forms": now["forms"],
    }


def prosecuted_in_year(year, orgs, until=None):
    """``prosecuted_by_form`` for the year alone: {"total", "forms"}; ``until`` (a day of the
    year) stops at that day (the year so far)."""
    qs = Prosecution.objects.filter(prosecution_scope(orgs), started_on__year=year)
    if until is not None:
        qs = qs.filter(started_on__lte=until)
    pairs = qs.annotate(who=suspect_key()).values_list("who", "charges__form_id")
    return _by_form({(s, f) for s, f in pairs if f is not None})


def prosecuted_by_form(year, orgs=None):
    """Distinct defendants with a prosecution started in the year, counted under each form
    among the charges of those prosecutions; sub-forms are "including" lines. A prosecution
    without a charge yet is not counted."""
    return _with_previous_forms(prosecuted_in_year, year, orgs)


def convictions_in_year(year, orgs):
    """The convictions (court decisions, first instance or appeal) dated in the year."""
    return CourtDecision.objects.filter(
        prosecution_scope(orgs, "charge__prosecution__"),
        outcome=Outcome.CONVICTED,
        decided_on__year=year,
    )


def convicted_in_year(year, orgs):
    """``convicted_by_form`` for the year alone: {"total", "forms"}."""
    pairs = (
        convictions_in_year(year, orgs)
        .annotate(who=suspect_key("charge__prosecution__"))
        .values_list("who", "charge__form_id")
    )
    return _by_form(set(pairs))


def convicted_by_form(year, orgs=None):
    """Distinct defendants with a conviction dated in the year (first instance or appeal),
    counted under the form of each charge they were convicted on; sub-forms are "including"
    lines."""
    return _with_previous_forms(convicted_in_year, year, orgs)


# --- Sentences and acquittals -----------------------------------------------------------------

BAND_LABELS = {
    "no_firm_prison": _("none (suspended or fine only)"),
    "under_1y": _("under 1 year"),
    "1_5y": _("1 to 5 years"),
    "5_10y": _("5 to 10 years"),
    "10_20y": _("10 to 20 years"),
    "20y_plus": _("20 years or more"),
}

BANDS = [
    ("no_firm_prison", 0, 0),
    ("under_1y", 1, 11),
    ("1_5y", 12, 59),
    ("5_10y", 60, 119),
    ("10_20y", 120, 239),
    ("20y_plus", 240, None),
]


def _band(months):
    for code, low, high in BANDS:
        if months >= low and (high is None or months <= high):
            return code
    return BANDS[-1][0]


def _sentences(year, orgs):
    heaviest = {}
    rows = (
        Sentence.objects.filter(decision__in=convictions_in_year(year, orgs).values("pk"))
        .annotate(who=suspect_key("decision__charge__prosecution__"))
        .values_list("who", "prison_months", "suspended_months")
    )
    for suspect, prison, suspended in rows:
        heaviest[suspect] = max(heaviest.get(suspect, 0), prison - suspended)
    counts = dict.fromkeys((b[0] for b in BANDS), 0)
    for months in heaviest.values():
        counts[_band(months)] += 1
    return counts


def sentences_by_band(year, orgs=None):
    """Distinct defendants convicted in the year with a sentence, by band of their heaviest
    firm prison term (prison months minus the suspended part) among those convictions:
    none (suspended or fine only), under 1 year, 1–5, 5–10, 10–20, 20 years and more. A
    defendant convicted whose sentence is not recorded yet is not in any band."""
    now, before = _sentences(year, orgs), _sentences(year - 1, orgs)
    return {
        "year": year,
        "bands": [{"band": b, "count": now[b], "previous": before[b]} for b, _l, _h in BANDS],
    }


def _acquitted(year, orgs):
    decided = CourtDecision.objects.filter(
        prosecution_scope(orgs, "charge__prosecution__"), decided_on__year=year
    )
    acquitted = set(
        decided.filter(outcome=Outcome.ACQUITTED)
        .annotate(who=suspect_key("charge__prosecution__"))
        .values_list("who", flat=True)
    )
    convicted = set(
        decided.filter(outcome=Outcome.CONVICTED)
        .annotate(who=suspect_key("charge__prosecution__"))
        .values_list("who", flat=True)
    )
    return len(acquitted - convicted)


def acquittals(year, orgs=None):
    """Distinct defendants acquitted of a charge by a decision dated in the year and convicted
    of none that year (a defendant convicted on one charge and acquitted on another counts as
    convicted)."""
    return _pair(_acquitted, year, orgs)


# --- Officials --------------------------------------------------------------------------------


def _officials(year, orgs):
    # Officials as persons: flagged on any of the records linked as the same person. An
    # organisation's own figures read only the flags its records carry: a flag another
    # organisation recorded is not told through them.
    held = {} if orgs is None else {"registered_by_id__in": orgs}
    officials = flagged_persons(public_official=True, **held)
    investigations = (
        Investigation.objects.filter(
            investigation_scope(orgs), opened_on__year=year, suspects__in=officials
        )
        .values("pk")
        .distinct()
        .count()
    )
    prosecutions = Prosecution.objects.filter(
        prosecution_scope(orgs), started_on__year=year, suspect__in=officials
    ).aggregate(n=Count(suspect_key(), distinct=True))["n"]
    convictions = (
        convictions_in_year(year, orgs)
        .filter(charge__prosecution__suspect__in=officials)
        .aggregate(n=Count(suspect_key("charge__prosecution__"), distinct=True))["n"]
    )
    return {
        "investigations": investigations,
        "prosecuted": prosecutions,
        "convicted": convictions,
    }


def officials_involved(year, orgs=None):
    """Involving a public official: investigations opened in the year with a suspect flagged
    as a public official; distinct such defendants with a prosecution started in the year;
    distinct such defendants with a conviction dated in the year."""
    now, before = _officials(year, orgs), _officials(year - 1, orgs)
    return {"year": year, **{k: {"value": v, "previous": before[k]} for k, v in now.items()}}


# --- Stalled proceedings ----------------------------------------------------------------------


def _as_of(year):
    return min(datetime.date(year, 12, 31), timezone.localdate())


def _latest(pairs):
    latest = {}
    for pk, on in pairs:
        if on is not None and (pk not in latest or on > latest[pk]):
            latest[pk] = on
    return latest


def _stalled_investigations(day, orgs):
    qs = Investigation.objects.filter(investigation_scope(orgs), opened_on__lte=day).exclude(
        Q(status_on__lte=day) & ~Q(status=InvestigationStatus.OPEN)
    )
    ids = set(qs.values_list("pk", flat=True))
    latest = _latest(qs.values_list("pk", "opened_on"))
    for pairs in (
        SuspectEvent.objects.filter(investigation__in=ids, on__lte=day).values_list(
            "investigation_id", "on"
        ),
        Investigation.objects.filter(pk__in=ids, suspect_links__added_on__lte=day).values_list(
            "pk", "suspect_links__added_on"
        ),
    ):
        for pk, on in _latest(pairs).items():
            latest[pk] = max(latest[pk], on)
    cutoff = stalled_cutoff(day)
    return sum(1 for on in latest.values() if on < cutoff)


def _stalled_prosecutions(day, orgs):
    qs = Prosecution.objects.filter(prosecution_scope(orgs), started_on__lte=day).exclude(
        Q(status=ProsecutionStatus.DECIDED) & Q(last_event_on__lte=day)
    )
    ids = set(qs.values_list("pk", flat=True))
    latest = _latest(qs.values_list("pk", "started_on"))
    for pairs in (
        CourtDecision.objects.filter(charge__prosecution__in=ids, decided_on__lte=day).values_list(
            "charge__prosecution_id", "decided_on"
        ),
        Prosecution.objects.filter(pk__in=ids, appeals__lodged_on__lte=day).values_list(
            "pk", "appeals__lodged_on"
        ),
        Prosecution.objects.filter(pk__in=ids, appeals__decided_on__lte=day).values_list(
            "pk", "appeals__decided_on"
        ),
    ):
        for pk, on in _latest(pairs).items():
            latest[pk] = max(latest[pk], on)
    cutoff = stalled_cutoff(day)
    return sum(1 for on in latest.values() if on < cutoff)


def _stalled(year, orgs):
    day = _as_of(year)
    return {
        "investigations": _stalled_investigations(day, orgs),
        "prosecutions": _stalled_prosecutions(day, orgs),
    }


def stalled_proceedings(year, orgs=None):
    """Proceedings stalled at the end of the year (today for the current year): investigations
    still open then, and prosecutions not decided then, whose latest event dated on or before
    that day (opening, suspect identified, arrest, detention or release; start, decision,
    appeal) is older than HIMAYA_STALLED_MONTHS months. A prosecution decided later counts as
    undecided on that day only when its final event came after it."""
    now, before = _stalled(year, orgs), _stalled(year - 1, orgs)
    return {"year": year, **{k: {"value": v, "previous": before[k]} for k, v in now.items()}}


def all_figures(year, orgs=None):
    return {
        "investigations": investigations_opened(year, orgs),
        "arrested": suspects_arrested(year, orgs),
        "prosecuted": prosecuted_by_form(year, orgs),
        "convicted": convicted_by_form(year, orgs),
        "sentences": sentences_by_band(year, orgs),
        "acquittals": acquittals(year, orgs),
        "officials": officials_involved(year, orgs),
        "stalled": stalled_proceedings(year, orgs),
    }


# --- Drill-down -------------------------------------------------------------------------------


def drill_down(name, year, orgs=None):
    """The records behind a figure of ``year``, for roles allowed to open them (the caller
    narrows them further with ``visible_to``): investigations, arrests (suspect events),
    prosecutions started, convicting and acquitting decisions. ``name`` is a key of
    ``all_figures``; figures without records of their own (sentences, officials, stalled)
    drill down through ``convicted`` and the stalled list."""
    if name == "investigations":
        return Investigation.objects.filter(
            investigation_scope(orgs), opened_on__year=year
        ).distinct()
    if name == "arrested":
        return SuspectEvent.objects.filter(
            investigation_scope(orgs, "investigation__"), kind="arrest", on__year=year
        )
    if name == "prosecuted":
        return Prosecution.objects.filter(prosecution_scope(orgs), started_on__year=year).distinct()
    if name == "convicted":
        return convictions_in_year(year, orgs)
    if name == "acquittals":
        return CourtDecision.objects.filter(
            prosecution_scope(orgs, "charge__prosecution__"),
            outcome=Outcome.ACQUITTED,
            decided_on__year=year,
        )
    raise KeyError(name)
