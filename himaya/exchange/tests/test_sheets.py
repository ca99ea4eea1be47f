"""The workbook reader (sheets.py) gives what openpyxl's read-only mode gives, value for value:
the quirks registers rely on (Excel serial dates, the 1904 calendar, durations, shared and
inline strings, rich text, booleans, errors, formulas' cached values, sparse rows and cells)."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from himaya.exchange import census, reading, sheets

from .test_hostile import CONTENT_TYPES, NS, ROOT_RELS, WORKBOOK, WORKBOOK_RELS


def _save(wb):
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def quirks():
    wb = Workbook()
    ws = wb.active
    ws.title = "suspects"
    ws.append(["ref ", " Birth date", "n", "b", "f", None, ""])
    ws.append(["S-1", datetime.date(1990, 3, 1), 3, True, 1.5, None, "  x  "])
    ws.append([None] * 3)
    ws.append(["S-2", datetime.datetime(2024, 1, 2, 10, 0), "0012", False, 1e20, "a;b | c"])
    ws["J9"] = "far"
    ws["B7"] = datetime.time(3, 4)
    ws["C7"] = datetime.timedelta(hours=5)
    for cell, fmt in (("A12", "dd/mm/yyyy"), ("A13", "[h]:mm:ss"), ("A14", "yyyy-mm-dd")):
        ws[cell] = 45000 if cell != "A14" else 4_500_000_000  # the last: no date at all
        ws[cell].number_format = fmt
    ws["B12"] = "=1+1"  # no cached value: empty
    wb.create_sheet("arrests").append(["ref", "  A 1 "])
    wb.create_sheet("empty")
    hidden = wb.create_sheet("hidden")
    hidden.sheet_state = "hidden"
    hidden["C3"] = "مرحبا"
    return _save(wb)


def calendar_1904():
    wb = Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["d"])
    ws.append([datetime.date(2020, 5, 6)])
    return _save(wb)


def write_only():
    wb = Workbook(write_only=True)  # inline strings, no <dimension>
    ws = wb.create_sheet("investigations")
    ws.append(["ref", "opened_on"])
    for i in range(50):
        ws.append([f"E-{i}", f"2024-01-{i % 28 + 1:02d}"])
    return _save(wb)


STRINGS = (
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<si><t>plain</t></si>"
    "<si><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r>"
    '<rPh sb="0" eb="1"><t>phonetic, left out</t></rPh></si>'
    "<si><t>a_x005F_x0041_</t></si></sst>"
)
CELLS = (
    NS + "<sheetData>"
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row><c t="s"><v>2</v></c><c t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c>'
    '<c t="str"><f>A1</f><v>cached</v></c><c t="e"><v>#N/A</v></c>'
    '<c t="d"><v>2024-02-03T00:00:00</v></c><c t="b"><v>1</v></c><c><v>2.50</v></c></row>'
    '<row r="5"><c r="C5"><v>7</v></c><c r="C5"><v>8</v></c><c r="Z5"><v>9</v></c></row>'
    '<row r="4"><c r="A4"><v>1</v></c></row>'
    '<row r="6"><c r="A6" t="inlineStr"/><c r="B6"><v></v></c></row>'
    "</sheetData></worksheet>"
)


def handmade():
    strings_type = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    strings_rel = (
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    members = {
        "[Content_Types].xml": CONTENT_TYPES.replace("</Types>", strings_type),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.replace("</Relationships>", strings_rel),
        "xl/worksheets/sheet1.xml": CELLS,
        "xl/sharedStrings.xml": STRINGS,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return out.getvalue()


def openpyxl_rows(data):
    """Every sheet's rows as openpyxl's read-only mode gives them, in the census's bounds."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sizes = census.take(zf, reading.LIMITS)
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        out = {}
        for ws in wb.worksheets:
            size = sizes.size_of(ws.title)
            width = max(1, min(size.width, reading.MAX_COLUMNS))
            rows = ws.iter_rows(
                min_row=1, max_row=size.rows, min_col=1, max_col=width, values_only=True
            )
            out[ws.title] = [tuple(r) for r in rows] if size.rows else []
        return out
    finally:
        wb.close()


def our_rows(data):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sizes = census.take(zf, reading.LIMITS)
        book = sheets.Workbook(zf)
        out = {}
        for name, part in book.sheets:
            size = sizes.size_of(name)
            width = max(1, min(size.width, reading.MAX_COLUMNS))
            out[name] = book.rows(part, size.rows, width) if size.rows else []
        return out


@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl on the serial that is no date
@pytest.mark.parametrize("make", [quirks, calendar_1904, write_only, handmade])
def test_rows_are_openpyxls(make):
    data = make()
    assert our_rows(data) == openpyxl_rows(data)


def test_values_read():
    rows = our_rows(quirks())["suspects"]
    assert rows[1][:5] == ("S-1", datetime.datetime(1990, 3, 1), 3, True, 1.5)
    assert rows[11][0] == datetime.datetime(2023, 3, 15)  # serial 45000 in a date format
    assert rows[12][0] == datetime.timedelta(days=45000)  # in a duration format
    assert rows[13][0] == "#VALUE!"  # a serial past any date: an error, as openpyxl says
    assert our_rows(calendar_1904())["Sheet"][1] == (datetime.datetime(2020, 5, 6),)
    strings = our_rows(handmade())["investigations"]
    assert strings[0][:2] == ("plain", "rich text")
    assert strings[1][:7] == (
        "a_x0041_",
        "inline",
        "cached",
        "#N/A",
        datetime.datetime(2024, 2, 3),
        True,
        2.5,
    )
