"""Reading an uploaded register: what the file is (by its content, never its name or the
browser's word) and its rows, as ``Sheet`` objects of raw cell values.

- XLSX: a real Office Open XML zip (``[Content_Types].xml`` and ``xl/workbook.xml`` inside), read
  with openpyxl in read-only mode; one sheet per kind of record, named after the kind.
- CSV: UTF-8 text (with or without a byte-order mark), comma, semicolon (Excel in French
  locales) or tab separated; one file per kind.

Anything else is refused (QUALITY S19): other zips, HTML/SVG/script text, binary files, files
that are both (polyglots), and files over the size limit.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
MAX_SCANNED_ROWS = 10 * MAX_ROWS
MAX_COLUMNS = 60
MAX_CELL = 2000
# Uncompressed size of an XLSX: a zip bomb is refused before openpyxl inflates it.
MAX_UNZIPPED = 60 * 1024 * 1024


class FileRefused(Exception):
    """The file cannot be read as a register; the message says why, in the user's language."""


@dataclass
class Sheet:
    name: str  # the sheet's name (XLSX) or the file's name (CSV)
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # (row number as the user sees it, [cells])


_MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|svg|iframe|object|\?xml)", re.I)


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
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise FileRefused(_("The file is not a valid XLSX workbook.")) from exc
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise FileRefused(_("The file is a zip archive but not an XLSX workbook."))
        if any(n.startswith("xl/vbaProject") for n in names):
            raise FileRefused(_("Workbooks with macros are refused."))
        if total > MAX_UNZIPPED:
            raise FileRefused(_("The workbook is too large once uncompressed."))
        return "xlsx"
    # Anything else must be text: no NUL byte, valid UTF-8, no markup (an HTML page or an SVG
    # renamed .csv), no zip appended (a polyglot).
    if b"\x00" in data or b"PK\x03\x04" in data or b"PK\x05\x06" in data:
        raise FileRefused(_("The file is neither an XLSX workbook nor a CSV text file."))
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            _("The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
        ) from exc
    if _MARKUP.search(data[:4096]):
        raise FileRefused(_("The file contains HTML or XML markup, not a CSV table."))
    return "csv"


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
        if len(value) > MAX_CELL:
            value = value[:MAX_CELL]
        return value
    return value


def _trim(headers, rows):
    # Trailing empty header cells (formatted but empty columns) are dropped.
    while headers and (headers[-1] is None or headers[-1] == ""):
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise FileRefused(_("Too many columns (limit: %(n)s).") % {"n": MAX_COLUMNS})
    return headers, rows


def read_csv(data: bytes, name: str) -> Sheet:
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = [_cell(h) for h in next(reader, [])]
        rows = []
        for number, cells in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                raise FileRefused(_("Too many rows (limit: %(n)s).") % {"n": MAX_ROWS})
            cells = [_cell(c) for c in cells]
            if any(c not in ("", None) for c in cells):
                rows.append((number, cells))
    except csv.Error as exc:
        raise FileRefused(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc
    headers, rows = _trim(headers, rows)
    return Sheet(name=name, headers=headers, rows=rows)


def read_xlsx(data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise FileRefused(_("The XLSX workbook could not be read.")) from exc
    sheets = []
    try:
        for ws in workbook.worksheets:
            rows_iter = ws.iter_rows(values_only=True)
            headers = [_cell(h) for h in next(rows_iter, ())]
            headers = ["" if h is None else str(h) for h in headers]
            rows = []
            for number, cells in enumerate(rows_iter, start=2):
                # Formatted but empty rows do not count, up to a point.
                if number > MAX_SCANNED_ROWS:
                    raise FileRefused(_("Too many rows (limit: %(n)s).") % {"n": MAX_ROWS})
                cells = [_cell(c) for c in cells]
                if any(c not in ("", None) for c in cells):
                    rows.append((number, cells))
                    if len(rows) > MAX_ROWS:
                        raise FileRefused(_("Too many rows (limit: %(n)s).") % {"n": MAX_ROWS})
            headers, rows = _trim(headers, rows)
            sheets.append(Sheet(name=ws.title, headers=headers, rows=rows))
    finally:
        workbook.close()
    return sheets


def read(data: bytes, name: str) -> tuple[str, list[Sheet]]:
    """The file's format and its sheets (a CSV is one sheet named after the file)."""
    fmt = sniff(data)
    if fmt == "xlsx":
        return fmt, read_xlsx(data)
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name.rsplit("/", 1)[-1])
    return fmt, [read_csv(data, stem)]
