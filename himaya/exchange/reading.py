"""Reading an uploaded register: what the file is (by its content, never its name or the
browser's word) and its rows, as ``Sheet`` objects of raw cell values.

- XLSX: a real Office Open XML zip (``[Content_Types].xml`` and ``xl/workbook.xml`` inside), its
  rows streamed by ``sheets`` (expat, the values openpyxl's read-only mode gives, several times
  faster); one sheet per kind of record, named after the kind.
- CSV: UTF-8 text (with or without a byte-order mark), comma, semicolon (Excel in French
  locales) or tab separated; one file per kind.

Anything else is refused (QUALITY S19): other zips, markup documents (HTML, SVG, XML), binary
files, files that are both (polyglots), and files over the size limit.

Hostile files are refused while they are read, at the first limit they pass, so that no upload
costs more memory or time than the largest register the limits allow (benchmarks/uploads.py):
a workbook's XML is counted by ``census`` before it is read, a CSV line by line. Every
failure to parse becomes ``FileRefused`` with a message for the user, never a server error.

Markup inside a cell is data, not a threat here: an uploaded file is never served back (it waits
in a private directory until it is imported) and every value it holds is shown through Django's
autoescaping, so cells are not searched for tags (docs/import.md, "Hostile files").
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from . import census, sheets

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000  # rows holding a value, per sheet or CSV file
MAX_SCANNED_ROWS = 10 * MAX_ROWS  # a sheet's last row number, formatted empty rows included
MAX_COLUMNS = 60
# A spreadsheet cell's own limit (Excel's): a longer cell is refused, never cut. The columns
# and the actions they feed hold the limits of each field (a reason, a note), with a message on
# the row; the file's size bounds the text of all the cells.
MAX_CELL = 32_767
# The text of all the cells of a file, counted as read (a cell repeated counts each time): a
# register of 20,000 rows holds a few million characters; a small workbook repeating one long
# shared string in every cell would otherwise unfold into gigabytes.
MAX_TEXT = 20_000_000
# Cells of one row (a workbook's empty but formatted cells included: LibreOffice writes up to
# 1024 of them; a CSV row's fields), and of a whole workbook (a full register is 20,000 × 60).
MAX_ROW_CELLS = 1024
MAX_CELLS = 1_500_000
# XML elements: of a workbook in all, in one row or shared string, and in the rest of any one
# part (styles, the workbook, merged cells…), which openpyxl builds as a tree in memory.
MAX_ELEMENTS = 4 * MAX_CELLS
MAX_RECORD_ELEMENTS = 16 * MAX_ROW_CELLS
MAX_PART_ELEMENTS = 250_000
# Uncompressed size of an XLSX and its number of parts: a zip bomb is refused before anything
# is inflated (a member never yields more than its declared size: zipfile stops there).
MAX_UNZIPPED = 60 * 1024 * 1024
MAX_MEMBERS = 1000
# Characters of one line of a CSV file (60 full cells and their quotes fit in 128 KiB).
MAX_LINE = 256 * 1024

LIMITS = {
    "rows": MAX_SCANNED_ROWS,
    "columns": MAX_COLUMNS,
    "row_cells": MAX_ROW_CELLS,
    "cells": MAX_CELLS,
    "elements": MAX_ELEMENTS,
    "record_elements": MAX_RECORD_ELEMENTS,
    "part_elements": MAX_PART_ELEMENTS,
}


class FileRefused(Exception):
    """The file cannot be read as a register; the message says why, in the user's language."""


@dataclass
class Sheet:
    name: str  # the sheet's name (XLSX) or the file's name (CSV)
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # (row number as the user sees it, [cells])


# A markup document (HTML, SVG, XML) starts with a tag, after an optional byte-order mark and
# blank space; a CSV file starts with its header row. This is a check of the file's type, like
# the zip signature above, not a search for dangerous tags (see the module's docstring).
_MARKUP_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<\s*[A-Za-z!?/]")


