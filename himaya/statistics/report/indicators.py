"""Indicators of the action plan (coordination), read from the report: a year with a frozen
report gives the value submitted, not the records' count today."""

from .. import figures
from ..models import FrozenReport
from ..revision import PerRevision
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


def indicator_value(key, year, *, frozen=True) -> dict:
    """{"value", "frozen" (the frozen report's version, or None), "drill" (the figure of
    statistics.drill listing its records, or None)} of figure ``key`` for ``year``: from the
    latest frozen report of the year when there is one and ``frozen``, else counted now (kept
    per data revision)."""
    _label, fn, drill = figures.INDICATOR_FIGURES[key]
    if frozen:
        report = FrozenReport.objects.filter(year=year).order_by("-version").first()
        found = report and find_row(report.report, *INDICATOR_ROWS[key])
        if found:
            return {"value": found["value"], "frozen": report.version, "drill": drill}
    value = _INDICATOR_CACHE.get((key, year), lambda: fn(year))
    return {"value": value, "frozen": None, "drill": drill}
