"""Exports of the annual report (the dict of ``report.build_report``): XLSX, CSV, PDF, and the
UNODC GLOTIP questionnaire workbook.

Every export reads only the report dict, so a frozen report exports the same bytes-for-figures
years later, in any of the three languages. Headings written here go through gettext under
``translation.override(lang)``; labels that come with the report are picked by ``lang``."""

import csv
import datetime
import io
import re
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from himaya.core.bidi import isolate_plain
from himaya.core.pdf import css_string, page_counter_css

from . import charts

__all__ = [
    "ExportUnavailable",
    "cached_pdf",
    "to_csv",
    "to_pdf",
    "to_xlsx",
    "unodc_xlsx",
    "sheet_titles",
]


class ExportUnavailable(Exception):
    """The export cannot be produced on this server (a library is missing); say so, never 500."""


def _label(label, lang):
    return charts._label(label, lang)


def _in_progress(report, lang):
    """ "2026 is in progress: figures up to …" for a report of a year not ended when it was
    computed, else ""."""
    moment = _moment(report)
    if moment is None or moment.year > report["year"]:
        return ""
    with override(lang):
        return _(
            "%(year)s is in progress: figures up to %(when)s. They will change until the year "
            "has ended."
        ) % {
            "year": report["year"],
            "when": format_date(moment, "long", locale=charts._locale(lang)),
        }


def _moment(report):
    try:
        moment = datetime.datetime.fromisoformat(report.get("generated_at"))
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


def _generated_at(report, lang):
    moment = _moment(report)
    if moment is None:
        return str(report.get("generated_at") or "")
    # Local time without seconds or zone name, which a right-to-left line would scramble.
    locale = charts._locale(lang)
    day = format_date(moment, "long", locale=locale)
    return f"{day} {format_time(moment, 'HH:mm', locale=locale)}"


# --- XLSX -------------------------------------------------------------------------------------

_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_titles(report, lang):
    """{table key: sheet title}: the localized title, cut at a word to Excel's 31 characters
    and made unique; the table key when the title is empty."""
    titles, used = {}, {_("About").lower()}
    for table in report.get("tables", []):
        text = " ".join(_FORBIDDEN.sub(" ", _label(table.get("title"), lang)).split())
        text = text.strip("'")
        if len(text) > 31:
            cut = text[:31]
            text = cut.rsplit(" ", 1)[0] if " " in cut else cut
            text = text.rstrip(" ,;-")
        if not text:
            text = _FORBIDDEN.sub("_", table["key"])[:31]
        base, n = text, 2
        while text.lower() in used:
            suffix = f" ({n})"
            text = base[: 31 - len(suffix)] + suffix
            n += 1
        used.add(text.lower())
        titles[table["key"]] = text
    return titles


def _workbook():
    try:
        from openpyxl import Workbook
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise ExportUnavailable(_("Spreadsheet export is not available on this server.")) from exc
    return Workbook()


def _styles():
    from openpyxl.styles import Alignment, Font

    return Font(bold=True, size=14), Font(bold=True), Alignment, Font(italic=True)


def _finish_sheet(ws, lang, widths):
    from openpyxl.utils import get_column_letter

    ws.sheet_view.rightToLeft = lang == "ar"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _bytes(wb):
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_xlsx(report, lang, statement_paragraphs=None):
    """The report as a workbook: a cover sheet, then one sheet per table with the label, the
    year's value and the previous year's; "including" lines are indented, numbers are numbers,
    sheets read right to left in Arabic."""
    with override(lang):
        wb = _workbook()
        styles = _styles()
        _cover_sheet(wb.active, report, lang, statement_paragraphs, styles)
        titles = sheet_titles(report, lang)
        for table in report.get("tables", []):
            _table_sheet(wb.create_sheet(titles[table["key"]]), report, table, lang, styles)
        return _bytes(wb)


