"""Indicators of the action plan (coordination), read from the report: a year with a frozen
report gives the value submitted, not the records' count today."""

from functools import partial

from django.db.models import OuterRef, Subquery

from .. import figures
from ..models import FrozenReport
from ..revision import PerRevision, settled_revision
from .build import find_row

# Where each of them sits in a frozen annual report (table, row): a year with a frozen report
# gives the value submitted, not the records' count today.
INDICATOR_ROWS = {
    "victims_identified": ("victims", "victims"),
    "victims_referred": ("protection", "referred"),
    "victims_assisted": ("protection", "assisted"),
    "investigations": ("law_enforcement", "investigations"),
    "arrested": ("law_enforcement", "arrested"),
    "prosecuted": ("law_enforcement", "prosecuted"),
    "convicted": ("law_enforcement", "convicted"),
    "shelter_beds": ("shelters", "beds"),
    "training_sessions": ("trainings", "sessions"),
    "people_trained": ("trainings", "participants"),
}

_INDICATOR_CACHE = PerRevision(size=500)


def indicator_values(pairs, *, frozen=True) -> dict:
    """``{(key, year): {"value", "frozen" (the frozen report's version, or None), "drill" (the
    figure of statistics.drill listing its records, or None)}}`` of figure ``key`` for
    ``year``, for each of ``pairs``: from the latest frozen report of the year when there is
    one and ``frozen``, else counted now (kept per data revision). The frozen reports of the
    years and the data revision are read once for them all (a page of indicators)."""
    pairs = list(dict.fromkeys(pairs))
    reports = _latest_frozen({year for _key, year in pairs}) if frozen else {}
    revision = settled_revision()
    out = {}
    for key, year in pairs:
        _label, fn, drill = figures.INDICATOR_FIGURES[key]
        report = reports.get(year)
        found = report and find_row(report.report, *INDICATOR_ROWS[key])
        if found:
            out[key, year] = {"value": found["value"], "frozen": report.version, "drill": drill}
            continue
        value = _INDICATOR_CACHE.get((key, year), partial(fn, year), revision=revision)
        out[key, year] = {"value": value, "frozen": None, "drill": drill}
    return out


def _latest_frozen(years):
    """{year: its latest frozen report} for those of ``years`` that have one."""
    latest = FrozenReport.objects.filter(year=OuterRef("year")).order_by("-version")
    reports = FrozenReport.objects.filter(year__in=years, pk=Subquery(latest.values("pk")[:1]))
    return {report.year: report for report in reports}
