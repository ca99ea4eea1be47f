"""A file's sheets as typed rows, before anything is written (the engine's first step): which
kind of records each sheet holds (``map_sheets``), its header row matched to the kind's columns,
and each row's cells parsed by their column (``parse_sheet``), every problem reported as a
``RowError`` naming the sheet, row and column."""

from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from himaya.core.registers.schema import IGNORED_SHEETS
from himaya.core.registers.values import is_blank, normalise


@dataclass
class RowError:
    sheet: str
    row: int  # 1 is the header row; 0 the file itself
    column: str
    message: str
    dependants: int = 0  # rows that failed only because of this one (not reported each)

    def as_dict(self):
        return asdict(self)


@dataclass
class Row:
    kind: object
    sheet: str
    number: int
    values: dict
    ref: str = ""
    failed: bool = False
    cause: object = None  # the RowError at the root of the row's failure


def map_sheets(sheets, kinds, default_kind=None):
    """Pair each sheet with its kind. Returns ``([(kind, sheet)], [RowError])``."""
    errors, pairs, seen = [], [], {}
    by_name = {}
    for kind in kinds:
        for name in kind.names():
            by_name[name] = kind
    for sheet in sheets:
        key = normalise(sheet.name)
        kind = by_name.get(key)
        if kind is None and default_kind is not None and len(sheets) == 1:
            kind = default_kind
        if kind is None:
            # A CSV named "suspects-2024.csv": the kind's name at the start of the file name.
            kind = next(
                (by_name[n] for n in sorted(by_name, key=len, reverse=True) if key.startswith(n)),
                None,
            )
        if kind is None:
            if key in IGNORED_SHEETS or not sheet.rows:
                continue
            errors.append(
                RowError(
                    sheet.name,
                    0,
                    "",
                    _("Unknown sheet “%(name)s”: name it after the kind of records it holds.")
                    % {"name": sheet.name[:60]},
                )
            )
            continue
        if kind.key in seen:
            errors.append(
                RowError(sheet.name, 0, "", _("Two sheets hold the same kind of records."))
            )
            continue
        seen[kind.key] = sheet
        pairs.append((kind, sheet))
    if not pairs and not errors:
        errors.append(RowError("", 0, "", _("The file holds no records.")))
    return pairs, errors


def _map_headers(kind, sheet):
    """The column of each header of ``sheet`` (None where unknown or repeated), the errors of
    the header row, and the first missing required column's error (None if none is)."""
    errors = []
    columns = [None] * len(sheet.headers)
    by_header = {}
    for column in kind.columns:
        for h in column.headers():
            by_header[h] = column
    found = set()
    for i, header in enumerate(sheet.headers):
        column = by_header.get(normalise(header))
        if column is None:
            if not is_blank(header):
                errors.append(RowError(sheet.name, 1, str(header)[:60], _("Unknown column.")))
            continue
        if column.key in found:
            errors.append(
                RowError(sheet.name, 1, str(header)[:60], _("This column appears twice."))
            )
            continue
        found.add(column.key)
        columns[i] = column
    missing = None
    for column in kind.columns:
        if column.required and column.key not in found:
            error = RowError(sheet.name, 1, column.key, _("This required column is missing."))
            errors.append(error)
            missing = missing or error
    return columns, found, errors, missing


def _parse_cells(sheet, number, cells, present, required, cache, errors):
    """The typed values of one row; its errors are appended to ``errors``. Returns (values,
    failed)."""
    values, failed, reported = {}, False, set()
    for i, column in present:
        raw = cells[i] if i < len(cells) else None
        if is_blank(raw):
            values[column.key] = [] if column.many else None
            continue
        try:
            values[column.key] = column.parse(raw, cache)
        except ValueError as exc:
            errors.append(RowError(sheet.name, number, column.key, str(exc)))
            reported.add(column.key)
            failed = True
    for column in required:
        if column.key not in reported and is_blank(values.get(column.key)):
            errors.append(RowError(sheet.name, number, column.key, _("This value is required.")))
            failed = True
    return values, failed


def parse_sheet(kind, sheet, cache):
    """Typed rows of one sheet, and the errors of its headers and cells.

    A sheet with header problems still has its cells checked, so that one upload reports every
    sheet's problems; when a required column is missing its rows are not written (they fail
    with the missing column as their cause)."""
    columns, found, errors, missing = _map_headers(kind, sheet)
    present = [(i, column) for i, column in enumerate(columns) if column is not None]
    required = [c for c in kind.columns if c.required and c.key in found]
    rows, refs = [], {}
    for number, cells in sheet.rows:
        first = len(errors)  # this row's errors start here
        values, failed = _parse_cells(sheet, number, cells, present, required, cache, errors)
        ref = values.get(kind.ref_column) or ""
        if ref:
            if ref in refs:
                errors.append(
                    RowError(
                        sheet.name,
                        number,
                        kind.ref_column,
                        _("This reference is already used on row %(row)s.") % {"row": refs[ref]},
                    )
                )
                failed = True
            refs[ref] = number
        row = Row(kind, sheet.name, number, values, ref, failed)
        if failed:
            row.cause = errors[first]
        elif missing is not None:
            row.failed, row.cause = True, missing
            missing.dependants += 1
        rows.append(row)
    return rows, errors
