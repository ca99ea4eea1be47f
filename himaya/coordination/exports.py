""" "Progress against the recommendations" for a year, in Arabic, French or English, as XLSX
(openpyxl) and PDF (WeasyPrint, as the annual report): each recommendation with its status in
the year and what was done, the measures of the plan it is linked to with their status, and
the figures of their computed indicators. The figures come from the year's frozen annual report
when there is one (the submitted figures), else they are counted now, and the export says which.
"""

import io

from babel.dates import format_datetime
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from himaya.core.bidi import isolate_plain
from himaya.core.pdf import css_string, page_counter_css
from himaya.core.punctuation import join_words

from .indicators import figure_values
from .models import Recommendation, RecommendationStatus

LANGUAGES = ("ar", "fr", "en")


class ExportUnavailable(Exception):
    pass


def progress(year, lang):
    """The export's content as plain values in ``lang`` (the caller's override)."""
    recs = (
        Recommendation.objects.filter(year__lte=year)
        .prefetch_related(
            "agencies", "progress", "measures__objective__axis", "measures__indicators__years"
        )
        .order_by("-priority", "source", "year", "reference", "id")
    )
    status_of = {}
    for rec in recs:
        for p in rec.progress.all():
            if p.year == year:
                status_of[rec.pk] = p
    frozen = set()
    rows = []
    values = figure_values(
        (ind.figure, year)
        for rec in recs
        for m in rec.measures.all()
        for ind in m.indicators.all()
        if ind.computed
    )
    for rec in recs:
        p = status_of.get(rec.pk)
        measures, figures = _measures_and_figures(rec, values, year, lang, frozen)
        rows.append(
            {
                "source": rec.get_source_display(),
                "year": rec.year,
                "reference": rec.reference,
                "priority": rec.priority,
                "text": rec.text_in(lang),
                "status": p.get_status_display()
                if p
                else str(RecommendationStatus.NOT_STARTED.label) + " *",
                "evidence": p.evidence if p else "",
                "agencies": join_words(a.name for a in rec.agencies.all()),
                "measures": measures,
                "figures": figures,
            }
        )
    basis = _basis(year, frozen)
    return {
        "year": year,
        "rows": rows,
        "basis": basis,
        "note": _("* no progress recorded for the year"),
        "generated": format_datetime(
            timezone.localtime(), "short", locale=settings.BABEL_LOCALES.get(lang, "en_GB")
        ),
    }


def _measures_and_figures(rec, values, year, lang, frozen):
    """The measures a recommendation is linked to, with their status, and the figures of their
    indicators in ``year`` (``values``: figure_values of them all); the versions of frozen
    reports the figures come from are added to ``frozen``."""
    measures, figures = [], []
    for m in rec.measures.all():
        measures.append(f"{m.code} {m.title_in(lang)} ({m.get_status_display()})")
        for ind in m.indicators.all():
            if not ind.computed:
                figures += _hand_value(ind, year, lang)
                continue
            found = values.get((ind.figure, year))
            if found is not None:
                if found["frozen"]:
                    frozen.add(found["frozen"])
                figures.append(f"{ind.name_in(lang)}: {found['value']}")
    return measures, figures


def _basis(year, frozen):
    """Where the figures come from: the latest frozen report they were read from, or today."""
    if frozen:
        return _("Figures from the frozen annual report of %(year)s (version %(v)s).") % {
            "year": year,
            "v": max(frozen),
        }
    return _("No annual report of %(year)s is frozen: figures are counted today.") % {"year": year}


def _hand_value(indicator, year, lang):
    """An indicator entered by hand: its actual value of the year, with where it comes from in
    ``lang`` (the year's source, else the indicator's)."""
    row = next((y for y in indicator.years.all() if y.year == year), None)
    if row is None or row.actual is None:
        return []
    value = row.actual
    value = int(value) if value == value.to_integral_value() else value
    source = row.source_in(lang) or indicator.source_in(lang)
    line = f"{indicator.name_in(lang)}: {value}"
    return [f"{line} ({source})" if source else line]


def title(year):
    return _("Progress against the recommendations, %(year)s") % {"year": year}


def to_xlsx(year, lang):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    with override(lang):
        data = progress(year, lang)
        wb = Workbook()
        ws = wb.active
        ws.title = _("Recommendations")[:31]
        ws.sheet_view.rightToLeft = lang == "ar"
        ws.append([title(year)])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([data["basis"]])
        ws.append([])
        header = [
            _("source"),
            _("year"),
            _("reference"),
            _("prioritised"),
            _("recommendation"),
            _("status"),
            _("what was done"),
            _("responsible agencies"),
            _("measures of the plan"),
            _("figures"),
        ]
        ws.append(header)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for r in data["rows"]:
            ws.append(
                [
                    r["source"],
                    r["year"],
                    r["reference"],
                    _("yes") if r["priority"] else "",
                    r["text"],
                    r["status"],
                    r["evidence"],
                    r["agencies"],
                    "\n".join(r["measures"]),
                    "\n".join(r["figures"]),
                ]
            )
            for cell in ws[ws.max_row]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.append([])
        ws.append([data["note"]])
        for col, width in zip("ABCDEFGHIJ", (22, 7, 12, 10, 60, 18, 45, 30, 45, 30), strict=True):
            ws.column_dimensions[col].width = width
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


def to_pdf(year, lang):
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango or HarfBuzz missing
        raise ExportUnavailable(_("PDF export is not available on this server.")) from exc
    with override(lang):
        data = progress(year, lang)
        html = render_to_string(
            "coordination/progress_pdf.html",
            {
                **data,
                "lang": lang,
                "rtl": lang == "ar",
                "title": title(year),
                "page_counter": page_counter_css(),
                "footer": css_string(
                    _("Generated %(date)s") % {"date": isolate_plain(data["generated"])}
                ),
            },
        )
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
