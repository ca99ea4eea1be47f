"""A workbook's rows, streamed with expat, as openpyxl's read-only mode would give them
(``iter_rows(values_only=True)`` with ``data_only=True``), in a fraction of its time.

Why not openpyxl itself: it parses a sheet's XML with defusedxml's pure-Python parser and builds
an element and a cell object per cell, and, for a sheet without a ``<dimension>`` (openpyxl's own
write-only files, some exports), parses the whole sheet a second time while opening the workbook
to find its size: 20,000 rows took 7 s, of which the rows themselves were a small part
(benchmarks/registers.py). Here each part is parsed once by expat with the census's refusals
(no DTD, no entity: census.forbid), after the census has counted it, so the limits it enforces
hold before anything is read.

What openpyxl does and this keeps (reading's tests compare the two): shared and inline strings
(rich-text runs joined, phonetic runs left out, ``x005F_`` removed), numbers as ``int`` or
``float``, booleans, error values as their text, formulas' cached values, ``t="d"`` ISO dates,
and numbers in a date or duration format (the cell's style, builtin or custom format) as
``datetime`` or ``timedelta`` from the workbook's 1900 or 1904 calendar (an Excel serial date);
rows padded to the width asked, missing rows given empty, a row number seen again skipped, the
last of two cells of one column winning; chart sheets and sheets whose part is missing skipped.
"""

import posixpath
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

from . import census

MAIN = census.MAIN
REL_ID = census.REL_ID
CHUNK = census.CHUNK
STYLES = "xl/styles.xml"
_TRUE = {"true", "1"}


def _parse(zf, name, start, end=None, data=None):
    """Stream the part ``name`` of ``zf`` through expat with these handlers."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if data is not None:
        parser.CharacterDataHandler = data
    census.forbid(parser)
    with zf.open(name) as fh:
        chunk = fh.read(CHUNK)
        while chunk:
            parser.Parse(chunk, False)
            chunk = fh.read(CHUNK)
    parser.Parse(b"", True)


def _target(base, target):
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _relationships(zf, names):
    """The workbook's relationships: id → (type, part name)."""
    rels = {}
    if census.WORKBOOK_RELS not in names:
        raise ValueError("the workbook has no relationships: its sheets cannot be found")

    def start(tag, attrib):
        if tag.endswith("Relationship"):
            target = _target(census.WORKBOOK, attrib.get("Target", ""))
            rels[attrib.get("Id", "")] = (attrib.get("Type", ""), target)

    _parse(zf, census.WORKBOOK_RELS, start)
    return rels


def _workbook(zf):
    """``([(sheet name, relationship id)], epoch)`` of xl/workbook.xml."""
    sheets, epoch = [], [CALENDAR_WINDOWS_1900]

    def start(tag, attrib):
        if tag == MAIN + "sheet":
            sheets.append((attrib.get("name", ""), attrib.get(REL_ID, "")))
        elif tag == MAIN + "workbookPr" and attrib.get("date1904", "").lower() in _TRUE:
            epoch[0] = CALENDAR_MAC_1904

    _parse(zf, census.WORKBOOK, start)
    return sheets, epoch[0]


def _shared_strings(zf, name):
    """The shared strings: the text of each ``<si>``, its runs joined, phonetic runs left out."""
    strings, parts, state = [], [], {"t": False, "phonetic": 0}

    def start(tag, attrib):
        local = tag[tag.rfind("}") + 1 :]
        if local == "si":
            parts.clear()
        elif local == "rPh":
            state["phonetic"] += 1
        elif local == "t" and not state["phonetic"]:
            state["t"] = True

    def end(tag):
        local = tag[tag.rfind("}") + 1 :]
        if local == "si":
            strings.append("".join(parts).replace("x005F_", ""))
        elif local == "rPh":
            state["phonetic"] -= 1
        elif local == "t":
            state["t"] = False

    def data(text):
        if state["t"]:
            parts.append(text)

    _parse(zf, name, start, end, data)
    return strings


def _styles(zf, name):
    """The cell styles (``cellXfs`` indices) in a date format, and those in a duration one."""
    custom, xfs, state = {}, [], {"in_xfs": False}

    def start(tag, attrib):
        local = tag[tag.rfind("}") + 1 :]
        if local == "numFmt":
            custom[_int(attrib.get("numFmtId"))] = attrib.get("formatCode", "")
        elif local == "cellXfs":
            state["in_xfs"] = True
        elif local == "xf" and state["in_xfs"]:
            xfs.append(_int(attrib.get("numFmtId")))

    def end(tag):
        if tag.endswith("cellXfs"):
            state["in_xfs"] = False

    _parse(zf, name, start, end)
    dates, durations = set(), set()
    for index, fmt_id in enumerate(xfs):
        fmt = custom[fmt_id] if fmt_id in custom else BUILTIN_FORMATS.get(fmt_id)
        if fmt is None:
            continue
        if is_date_format(fmt):
            dates.add(index)
        if is_timedelta_format(fmt):
            durations.add(index)
    return dates, durations


