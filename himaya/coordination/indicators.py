"""An indicator's values year by year: its target, and its actual value, entered by hand or
computed from the statistics' figure it names (through the hook the statistics app provides,
since coordination sits below it). A computed value of a year whose annual report was frozen
is the frozen one: what was submitted."""

from django.urls import reverse

from himaya.core import hooks
from himaya.core.trilingual import LANGS

from .models import IndicatorYear

# Figures whose records are listed by a coordination page open to every member.
LOCAL_DRILLS = frozenset({"training_sessions", "people_trained"})


def figure_values(pairs):
    """``{(key, year): {"value", "frozen", "drill"}}`` of the figures ``pairs`` name, read
    together (the frozen reports and the data revision once); empty without the statistics
    app."""
    pairs = list(pairs)
    return (hooks.call("figure_values", pairs) or {}) if pairs else {}


def indicator_rows(indicators, years):
    """For each indicator: {"indicator", "years": [{year, target, actual, frozen, url,
    on_target}], "trend": the actual values in order}. ``url`` is the figure's drill-down.
    ``years``: the years shown, the same for every indicator, or a function that gives an
    indicator's (indicators of several plans); the stored values are read in one query."""
    indicators = list(indicators)
    years_of = years if callable(years) else (lambda _indicator, shown=list(years): shown)
    wanted = sorted({year for indicator in indicators for year in years_of(indicator)})
    stored = {
        (r.indicator_id, r.year): r
        for r in IndicatorYear.objects.filter(indicator__in=indicators, year__in=wanted)
    }
    computed = figure_values(
        (indicator.figure, year)
        for indicator in indicators
        if indicator.computed
        for year in years_of(indicator)
    )
    out = []
    for indicator in indicators:
        cells = []
        for year in years_of(indicator):
            row = stored.get((indicator.pk, year))
            target = row.target if row else None
            actual, frozen, url, local = (row.actual if row else None), None, "", False
            if indicator.computed:
                found = computed.get((indicator.figure, year))
                if found is not None:
                    actual, frozen = found["value"], found["frozen"]
                    if found["drill"]:
                        url = reverse("statistics:records", args=[year, found["drill"]])
                    elif indicator.figure in LOCAL_DRILLS:
                        url, local = f"{reverse('coordination:trainings')}?year={year}", True
            cells.append(
                {
                    "year": year,
                    "target": target,
                    "actual": actual,
                    "frozen": frozen,
                    "url": url,
                    "local": local,
                    "source": row.source if row else "",
                    "sources": {f"source_{c}": getattr(row, f"source_{c}") for c in LANGS}
                    if row
                    else {},
                    "on_target": None if target is None or actual is None else actual >= target,
                }
            )
        out.append(
            {
                "indicator": indicator,
                "years": cells,
                "trend": [c["actual"] for c in cells if c["actual"] is not None],
            }
        )
    return out
