"""Exports of the annual report: XLSX, CSV, the UNODC workbook, the PDF (looked at as images)."""

import csv
import io
import re
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from himaya.statistics import charts, exports
from himaya.statistics.tests.sample_report import sample_report

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"  # gitignored

STATEMENT = {
    "ar": [
        "في سنة 2023، فتحت السلطات 79 تحقيقا في قضايا الاتجار بالبشر، أدت إلى اعتقال 119 "
        "مشتبها به، مقابل 120 تحقيقا في 2022."
    ],
    "fr": [
        "En 2023, les autorités ont ouvert 79 enquêtes pour traite des êtres humains, qui ont "
        "conduit à l'arrestation de 119 suspects, contre 120 enquêtes en 2022."
    ],
}


# --- XLSX ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_xlsx_has_a_sheet_per_table_with_the_numbers(lang, figure):
    report = sample_report()
    wb = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(report, lang, STATEMENT.get(lang))))
    titles = exports.sheet_titles(report, lang)
    assert wb.sheetnames[1:] == [titles[t["key"]] for t in report["tables"]]
    assert len(set(wb.sheetnames)) == len(wb.sheetnames)
    assert all(len(name) <= 31 for name in wb.sheetnames)
    for table in report["tables"]:
        ws = wb[titles[table["key"]]]
        assert ws["A1"].value == table["title"][lang]
        assert (ws["B2"].value, ws["C2"].value) == (2023, 2022)
        for i, row in enumerate(table["rows"], start=3):
            assert ws.cell(i, 1).value == row["label"][lang]
            for col, key in ((2, "value"), (3, "previous")):
                cell = ws.cell(i, col)
                if row[key] is None:
                    assert cell.data_type == "s"  # "n/a", never a 0
                else:
                    assert cell.value == row[key] and cell.data_type == "n"
            assert (ws.cell(i, 1).alignment.indent > 0) == bool(row["level"])
        assert ws.sheet_view.rightToLeft is (lang == "ar")
    cover = wb.worksheets[0]
    assert cover.sheet_view.rightToLeft is (lang == "ar")
    cover_text = " ".join(str(c.value) for r in cover.iter_rows() for c in r if c.value)
    assert "3f9a1c0e7b2d4a65" in cover_text
    assert STATEMENT.get(lang, ["(none)"])[0] in cover_text or lang == "en"
    assert report["tables"][1]["rule"][lang] in cover_text
    victims = wb[titles["victims"]]
    assert [victims.cell(r, 2).value for r in range(3, 6)] == [169, 128, 42]
    figure(f"xlsx {lang}: {len(wb.sheetnames)} sheets, rtl={cover.sheet_view.rightToLeft}")


def test_sheet_titles_are_cut_sanitised_and_unique():
    report = sample_report()
    report["tables"][0]["title"]["fr"] = "Enquêtes [2023]: arrestations / suspects ? * et la suite"
    report["tables"][1]["title"]["fr"] = report["tables"][0]["title"]["fr"]
    report["tables"][2]["title"] = {"ar": "", "fr": "", "en": ""}
    with override("fr"):
        titles = exports.sheet_titles(report, "fr")
    first, second = titles["law_enforcement"], titles["prosecutions"]
    assert not re.search(r"[\[\]:*?/\\]", first) and len(first) <= 31
    assert first.startswith("Enquêtes 2023 arrestations")
    assert second != first and second.endswith("(2)") and len(second) <= 31
    assert titles["convictions"] == "convictions"


# --- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_csv_round_trips_with_a_bom(lang):
    report = sample_report()
    data = exports.to_csv(report, lang)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][3:] == ["2023", "2022"]
    expected = [
        [
            t["key"],
            r["key"],
            r["label"][lang],
            "" if r["value"] is None else str(r["value"]),
            "" if r["previous"] is None else str(r["previous"]),
        ]
        for t in report["tables"]
        for r in t["rows"]
    ]
    assert rows[1:] == expected
    if lang == "ar":
        assert ["victims", "victims:labour", "العمل القسري", "42", "45"] in rows


# --- UNODC -----------------------------------------------------------------------------------


def _blocks(ws):
    """Blocks of a sheet: {heading: {row label: [numbers...]}} in order."""
    blocks, current = {}, None
    for row in ws.iter_rows(values_only=True):
        values = [v for v in row if v is not None]
        if not values:
            current = None
            continue
        if current is None and len(values) == 1 and isinstance(values[0], str):
            current = blocks.setdefault(values[0], {})
            continue
        if current is not None and all(isinstance(v, int) for v in row[1:] if v is not None):
            current[row[0]] = [v for v in row[1:] if v is not None]
    return blocks