def _int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class Workbook:
    """The sheets of a workbook (``sheets``: ``[(name, part)]`` in the workbook's order) and
    what their cells need: shared strings, date styles, calendar."""

    def __init__(self, zf):
        names = set(zf.namelist())
        rels = _relationships(zf, names)
        order, self.epoch = _workbook(zf)
        self.zf = zf
        self.sheets = []
        for sheet_name, rel_id in order:
            kind, part = rels.get(rel_id, ("", ""))
            if part in names and not kind.endswith("/chartsheet"):
                self.sheets.append((sheet_name, part))
        # Where openpyxl looks: the shared strings the workbook names (else their usual part),
        # the styles at their fixed place.
        strings = [p for k, p in rels.values() if k.endswith("/sharedStrings") and p in names]
        strings = strings or [p for p in ("xl/sharedStrings.xml",) if p in names]
        self.strings = _shared_strings(zf, strings[0]) if strings else []
        self.dates, self.durations = _styles(zf, STYLES) if STYLES in names else (set(), set())

    def rows(self, part, max_row, max_col):
        """The rows 1 to ``max_row`` of a sheet, each a tuple of ``max_col`` values."""
        reader = _SheetReader(self, max_col)
        _parse(self.zf, part, reader.start, reader.end, reader.data)
        return reader.result(max_row)


class _SheetReader:
    def __init__(self, book, width):
        self.book, self.width = book, width
        self.rows = []  # (row number, values)
        self.row = 0
        self.current = None
        self.column = 0
        self.cell = None  # (type, style) of the cell being read
        self.text = None  # the text being gathered (a <v> or an inline <t>), else None
        self.value = None
        self.inline = None  # the texts of an inline string (<is>), else None
        self.phonetic = 0

    def start(self, tag, attrib):
        local = tag[tag.rfind("}") + 1 :]
        if local == "c":
            reference = attrib.get("r")
            if reference is None:
                self.column += 1
            else:
                self.column = census.column_index(reference) or self.column + 1
            self.cell = (attrib.get("t", "n"), attrib.get("s"))
            self.value, self.inline = None, None
        elif local == "v" and self.cell is not None:
            self.text = []
        elif local == "is" and self.cell is not None:
            self.inline = []
        elif local == "t" and self.inline is not None and not self.phonetic:
            self.text = self.inline
        elif local == "rPh":
            self.phonetic += 1
        elif local == "row":
            number = attrib.get("r")
            self.row = int(number) if number is not None else self.row + 1
            self.current = [None] * self.width
            self.column = 0

    def end(self, tag):
        local = tag[tag.rfind("}") + 1 :]
        if local == "v" and self.text is not None:
            self.value = "".join(self.text)
            self.text = None
        elif local == "t":
            self.text = None
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "c" and self.cell is not None:
            if 1 <= self.column <= self.width and self.current is not None:
                self.current[self.column - 1] = self._value()
            self.cell = None
        elif local == "row" and self.current is not None:
            self.rows.append((self.row, self.current))
            self.current = None

    def data(self, text):
        if self.text is not None:
            self.text.append(text)

    def _value(self):
        kind, style = self.cell
        if kind == "inlineStr":
            return None if self.inline is None else "".join(self.inline)
        value = self.value or None
        if value is None:
            return None
        if kind == "n":
            value = float(value) if "." in value or "e" in value.lower() else int(value)
            if style is not None and _int(style) in self.book.dates:
                try:
                    duration = _int(style) in self.book.durations
                    return from_excel(value, self.book.epoch, timedelta=duration)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return value
        if kind == "s":
            return self.book.strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)
        return value  # "str" (a formula's text), "e" (an error's text)

    def result(self, max_row):
        """openpyxl's order: rows up to ``max_row``, the missing ones empty, a number seen
        again (or going back) skipped."""
        empty = (None,) * self.width
        out, counter = [], 1
        for number, values in self.rows:
            if number > max_row:
                break
            while counter < number:
                out.append(empty)
                counter += 1
            if counter == number:
                out.append(tuple(values))
                counter += 1
        while counter <= max_row:
            out.append(empty)
            counter += 1
        return out
