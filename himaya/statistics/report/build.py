"""Building the annual report of a year: count the figures, lay out the tables, the facts the
statement is written from, the series and the UNODC breakdowns."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .. import figures
from ..revision import report_version
from .cells import code_labels
from .justice import _justice_series, _law_enforcement, _officials_and_stalled
from .others import _identification, _non_punishment, _support, _trainings
from .protection import _occupancy, _protection, _returns, _shelters
from .unodc import _top_forms_of, _unodc_cells
from .victims import _top_forms, _victims, _victims_by_form_sex

LANGUAGES = ("ar", "fr", "en")
# The shape of a stored report; a build of another shape is computed again (statistics.builds).
# 2: labels are references (statistics.labels), no longer text in the three languages.
FORMAT = 2


# The steps of a build, for the progress shown while it runs (statistics.tasks).
STEPS = (
    ("victims", gettext_lazy("victims identified")),
    ("justice", gettext_lazy("criminal justice")),
    ("protection", gettext_lazy("referrals and services")),
    ("others", gettext_lazy("non-punishment, hotline, screening, support")),
    ("tables", gettext_lazy("tables, series and UNODC breakdowns")),
)


def build_report(year: int, progress=None, as_of=None) -> dict:
    """The annual report of ``year`` with ``year - 1`` beside it (see the package docstring),
    as of ``as_of`` (default now: the report's date, up to which referrals and services of the
    year's victims count). ``progress(step, percent)`` is called before each step when given."""
    as_of = as_of or timezone.now()
    # Read before counting: a write during the build makes it stale. Counted while another
    # writer (an import, say) is still open, the report misses its rows though the revision
    # already counts them: its version is then "", which no build, page or freeze takes for
    # the figures of a data version.
    version = report_version()
    forms = code_labels("exploitation_form")
    countries = code_labels("country")
    counted = _count(year, as_of, _stepper(progress))
    occupancy = _occupancy(year, counted["p"]["beds"]["total"])
    tables = _tables(counted, forms, countries, occupancy)
    victims_now = counted["victims_now"]
    return {
        "format": FORMAT,
        "year": year,
        "previous_year": year - 1,
        "generated_at": as_of.isoformat(timespec="seconds"),
        "data_version": version,
        "country": settings.HIMAYA_COUNTRY,
        "tables": tables,
        "facts": _facts(tables, counted["j"], forms),
        "series": {
            "justice_by_year": _justice_series(year),
            "victims_by_form_sex": _victims_by_form_sex(victims_now, forms),
            "shelter_occupancy": occupancy,
        },
        "unodc": _unodc(year, victims_now),
    }


def _stepper(progress):
    """``step(name)``: tells ``progress`` how far the build is, when there is one to tell."""

    def step(name):
        if progress is not None:
            keys = [k for k, _label in STEPS]
            progress(name, round(100 * keys.index(name) / len(keys)))

    return step


def _count(year, as_of, step):
    """The figures of the year and of the year before, step by step; the last step ("tables")
    is announced when they are all counted."""
    step("victims")
    counted = {
        "victims_now": _top_forms(figures.identified_victims(year)),
        "victims_before": _top_forms(figures.identified_victims(year - 1)),
    }
    step("justice")
    counted["j"] = figures.justice(year)
    step("protection")
    counted["p"] = figures.protection(year, as_of=as_of)
    counted["q"] = figures.protection(year - 1, as_of=as_of)
    step("others")
    for name, fn in (
        ("non_punishment", figures.non_punishment),
        ("support", figures.support_to_ngos),
        ("trainings", figures.trainings),
        ("hotline", figures.hotline),
        ("screening", figures.screening),
    ):
        counted[name] = (fn(year), fn(year - 1))
    step("tables")
    return counted


def _tables(counted, forms, countries, occupancy):
    """The report's tables, in the order they are printed."""
    p, q = counted["p"], counted["q"]
    victims_table, foreign_table = _victims(
        counted["victims_now"], counted["victims_before"], forms, countries
    )
    return [
        _law_enforcement(counted["j"], forms),
        victims_table,
        foreign_table,
        _identification(*counted["hotline"], *counted["screening"]),
        _protection(p, q),
        _shelters(p, q, occupancy),
        _returns(p, q, countries),
        _non_punishment(*counted["non_punishment"]),
        _officials_and_stalled(counted["j"]),
        _support(*counted["support"]),
        _trainings(*counted["trainings"]),
    ]


def _unodc(year, victims_now):
    return {
        "suspects": {
            "contact": _unodc_cells(figures.defendants_in_contact(year), False),
            "prosecuted": _unodc_cells(figures.defendants_prosecuted(year), False),
            "convicted": _unodc_cells(figures.defendants_convicted(year), False),
        },
        # one cell per person (no form): the sex, age and citizenship tables
        "victim_persons": _unodc_cells(victims_now, False),
        "victims": _unodc_cells(victims_now, True, _top_forms_of),
    }


FACT_ROWS = {
    "investigations": ("law_enforcement", "investigations"),
    "arrested": ("law_enforcement", "arrested"),
    "prosecuted": ("law_enforcement", "prosecuted"),
    "convicted": ("law_enforcement", "convicted"),
    "acquitted": ("law_enforcement", "acquitted"),
    "victims": ("victims", "victims"),
    "victims_children": ("victims", "age_group:child"),
    "victims_foreign": ("victims", "citizenship:foreign"),
    "victims_female": ("victims", "sex:female"),
    "referred": ("protection", "referred"),
    "assisted": ("protection", "assisted"),
    "shelter_beds": ("shelters", "beds"),
    "bed_nights": ("shelters", "bed_nights"),
    "returns": ("returns", "returns"),
    "alerts_raised": ("non_punishment", "alerts_raised"),
    "alerts_resolved": ("non_punishment", "alerts_resolved"),
    "victims_with_offence": ("non_punishment", "victims_with_offence"),
    "official_investigations": ("officials_stalled", "official_investigations"),
    "ngo_support_mad": ("ngo_support", "financial_mad"),
}


def _facts(tables, j, forms):
    cells = {(t["key"], r["key"]): r for t in tables for r in t["rows"]}
    facts = {}
    for name, at in FACT_ROWS.items():
        found = cells[at]
        facts[name] = {"value": found["value"], "previous": found["previous"]}
    stalled = [
        cells[("officials_stalled", k)] for k in ("stalled_investigations", "stalled_prosecutions")
    ]
    facts["stalled"] = {
        "value": sum(r["value"] for r in stalled),
        "previous": sum(r["previous"] for r in stalled),
    }
    for name in ("prosecuted", "convicted", "victims"):
        facts[f"{name}_by_form"] = [
            {
                "code": r["key"].split(":")[-1],
                "label": r["label"],
                "value": r["value"],
                "previous": r["previous"],
                "level": r["level"],
            }
            for t in tables
            for r in t["rows"]
            if r["key"].startswith(f"{name}:") and t["key"] in ("law_enforcement", "victims")
        ]
    return facts


def find_row(report, table_key, row_key):
    for t in report["tables"]:
        if t["key"] == table_key:
            for r in t["rows"]:
                if r["key"] == row_key:
                    return r
    return None