def _count(cells, **match):
    return sum(c["count"] for c in cells if all(c[k] == v for k, v in match.items()))


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_unodc_workbook_totals_match_the_cells(lang, figure):
    report = sample_report()
    wb = openpyxl.load_workbook(io.BytesIO(exports.unodc_xlsx(report, lang)))
    unodc = report["unodc"]
    with override(lang):
        total, by_sex_age, by_cit = _("Total"), _("By sex and age"), _("By citizenship")
        sheets = [_("Q2 Formal contact"), _("Q3 Prosecuted"), _("Q4 Convicted")]
        males, foreign = _("Males"), _("Foreign citizens")
        victims_sheet, by_form = _("Victims detected"), _("By form of exploitation, sex and age")
        forms_total = _("Total of the forms")
    assert wb.sheetnames[1:] == sheets + [victims_sheet]
    for name, key in zip(sheets, ("contact", "prosecuted", "convicted"), strict=True):
        cells = unodc["suspects"][key]
        blocks = _blocks(wb[name])
        assert blocks[by_sex_age][total][-1] == sum(c["count"] for c in cells)
        assert blocks[by_cit][total][-1] == sum(c["count"] for c in cells)
        # Males: adults, children, unknown age, then the row total.
        assert blocks[by_sex_age][males] == [
            _count(cells, sex="male", age="adult"),
            _count(cells, sex="male", age="child"),
            _count(cells, sex="male", age="unknown"),
            _count(cells, sex="male"),
        ]
        assert blocks[by_cit][total][1] == _count(cells, citizenship="foreign")
        assert wb[name].sheet_view.rightToLeft is (lang == "ar")
    assert _blocks(wb[sheets[1]])[by_sex_age][total][-1] == 181
    assert _blocks(wb[sheets[2]])[by_sex_age][total][-1] == 94

    victims = _blocks(wb[victims_sheet])
    assert victims[by_form][forms_total][-1] == 170  # 128 + 42: one person under both forms
    sexual = next(
        v
        for k, v in victims[by_form].items()
        if k.startswith(report["series"]["victims_by_form_sex"][0]["label"][lang])
    )
    # Columns: women, girls, females age unknown, men, boys, ...
    assert sexual[:2] == [
        _count(unodc["victims"], form="sexual", sex="female", age="adult"),
        _count(unodc["victims"], form="sexual", sex="female", age="child"),
    ]
    assert sexual[-1] == 128
    assert victims[by_cit][total] == [
        _count(unodc["victims"], citizenship="national"),
        _count(unodc["victims"], citizenship="foreign"),
        _count(unodc["victims"], citizenship="unknown"),
        170,
    ]
    assert foreign  # the heading exists in the language
    figure(f"unodc {lang}: suspects prosecuted 181, convicted 94, victims by form 170")


def test_unodc_counts_victims_once_when_the_report_gives_victim_persons():
    report = sample_report()
    report["unodc"]["victim_persons"] = [
        {"sex": "female", "age": "adult", "citizenship": "national", "form": "", "count": 169}
    ]
    wb = openpyxl.load_workbook(io.BytesIO(exports.unodc_xlsx(report, "en")))
    with override("en"):
        blocks = _blocks(wb[_("Victims detected")])
        assert blocks[_("By sex and age")][_("Total")][-1] == 169
        assert blocks[_("By form of exploitation, sex and age")][_("Total of the forms")][-1] == 170


# --- charts ----------------------------------------------------------------------------------