def sniff(data: bytes) -> str:
    """``"xlsx"`` or ``"csv"``, judged from the bytes; raises FileRefused otherwise."""
    if len(data) > MAX_BYTES:
        raise FileRefused(_("The file is too large (limit: 5 MB)."))
    if not data.strip():
        raise FileRefused(_("The file is empty."))
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                total = sum(i.file_size for i in zf.infolist())
                members = len(zf.infolist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
            raise FileRefused(_("The file is not a valid XLSX workbook.")) from exc
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise FileRefused(_("The file is a zip archive but not an XLSX workbook."))
        if any(n.startswith("xl/vbaProject") for n in names):
            raise FileRefused(_("Workbooks with macros are refused."))
        if total > MAX_UNZIPPED or members > MAX_MEMBERS:
            raise FileRefused(_("The workbook is too large once uncompressed."))
        return "xlsx"
    # Anything else must be text: no NUL byte, valid UTF-8, no markup (an HTML page or an SVG
    # renamed .csv), no zip appended (a polyglot).
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16's byte-order mark
        raise FileRefused(
            _(
                "The file is UTF-16 text (Excel's “Unicode text”). Save it as “CSV UTF-8” and "
                "try again."
            )
        )
    if b"\x00" in data or b"PK\x03\x04" in data or b"PK\x05\x06" in data:
        raise FileRefused(_("The file is neither an XLSX workbook nor a CSV text file."))
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            _("The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
        ) from exc
    if _MARKUP_START.match(data):
        raise FileRefused(_("The file contains HTML or XML markup, not a CSV table."))
    return "csv"


class _Text:
    """The characters read so far from a file's cells, and each distinct text stripped once: a
    shared string repeated in many cells stays one object in memory."""

    def __init__(self):
        self.total = 0
        self.stripped = {}

    def cell(self, value, row):
        if not isinstance(value, str):
            return value
        stripped = self.stripped.get(value)
        if stripped is None:
            stripped = self.stripped[value] = value.strip()
        if len(stripped) > MAX_CELL:
            raise FileRefused(
                _("Row %(row)s has a cell longer than %(n)s characters.")
                % {"row": row, "n": MAX_CELL}
            )
        self.total += len(stripped)
        if self.total > MAX_TEXT:
            raise FileRefused(
                _("The file holds more text than a register can (limit: %(n)s characters).")
                % {"n": MAX_TEXT}
            )
        return stripped


def _trim(headers, rows):
    # Trailing empty header cells (formatted but empty columns) are dropped.
    while headers and (headers[-1] is None or headers[-1] == ""):
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise FileRefused(_("Too many columns (limit: %(n)s).") % {"n": MAX_COLUMNS})
    return headers, rows


def _lines(text):
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_LINE:
            raise FileRefused(
                _("Line %(line)s of the CSV file is longer than %(n)s characters.")
                % {"line": number, "n": MAX_LINE}
            )
        yield line


def _beyond_columns(cells, row):
    """Refuse a value past the last column a register may have (it would be lost)."""
    if len(cells) > MAX_ROW_CELLS:
        raise FileRefused(
            _("Row %(row)s has more than %(n)s cells.") % {"row": row, "n": MAX_ROW_CELLS}
        )
    for index in range(MAX_COLUMNS, len(cells)):
        if cells[index] not in ("", None):
            raise FileRefused(
                _(
                    "Row %(row)s has a value in column %(column)s, beyond the limit of %(n)s "
                    "columns."
                )
                % {"row": row, "column": index + 1, "n": MAX_COLUMNS}
            )


def read_csv(data: bytes, name: str) -> Sheet:
    cells_read = _Text()
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        headers = next(reader, [])
        _beyond_columns(headers, 1)
        headers = [cells_read.cell(h, 1) for h in headers[: MAX_COLUMNS + 1]]
        rows = []
        for number, cells in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                raise FileRefused(_("Too many rows (limit: %(n)s).") % {"n": MAX_ROWS})
            _beyond_columns(cells, number)
            if any(c != "" for c in cells):
                rows.append((number, [cells_read.cell(c, number) for c in cells[:MAX_COLUMNS]]))
    except csv.Error as exc:
        raise FileRefused(
            _(
                "The CSV file could not be read near line %(line)s: a quote is not closed or a "
                "cell is longer than %(n)s characters."
            )
            % {"line": reader.line_num, "n": csv.field_size_limit()}
        ) from exc
    headers, rows = _trim(headers, rows)
    return Sheet(name=name, headers=headers, rows=rows)


def read_xlsx(data: bytes) -> list[Sheet]:
    """The workbook's sheets, counted by the census, then read by ``sheets`` (expat, one pass
    a part). Everything from opening to the last row is inside one ``try``: a damaged part
    anywhere is a refusal, never a server error."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise FileRefused(_("The file is not a valid XLSX workbook.")) from exc
    with zf:
        try:
            sizes = census.take(zf, LIMITS)
        except census.Refused as exc:
            raise FileRefused(exc.message) from exc
        cells_read = _Text()
        try:
            book = sheets.Workbook(zf)
            return [
                _read_sheet(book, name, part, sizes.size_of(name), cells_read)
                for name, part in book.sheets
            ]
        except FileRefused:
            raise
        except Exception as exc:  # a damaged part, in any of the ways it can be
            raise FileRefused(_("The XLSX workbook could not be read.")) from exc


def _read_sheet(book, name, part, size, cells_read):
    # The census's bounds, not the sheet's declared dimension (which a file may inflate to
    # XFD1048576): rows are padded to the width and the empty rows up to the last are given.
    if size is None:  # a sheet the census could not name: the limits themselves
        size = census.SheetSize(rows=MAX_SCANNED_ROWS, width=MAX_COLUMNS)
    # A sheet with no rows is parsed all the same: a part that is not XML is a damaged file.
    rows_iter = iter(book.rows(part, size.rows, max(1, min(size.width, MAX_COLUMNS))))
    if size.rows == 0:
        return Sheet(name=name)
    headers = [cells_read.cell(h, 1) for h in next(rows_iter, ())]
    headers = ["" if h is None else str(h) for h in headers]
    rows = []
    for number, cells in enumerate(rows_iter, start=2):
        if any(c is not None and c != "" for c in cells):
            cells = [cells_read.cell(c, number) for c in cells]
            if any(c not in ("", None) for c in cells):
                rows.append((number, cells))
                if len(rows) > MAX_ROWS:
                    raise FileRefused(_("Too many rows (limit: %(n)s).") % {"n": MAX_ROWS})
    headers, rows = _trim(headers, rows)
    return Sheet(name=name, headers=headers, rows=rows)


def read(data: bytes, name: str) -> tuple[str, list[Sheet]]:
    """The file's format and its sheets (a CSV is one sheet named after the file)."""
    fmt = sniff(data)
    if fmt == "xlsx":
        return fmt, read_xlsx(data)
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name.rsplit("/", 1)[-1])
    return fmt, [read_csv(data, stem)]
