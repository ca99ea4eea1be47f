"""The published statistics (/statistics/, no login): the figures of DOMAIN.md §6 that the public
page shows, protected by disclosure control (DOMAIN.md §7, ``disclosure.py``).

What is published, for each full year from the first year with data to last year (the current
year is published once it has ended):

- **victims identified** (``figures.identified_victims``, the annual report's rule, region and
  age): one headline count;
- **by sex x age group** (female / male / other or not recorded x child / adult / age not
  known, age at the date of identification): a 2-D table with its margins, ``protect_2d``;
- **by region of exploitation** (the region of the dossier of the person's first positive
  decision, or "not recorded"): a 1-D table with its total, ``protect_1d``;
- **by form** (top-level forms, ``figures.victims_by_form``): forms overlap (one person under two
  forms) and a person may have none, so the forms do not add up to the total and are not
  an additive table. Each form count is protected on its own: every count below k, zero
  included, is hidden, so a hidden form may hold nobody; see ``protect_counts``;
- **law enforcement** (investigations opened, suspects arrested, defendants prosecuted,
  convicted: ``figures.law_enforcement``): counts of cases and suspects, protected like the
  forms (independent counts).

Every count comes from ``figures.py`` (the one home of each counting rule); this module only
protects and labels them.

Linking: the three victim tables share one number, the total. It is published once (hidden
when it is below k); a table that would hide it as a complement is re-audited with the total
published and, if that is not safe, published with every entry but the total hidden
(``protect_victims``). The sex x age and region tables share nothing else.

The table building takes plain rows (``Victim``), so it is tested without a database; the
page's tables are cached per (year, language) for a few minutes (anonymous, no per-user data).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import figures
from .disclosure import DEFAULT_K, TOTAL, is_suppressed, protect_1d, protect_2d

SEXES = figures.SEXES
AGES = figures.AGE_GROUPS
NOT_RECORDED = ""  # region key of a dossier without a region of exploitation
LAW_ENFORCEMENT = ("investigations", "arrested", "prosecuted", "convicted")

SEX_LABELS = {
    "female": _("female"),
    "male": _("male"),
    "unknown": _("other or not recorded"),
}
AGE_LABELS = {
    "child": _("child (under 18)"),
    "adult": _("adult"),
    "unknown": _("age not known"),
}
LAW_LABELS = {
    "investigations": _("investigations opened"),
    "arrested": _("suspects arrested"),
    "prosecuted": _("defendants prosecuted"),
    "convicted": _("defendants convicted"),
}


def disclosure_k() -> int:
    """k of DOMAIN.md §7: counts 1 .. k-1 are never published (setting HIMAYA_DISCLOSURE_K)."""
    return int(getattr(settings, "HIMAYA_DISCLOSURE_K", DEFAULT_K))


def cache_seconds() -> int:
    return int(getattr(settings, "HIMAYA_PUBLIC_STATS_CACHE_SECONDS", 300))


# ---------------------------------------------------------------------------------------------
# Plain rows -> protected tables (no database)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Victim:
    """One identified person as the public tables see them: no identity."""

    sex: str  # one of SEXES
    age: str  # one of AGES
    region: str  # a region code, or NOT_RECORDED


def _whole(line):
    """The total of a line (the entry with the shortest key: total < row/column < cell)."""
    return min(line, key=len)


def passes(protected, hidden, k) -> bool:
    """The rule of ``disclosure.py``, checked for the pattern ``hidden`` of a protected table
    with the exact audit: every hidden entry has an interval of width >= 1, every small one an
    interval holding [0, max(k-1, v+1)], and no line hides one entry alone or a one-sided group
    of fewer than k."""
    hidden = frozenset(hidden)
    truth = protected.true_values()
    for key, (lo, hi) in protected.audit(hidden).items():
        value = truth[key]
        if 0 < value < k:
            if lo > 0 or (hi is not None and hi < max(k - 1, value + 1)):
                return False
        elif hi is not None and hi == lo:
            return False
    for line in protected.lines():
        inside = [key for key in line if key in hidden]
        if not inside:
            continue
        whole = _whole(line)
        one_sided = whole not in inside or len(inside) == 1
        if len(inside) == 1 or (one_sided and sum(truth[key] for key in inside) < k):
            return False
    return True


def _with_total_published(protected, k):
    """The hidden entries of a table whose total is published (elsewhere too): its own pattern
    when the total is not hidden or when the pattern stays safe without it; else everything
    but the total."""
    hidden = set(protected.suppressed)
    if TOTAL not in hidden:
        return frozenset(hidden)
    hidden.discard(TOTAL)
    if passes(protected, hidden, k):
        return frozenset(hidden)
    everything = set(protected.true_values()) - {TOTAL}
    assert passes(protected, everything, k)
    return frozenset(everything)


@dataclass(frozen=True)
class VictimTables:
    k: int
    total: int  # true total (never published when hidden)
    total_hidden: bool
    sex_age: object  # Protected2D, rows SEXES x columns AGES
    sex_age_hidden: frozenset
    regions: tuple  # region keys, in order
    region: object  # Protected1D
    region_hidden: frozenset


def protect_victims(victims, regions, k) -> VictimTables:
    """The sex x age and region tables of these victims, protected together (they share the
    total). ``regions``: the region keys to show, in order (NOT_RECORDED is added last)."""
    regions = tuple(r for r in regions if r != NOT_RECORDED) + (NOT_RECORDED,)
    counts = [[0] * len(AGES) for _s in SEXES]
    by_region = dict.fromkeys(regions, 0)
    for v in victims:
        counts[SEXES.index(v.sex)][AGES.index(v.age)] += 1
        by_region[v.region if v.region in by_region else NOT_RECORDED] += 1
    total = len(victims)
    sex_age = protect_2d(counts, k=k)
    region = protect_1d([by_region[r] for r in regions], k=k)
    total_hidden = 0 < total < k
    if total_hidden:
        # Primary in both tables: hidden in both, as the headline.
        hidden_2d, hidden_1d = sex_age.suppressed, region.suppressed
    else:
        hidden_2d = _with_total_published(sex_age, k)
        hidden_1d = _with_total_published(region, k)
    return VictimTables(
        k=k,
        total=total,
        total_hidden=total_hidden,
        sex_age=sex_age,
        sex_age_hidden=frozenset(hidden_2d),
        regions=regions,
        region=region,
        region_hidden=frozenset(hidden_1d),
    )


def protect_counts(counts: dict, k, total=None) -> dict:
    """Independent counts (forms of exploitation, law-enforcement figures): each count below
    k, zero included, is hidden (None), so that a hidden count may be empty. With ``total``
    (the published number of distinct persons, when every person could be under one of the
    counts), an intruder assuming everyone is counted somewhere learns that the hidden counts
    hold at least ``total`` minus the published ones: more counts are hidden until no hidden
    count has a lower bound above zero."""
    hidden = {key for key, value in counts.items() if value < k}
    if total is not None:
        while True:
            shown = [key for key in counts if key not in hidden]
            deficit = total - sum(counts[key] for key in shown)
            if deficit <= 0 or not shown or not hidden:
                break
            # A hidden count is known to be below k only while every hidden count is small.
            upper = k - 1 if all(counts[key] < k for key in hidden) else total
            if deficit - (len(hidden) - 1) * upper <= 0:
                break
            hidden.add(min(shown, key=lambda key: (counts[key], str(key))))
    return {key: (None if key in hidden else value) for key, value in counts.items()}


def _pub(value):
    return None if is_suppressed(value) else value


def build_tables(victims, forms: dict, law: dict, *, regions, k) -> dict:
    """The published tables (language-free keys; None = hidden) from plain rows: ``victims``
    (Victim), ``forms`` (top-level form code -> distinct persons, overlapping), ``law``
    (LAW_ENFORCEMENT key -> count)."""
    t = protect_victims(victims, regions, k)

    def shown(protected, hidden, key):
        return None if key in hidden else protected.true_values()[key]

    total = None if t.total_hidden else t.total
    sex_age = {
        "rows": [
            {
                "key": sex,
                "cells": [
                    shown(t.sex_age, t.sex_age_hidden, ("cell", i, j)) for j in range(len(AGES))
                ],
                "total": shown(t.sex_age, t.sex_age_hidden, ("row", i)),
            }
            for i, sex in enumerate(SEXES)
        ],
        "col_totals": [shown(t.sex_age, t.sex_age_hidden, ("col", j)) for j in range(len(AGES))],
        "total": shown(t.sex_age, t.sex_age_hidden, TOTAL),
    }
    region = {
        "rows": [
            {"key": r, "value": shown(t.region, t.region_hidden, ("cell", j))}
            for j, r in enumerate(t.regions)
        ],
        "total": shown(t.region, t.region_hidden, TOTAL),
    }
    assert sex_age["total"] == total and region["total"] == total
    return {
        "k": k,
        "victims": total,
        "sex_age": sex_age,
        "region": region,
        "forms": protect_counts(forms, k, total=total),
        "law": protect_counts({key: law.get(key, 0) for key in LAW_ENFORCEMENT}, k),
    }


# ---------------------------------------------------------------------------------------------
# The database -> plain rows
# ---------------------------------------------------------------------------------------------


def last_published_year(today=None) -> int:
    """The current year is not published until it ends."""
    return (today or timezone.localdate()).year - 1


def published_years(today=None) -> list[int]:
    """The years whose annual report the commission has frozen (its official submission),
    newest first, never the current year. Figures are published from the frozen copy only:
    tables recomputed from live records would move when a late record comes in, and two
    snapshots of a year could then be compared to single out that record."""
    from .models import FrozenReport

    last = last_published_year(today)
    return list(
        FrozenReport.objects.filter(year__lte=last)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def snapshot(year) -> dict:
    """The public tables of a year in the three languages, as frozen with its report
    (statistics.actions.freeze_report)."""
    from django.utils import translation

    out = {}
    for lang in ("ar", "fr", "en"):
        with translation.override(lang):
            out[lang] = compute(year)
    return out


def victims_of(identified) -> list[Victim]:
    """The victims of ``figures.identified_victims`` as plain rows without identity."""
    return [Victim(sex=v.sex, age=v.age_group, region=v.region or NOT_RECORDED) for v in identified]


def _forms():
    from himaya.core.models import Code

    return list(
        Code.objects.filter(list="exploitation_form", parent__isnull=True).order_by("sort", "code")
    )


def _regions():
    from himaya.core.models import Code

    return list(Code.objects.filter(list="region").order_by("sort", "code"))


def compute(year) -> dict:
    """The published tables of a year, with labels in the current language."""
    k = disclosure_k()
    forms, regions = _forms(), _regions()
    identified = figures.identified_victims(year)
    by_form = figures.victims_by_form(identified)
    tables = build_tables(
        victims_of(identified),
        {form.code: by_form.get(form.code, 0) for form in forms},
        figures.law_enforcement(year),
        regions=[r.code for r in regions],
        k=k,
    )
    form_labels = {form.code: form.label for form in forms}
    region_labels = {r.code: r.label for r in regions}
    region_labels[NOT_RECORDED] = str(_("region not recorded"))
    for row in tables["sex_age"]["rows"]:
        row["label"] = str(SEX_LABELS[row["key"]])
        row["items"] = [{"key": a, "value": v} for a, v in zip(AGES, row["cells"], strict=True)]
    tables["sex_age"]["col_items"] = [
        {"key": a, "value": v} for a, v in zip(AGES, tables["sex_age"]["col_totals"], strict=True)
    ]
    tables["ages"] = [{"key": a, "label": str(AGE_LABELS[a])} for a in AGES]
    for row in tables["region"]["rows"]:
        row["label"] = region_labels[row["key"]]
    tables["forms"] = [
        {"key": code, "label": form_labels[code], "value": value}
        for code, value in tables["forms"].items()
    ]
    tables["law"] = [
        {"key": key, "label": str(LAW_LABELS[key]), "value": value}
        for key, value in tables["law"].items()
    ]
    tables["year"] = year
    return tables


def published(year) -> dict | None:
    """The public tables of ``year`` in the current language, from the latest frozen version
    of its report; None when the year has not been frozen. Cached per (year, version,
    language) for HIMAYA_PUBLIC_STATS_CACHE_SECONDS (default 300): the page is public and must
    be cheap."""
    from .models import FrozenReport

    version = (
        FrozenReport.objects.filter(year=year).order_by("-version").values_list("pk", flat=True)
    ).first()
    if version is None:
        return None
    lang = (get_language() or "ar")[:2]
    key = f"public_stats:{year}:{version}:{lang}"
    tables = cache.get(key)
    if tables is None:
        frozen = FrozenReport.objects.get(pk=version)
        tables = (frozen.public or {}).get(lang) or (frozen.public or {}).get("en")
        if tables is None:
            return None
        cache.set(key, tables, cache_seconds())
    return tables


def csv_rows(tables) -> list[list]:
    """The published tables as rows (table, row, column, value); hidden values as "x"."""

    def v(value):
        return "x" if value is None else value

    rows = [["table", "row", "column", "value"]]
    rows.append(["victims", str(_("victims identified")), "", v(tables["victims"])])
    ages = tables["ages"]
    for row in tables["sex_age"]["rows"]:
        for age, value in zip(ages, row["cells"], strict=True):
            rows.append(["sex_age", row["label"], age["label"], v(value)])
        rows.append(["sex_age", row["label"], str(_("total")), v(row["total"])])
    for age, value in zip(ages, tables["sex_age"]["col_totals"], strict=True):
        rows.append(["sex_age", str(_("total")), age["label"], v(value)])
    rows.append(["sex_age", str(_("total")), str(_("total")), v(tables["sex_age"]["total"])])
    for row in tables["region"]["rows"]:
        rows.append(["region", row["label"], "", v(row["value"])])
    rows.append(["region", str(_("total")), "", v(tables["region"]["total"])])
    for row in tables["forms"]:
        rows.append(["form", row["label"], "", v(row["value"])])
    for row in tables["law"]:
        rows.append(["law_enforcement", row["label"], "", v(row["value"])])
    return rows