def _cover_sheet(cover, report, lang, statement_paragraphs, styles):
    """The year, the report's date and version, the statement, and every table's rule."""
    title_font, bold, Alignment, italic = styles
    wrap = Alignment(wrap_text=True, vertical="top")
    year, previous = report["year"], report["previous_year"]
    cover.title = _("About")
    cover.append([_("Trafficking in persons: annual figures %(year)s") % {"year": year}])
    cover["A1"].font = title_font
    cover.append([])
    for name, value in [
        (_("Year"), year),
        (_("Previous year"), previous),
        (_("Generated"), _generated_at(report, lang)),
        (_("Data version"), report.get("data_version", "")),
    ]:
        cover.append([name, value])
        cover.cell(cover.max_row, 1).font = bold
    if _in_progress(report, lang):
        cover.append([_in_progress(report, lang)])
        cover.cell(cover.max_row, 1).font = italic
    if statement_paragraphs:
        cover.append([])
        cover.append([_("Statement")])
        cover.cell(cover.max_row, 1).font = bold
        for paragraph in statement_paragraphs:
            cover.append([str(paragraph)])
            cover.merge_cells(
                start_row=cover.max_row, start_column=1, end_row=cover.max_row, end_column=2
            )
            cover.cell(cover.max_row, 1).alignment = wrap
            cover.row_dimensions[cover.max_row].height = 15 * (1 + len(str(paragraph)) // 90)
    cover.append([])
    cover.append([_("Counting rules")])
    cover.cell(cover.max_row, 1).font = bold
    for table in report.get("tables", []):
        cover.append([_label(table.get("title"), lang), _label(table.get("rule"), lang)])
        cover.cell(cover.max_row, 1).alignment = wrap
        cover.cell(cover.max_row, 2).alignment = wrap
    _finish_sheet(cover, lang, [42, 90])


def _table_sheet(ws, report, table, lang, styles):
    """One table: its title, a row per figure with the year and the year before, its rule."""
    title_font, bold, Alignment, italic = styles
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append([_label(table.get("title"), lang)])
    ws["A1"].font = title_font
    ws.append([pgettext("report table column", "Figure"), report["year"], report["previous_year"]])
    for cell in ws[2]:
        cell.font = bold
    for row in table.get("rows", []):
        ws.append([_label(row.get("label"), lang), row.get("value"), row.get("previous")])
        r = ws.max_row
        if row.get("level"):
            ws.cell(r, 1).alignment = Alignment(indent=2 * row["level"])
        for c in (2, 3):
            value = ws.cell(r, c).value
            if value is None:
                ws.cell(r, c).value = _("n/a")
                ws.cell(r, c).alignment = Alignment(horizontal="right")
            elif isinstance(value, float) and not value.is_integer():
                ws.cell(r, c).number_format = "#,##0.0"
            else:
                ws.cell(r, c).number_format = "#,##0"
    ws.append([])
    ws.append([_label(table.get("rule"), lang)])
    ws.cell(ws.max_row, 1).font = italic
    ws.cell(ws.max_row, 1).alignment = wrap
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=3)
    ws.row_dimensions[ws.max_row].height = 15 * (1 + len(_label(table.get("rule"), lang)) // 70)
    ws.freeze_panes = "B3"
    _finish_sheet(ws, lang, [48, 14, 14])


# --- CSV --------------------------------------------------------------------------------------


def to_csv(report, lang):
    """Every row of every table, one line each: table, row key, label, year, previous year.
    UTF-8 with a byte-order mark, so Excel opens Arabic labels correctly; a missing value is
    an empty field."""
    with override(lang):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(
            [_("Table"), _("Row"), _("Label"), str(report["year"]), str(report["previous_year"])]
        )
        for table in report.get("tables", []):
            for row in table.get("rows", []):
                writer.writerow(
                    [
                        table["key"],
                        row["key"],
                        _label(row.get("label"), lang),
                        "" if row.get("value") is None else row["value"],
                        "" if row.get("previous") is None else row["previous"],
                    ]
                )
        return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- UNODC GLOTIP -----------------------------------------------------------------------------

SEXES = ("female", "male", "unknown")
AGES = ("adult", "child", "unknown")
CITIZENSHIPS = ("national", "foreign", "unknown")

# Top forms of DOMAIN §2 grouped under the questionnaire's three forms of exploitation.
UNODC_FORM = {"sexual": "sexual", "labour": "labour"}


def _sum(cells, **match):
    return sum(c.get("count") or 0 for c in cells if all(c.get(k) == v for k, v in match.items()))


def _person_cells(unodc):
    """Victim cells that count each person once: ``unodc["victim_persons"]`` (cells without
    forms) when the report gives it; otherwise the cells by form, where a victim of several
    forms counts under each."""
    return unodc.get("victim_persons") or unodc.get("victims") or []


def _form_labels(report, lang):
    labels = {}
    series = report.get("series", {}).get("victims_by_form_sex") or []
    for item in list(series) + list(report.get("facts", {}).get("victims_by_form") or []):
        labels.setdefault(item["code"], _label(item.get("label"), lang))
    return labels


def _sex_names():
    return {"female": _("Females"), "male": _("Males"), "unknown": _("Sex unknown")}


def _age_names():
    return {"adult": _("Adults"), "child": _("Children (under 18)"), "unknown": _("Age unknown")}


def _citizenship_names():
    return {"national": _("Nationals"), "foreign": _("Foreign citizens"), "unknown": _("Unknown")}


def _victim_column_names():
    # The questionnaire's own words for victims: women, girls, men, boys.
    return {
        ("female", "adult"): _("Women"),
        ("female", "child"): _("Girls"),
        ("female", "unknown"): _("Females, age unknown"),
        ("male", "adult"): _("Men"),
        ("male", "child"): _("Boys"),
        ("male", "unknown"): _("Males, age unknown"),
        ("unknown", "adult"): _("Adults, sex unknown"),
        ("unknown", "child"): _("Children, sex unknown"),
        ("unknown", "unknown"): _("Sex and age unknown"),
    }


class _Sheet:
    """Writes headed blocks (a title line, a header row, data rows, a total) down one sheet."""

    def __init__(self, ws, lang):
        _t, self.bold, self.Alignment, self.italic = _styles()
        self.ws, self.lang = ws, lang

    def line(self, values=(), font=None):
        self.ws.append(list(values))
        if font is not None:
            for cell in self.ws[self.ws.max_row]:
                cell.font = font
        return self.ws.max_row

    def block(self, heading, header, rows, total_label):
        """rows: [(label, [numbers])]; adds a column of row totals and a row of column totals."""
        self.line([heading], self.bold)
        self.line([""] + list(header) + [_("Total")], self.bold)
        for label, values in rows:
            self.line([label] + list(values) + [sum(values)])
        columns = list(zip(*(values for _l, values in rows), strict=True)) or [()] * len(header)
        totals = [sum(col) for col in columns]
        self.line([total_label] + totals + [sum(totals)], self.bold)
        self.line()


def unodc_xlsx(report, lang):
    """The year's figures laid out as the UNODC questionnaire for the Global Report on
    Trafficking in Persons (GLOTIP) asks for them.

    Followed: the questionnaire annexed to the 2016 Global Report (Annex III, "Questionnaire
    used to collect data for the 2016 Global Report"): its part on offenders asks, question by
    question, for the persons *brought into formal contact with the police and/or criminal
    justice system* (suspected, arrested or cautioned), the persons *prosecuted* and the persons
    *convicted*, each by sex (males, females) and age (adults, juveniles) and with the
    *citizenship* of the persons convicted (nationals, foreigners); its part on victims asks for
    the victims *detected* by sex and age (women, men, girls, boys), by *form of exploitation*
    (sexual exploitation, forced labour, other purposes) and by citizenship. One sheet per
    question here, in that order, with "unknown" columns added because our records have them
    (the questionnaire asks that totals include persons whose sex or age is not known), and a
    column with the UNODC form beside our own forms. Data are one reference year."""
    with override(lang):
        wb = _workbook()
        unodc = report.get("unodc") or {}
        _unodc_cover(wb.active, report, lang)
        _offender_sheets(wb, unodc.get("suspects") or {}, report["year"], lang)
        _victim_sheet(wb, report, unodc, lang)
        return _bytes(wb)


def _unodc_cover(cover, report, lang):
    title_font, _bold, _Alignment, italic = _styles()
    cover.title = _("About")
    cover.append([_("UNODC questionnaire for the Global Report on Trafficking in Persons")])
    cover["A1"].font = title_font
    for name, value in [
        (_("Reference year"), report["year"]),
        (_("Generated"), _generated_at(report, lang)),
        (_("Data version"), report.get("data_version", "")),
    ]:
        cover.append([name, value])
    cover.append([])
    cover.append(
        [
            _(
                "Each table adds up the cells of the report. Suspects are counted once "
                "each; a victim of several forms of exploitation is counted under each "
                "form in the table by form."
            )
        ]
    )
    cover.cell(cover.max_row, 1).font = italic
    _finish_sheet(cover, lang, [70, 30])


def _offender_sheets(wb, suspects, year, lang):
    """Questions 2 to 4: persons in formal contact, prosecuted, convicted, by sex and age and
    by citizenship."""
    title_font = _styles()[0]
    sexes, ages, cits = _sex_names(), _age_names(), _citizenship_names()
    questions = [
        (
            "contact",
            _("Q2 Formal contact"),
            _(
                "Persons brought into formal contact with the police and/or criminal justice "
                "system (suspected, arrested or cautioned) for trafficking in persons, %(year)s"
            ),
        ),
        (
            "prosecuted",
            _("Q3 Prosecuted"),
            _("Persons prosecuted for trafficking in persons, %(year)s"),
        ),
        (
            "convicted",
            _("Q4 Convicted"),
            _("Persons convicted of trafficking in persons, %(year)s"),
        ),
    ]
    for key, sheet_title, heading in questions:
        cells = suspects.get(key) or []
        ws = wb.create_sheet(sheet_title[:31])
        sheet = _Sheet(ws, lang)
        sheet.line([heading % {"year": year}], title_font)
        sheet.line()
        sheet.block(
            _("By sex and age"),
            [ages[a] for a in AGES],
            [(sexes[s], [_sum(cells, sex=s, age=a) for a in AGES]) for s in SEXES],
            _("Total"),
        )
        sheet.block(
            _("By citizenship"),
            [cits[c] for c in CITIZENSHIPS],
            [(_("Persons"), [_sum(cells, citizenship=c) for c in CITIZENSHIPS])],
            _("Total"),
        )
        _finish_sheet(ws, lang, [34] + [18] * 10)


def _victim_sheet(wb, report, unodc, lang):
    """The victims detected, by sex and age, by form of exploitation and by citizenship."""
    title_font = _styles()[0]
    cits = _citizenship_names()
    victims = unodc.get("victims") or []
    people = _person_cells(unodc)
    columns = _victim_column_names()
    pairs = [(s, a) for s in SEXES for a in AGES]
    ws = wb.create_sheet(_("Victims detected")[:31])
    sheet = _Sheet(ws, lang)
    sheet.line(
        [_("Victims of trafficking in persons detected, %(year)s") % {"year": report["year"]}],
        title_font,
    )
    sheet.line()
    sheet.block(
        _("By sex and age"),
        [columns[p] for p in pairs],
        [(_("Victims"), [_sum(people, sex=s, age=a) for s, a in pairs])],
        _("Total"),
    )
    forms = sorted({c["form"] for c in victims if c.get("form")}, key=_form_order)
    labels = _form_labels(report, lang)
    unodc_names = {
        "sexual": _("Sexual exploitation"),
        "labour": _("Forced labour"),
        "other": _("Other purposes"),
    }
    sheet.block(
        _("By form of exploitation, sex and age"),
        [columns[p] for p in pairs],
        [
            (
                f"{labels.get(f, f)} ({unodc_names[UNODC_FORM.get(f, 'other')]})",
                [_sum(victims, form=f, sex=s, age=a) for s, a in pairs],
            )
            for f in forms
        ],
        _("Total of the forms"),
    )
    sheet.block(
        _("By citizenship"),
        [cits[c] for c in CITIZENSHIPS],
        [(_("Victims"), [_sum(people, citizenship=c) for c in CITIZENSHIPS])],
        _("Total"),
    )
    _finish_sheet(ws, lang, [44] + [14] * 10)


def _form_order(code):
    order = ["sexual", "labour"]
    return (order.index(code) if code in order else len(order), code)


# --- PDF --------------------------------------------------------------------------------------


def to_pdf(report, lang, statement_paragraphs=None):
    """The report as an A4 PDF through WeasyPrint: title, statement, every table beside the
    previous year, the three charts, the counting rules; page X of Y, generation date and data
    version in the footer. Raises ExportUnavailable when WeasyPrint cannot be loaded."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango or HarfBuzz missing
        raise ExportUnavailable(_("PDF export is not available on this server.")) from exc
    with override(lang):
        context = {
            "report": report,
            "lang": lang,
            "rtl": lang == "ar",
            "year": report["year"],
            "previous_year": report["previous_year"],
            "statement_paragraphs": list(statement_paragraphs or []),
            "tables": [
                {
                    "key": t["key"],
                    "title": _label(t.get("title"), lang),
                    "rule": _label(t.get("rule"), lang),
                    "rows": [
                        {
                            "label": _label(r.get("label"), lang),
                            "level": r.get("level") or 0,
                            "value": r.get("value"),
                            "previous": r.get("previous"),
                        }
                        for r in t.get("rows", [])
                    ],
                }
                for t in report.get("tables", [])
            ],
            "charts": charts.all_charts(report, lang, for_pdf=True),
            "generated": _generated_at(report, lang),
            "in_progress": _in_progress(report, lang),
            "page_counter": page_counter_css(),
            "footer_left": css_string(
                _("Generated %(date)s") % {"date": isolate_plain(_generated_at(report, lang))}
            ),
            "footer_right": css_string(
                _("Data version %(version)s")
                % {"version": isolate_plain(report.get("data_version", ""))}
            ),
        }
        html = render_to_string("statistics/report_pdf.html", context)
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


# The PDF takes seconds to lay out: it is kept per report (a frozen version, or the live
# figures of one data version, statistics.revision.data_version) and language. A write to any
# counted table changes the data version, so the next export lays out the new figures.
PDF_SECONDS = 24 * 3600


def pdf_key(report, lang, version=None):
    from .report import FORMAT

    which = f"v{version}" if version else "live"
    year, data = report["year"], report.get("data_version", "")
    return f"himaya:report-pdf:{FORMAT}:{year}:{which}:{data}:{report.get('generated_at')}:{lang}"


def cached_pdf(report, lang, statement_paragraphs=None, *, version=None):
    """``to_pdf`` laid out once per report and language (see PDF_SECONDS)."""
    key = pdf_key(report, lang, version)
    body = cache.get(key)
    if body is None:
        body = to_pdf(report, lang, statement_paragraphs)
        cache.set(key, body, PDF_SECONDS)
    return body
