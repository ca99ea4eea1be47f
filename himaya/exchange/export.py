"""Workbooks out: the blank templates (one XLSX workbook, one CSV per kind) and the export of
the justice records a user sees, in the very format the import reads (a round trip: export,
import elsewhere, the same records).

An exported record keeps its register reference, or gets one from Himaya (the investigation's
reference, ``S-12`` for suspect 12…), so that the rows can name one another."""

import csv
import datetime
import io
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from .justice import KINDS

README_SHEET = "README"


def _readme_rows(kinds=None):
    yield [_("Himaya register workbook")]
    yield [
        _(
            "One sheet per kind of records; the first row holds the column names. "
            "Each row has a reference (ref) of your register; rows name one another by it."
        )
    ]
    yield [
        _(
            "Dates: 2024-03-31 or 31/03/2024. Yes/no: yes/no, oui/non, نعم/لا, 1/0. "
            "Lists: the code or the label in Arabic, French or English."
        )
    ]
    yield []
    yield [_("sheet"), _("column"), _("required"), _("meaning"), _("example")]
    for kind in kinds or KINDS:
        for column in kind.columns:
            yield [
                kind.key,
                column.key,
                _("yes") if column.required else "",
                str(column.help),
                column.example,
            ]


def _cell(ws, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Decimal):
        return float(value) if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, str) and value.startswith("="):
        # Text that looks like a formula (a name typed "=HYPERLINK(…)") stays text.
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _workbook(sheets, kinds=None):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    readme = wb.create_sheet(README_SHEET)
    for row in _readme_rows(kinds):
        readme.append(row)
    for kind, rows in sheets:
        ws = wb.create_sheet(kind.key)
        keys = [c.key for c in kind.columns]
        ws.append(keys)
        for row in rows:
            ws.append([_cell(ws, row.get(k)) for k in keys])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def blank_workbook(kinds=None) -> bytes:
    kinds = kinds or KINDS
    with translation.override(translation.get_language() or "en"):
        return _workbook([(kind, []) for kind in kinds], kinds)


def blank_csv(kind) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.key for c in kind.columns])
    example = [c.example for c in kind.columns]
    if any(example):
        writer.writerow(example)
    # A byte-order mark: Excel then opens the file as UTF-8 (Arabic names stay readable).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_rows(user):
    """``[(kind, [row dict])]`` for the justice records the user sees."""
    refs, sheets = {}, []
    for kind in KINDS:
        writer = kind.writer
        produced = (
            writer.export(user) if kind.key == "investigations" else writer.export(user, refs)
        )
        rows = []
        for obj, row in produced:
            refs[(kind.key, obj.pk)] = row["ref"]
            rows.append(row)
        sheets.append((kind, rows))
    return sheets


def workbook_of(sheets) -> bytes:
    return _workbook(sheets)


def export_workbook(user) -> bytes:
    return _workbook(export_rows(user))


def normalised(sheets):
    """Rows as comparable text (dates as ISO, numbers as text), for round-trip comparisons."""

    def text(value):
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, Decimal):
            return str(value.normalize()) if value else "0"
        return str(value)

    return {
        kind.key: [{k: text(v) for k, v in row.items()} for row in rows] for kind, rows in sheets
    }