def test_charts_are_accessible_escaped_and_mirrored_in_arabic():
    report = sample_report()
    report["series"]["victims_by_form_sex"][0]["label"]["fr"] = "<script>alert(1)</script>"
    svg = charts.bar_chart_victims_by_form_sex(report, "fr")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert '<title id="chart-victims-title">' in svg and "<desc" in svg and 'role="img"' in svg
    for lang in ("fr", "ar"):
        line = charts.line_chart_justice_by_year(report, lang)
        years = {
            int(y): float(x)
            for x, y in re.findall(r'<text x="([\d.]+)"[^>]*>(20\d\d)</text>', line)
        }
        assert len(years) == 6
        # Chronological order follows the reading direction.
        assert (years[2018] < years[2023]) is (lang == "fr")
        # The value axis (ticks anchored to it) is on the left in French, the right in Arabic.
        zero_tick = re.search(r'<text x="([\d.]+)"[^>]*text-anchor="(\w+)"[^>]*>0</text>', line)
        assert (float(zero_tick[1]) > charts.WIDTH / 2) is (lang == "ar")
    for lang in ("ar", "fr", "en"):
        for svg in charts.all_charts(report, lang):
            root = ElementTree.fromstring(str(svg))  # well-formed XML, usable inline or alone
            assert root.find("{http://www.w3.org/2000/svg}title").text
    occupancy = charts.occupancy_chart(report, "ar")
    assert "دجنبر" in occupancy  # Moroccan month names (CLDR ar_MA)
    empty = sample_report()
    empty["series"] = {}
    assert "<svg" in charts.occupancy_chart(empty, "en")


# --- PDF -------------------------------------------------------------------------------------


def _pdf_pages(data):
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument(data)
    texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    image = doc[0].render(scale=1.5).to_pil().convert("L")
    return doc, texts, image


def _dark_columns(image, top, bottom):
    """x of every dark pixel in a horizontal band of the page image."""
    width = image.width
    pixels = image.crop((0, top, width, bottom)).tobytes()
    return [i % width for i, v in enumerate(pixels) if v < 128]


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_pdf_renders_the_report(lang, figure):
    report = sample_report()
    data = exports.to_pdf(report, lang, STATEMENT[lang])
    assert data.startswith(b"%PDF")
    doc, texts, image = _pdf_pages(data)
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / f"report-{lang}-page1.png")
    doc[len(doc) - 2].render(scale=1.5).to_pil().save(ARTIFACTS / f"report-{lang}-charts.png")

    pages = len(doc)
    assert pages >= 2
    everything = "\n".join(texts)
    squash = re.sub(r"\s+", "", everything)
    with override(lang):
        for n in (1, pages):
            footer = _("Page %(page)s of %(pages)s") % {"page": n, "pages": pages}
            # the text layer keeps the visual order: in Arabic the numbers come out reversed
            words = sorted(footer.split())
            found = texts[n - 1].split()
            assert all(w in found for w in words), (footer, texts[n - 1][-200:])

        # lam-alef ligatures come back from the text layer with their letters swapped: compare
        # without those two letters
        def bare(text):
            return re.sub(r"[\sلاأإآ]+", "", text)

        for msgid in ("Counting rules", "Charts"):
            assert bare(_(msgid)) in bare(everything), msgid
    # Words of the tables and charts, and the figures (lam-alef ligatures come back from the
    # text layer as "ال", so the Arabic words checked here have none).
    words = {
        "ar": ["المجموع", "العمل القسري", "مشتبه بهم معتقلون", "ليالي المبيت", "الزواج القسري"],
        "fr": ["Enquêtes et arrestations", "Travail forcé", "Mendicité forcée", "Mariage forcé"],
    }[lang]
    for word in words:
        assert word in everything, word
    for number in ("169", "166", "181", "128", "119"):
        assert number in everything
    assert "3f9a1c0e7b2d4a65" in squash  # data version in the footer
    assert "نونبر" in everything if lang == "ar" else "novembre" in everything

    # The page is not blank, and its title line sits on the reading side.
    histogram = image.histogram()
    mean = sum(i * n for i, n in enumerate(histogram)) / sum(histogram)
    variance = sum(n * (i - mean) ** 2 for i, n in enumerate(histogram)) / sum(histogram)
    assert variance > 200
    title_band = _dark_columns(image, 60, 130)  # the h1, 18 mm below the top edge
    assert len(title_band) > 500
    centre = sum(title_band) / len(title_band)
    left_gap, right_gap = min(title_band), image.width - max(title_band)
    if lang == "ar":  # flush right: the gap on the right is the page margin, the left one wider
        assert right_gap < left_gap and centre > image.width / 2
    else:
        assert left_gap < right_gap and centre < image.width / 2
    figure(f"pdf {lang}: {pages} pages, page 1 pixel variance {variance:.0f}")


def test_pdf_unavailable_is_a_clear_error(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise ImportError("no weasyprint here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(exports.ExportUnavailable) as excinfo:
        exports.to_pdf(sample_report(), "fr", [])
    assert str(excinfo.value)
