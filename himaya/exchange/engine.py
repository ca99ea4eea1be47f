"""The import engine: all-or-nothing, idempotent (QUALITY R2).

``run(sheets, kinds, ...)`` reads every row of every sheet, then writes the records kind by kind
(in the order of ``kinds``, parents first) through the kinds' writers, inside ONE database
transaction:

- any error (a header, a cell, a reference, or a refusal by an action) is reported with its
  sheet, row and column, and the whole transaction is rolled back: nothing is written;
- a dry run is the same run, always rolled back: it checks the rows with the very actions a
  commit would use, so a dry run that passes is a commit that passes (unless the database
  changed in between);
- a row carries the register's own reference (``ref``); a record already imported with that
  reference by the organisation is found again: identical → "unchanged", different → updated
  through the app's update action (and counted "updated"). A re-run of the same file therefore
  creates nothing and changes nothing.

Rows refer to one another by reference (a charge names its prosecution's ``ref``): the
reference is looked up among the rows of the file first, then among the organisation's records.
"""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from himaya.core import hooks
from himaya.core.errors import Conflict

from .schema import IGNORED_SHEETS
from .values import is_blank, normalise

logger = logging.getLogger(__name__)


@dataclass
class RowError:
    sheet: str
    row: int  # 1 is the header row; 0 the file itself
    column: str
    message: str

    def as_dict(self):
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class RowNotice:
    """A record of the row may be a person already recorded (linkage candidates): the ids of
    those the importer saw, checked again against each reader when shown, and whether one is
    held elsewhere (its existence only)."""

    sheet: str
    row: int
    subject: str
    visible: list
    hidden: bool

    def as_dict(self):
        return {
            "sheet": self.sheet,
            "row": self.row,
            "subject": self.subject,
            "visible": self.visible,
            "hidden": self.hidden,
        }


@dataclass
class Row:
    kind: object
    sheet: str
    number: int
    values: dict
    ref: str = ""
    failed: bool = False


@dataclass
class Result:
    committed: bool = False
    errors: list = field(default_factory=list)
    counts: dict = field(
        default_factory=dict
    )  # kind → {"created": n, "updated": n, "unchanged": n}
    rows: int = 0
    kinds: list = field(default_factory=list)
    notices: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def total(self, what):
        return sum(c.get(what, 0) for c in self.counts.values())


@dataclass
class Context:
    """What writers get: who imports, for which organisation, and the records found so far."""

    user: object
    organisation: object
    objects: dict = field(default_factory=dict)  # (kind key, ref) → record
    cache: dict = field(default_factory=dict)
    row: object = None  # the row being written
    notices: list = field(default_factory=list)

    def possible_duplicate(self, subject, values, obj):
        """Look for records that may be the one just created from the row (core.hooks →
        linkage), and note them on the row."""
        found = hooks.call(f"{subject}_candidates", self.user, values, exclude=[obj.pk])
        if found:
            self.notices.append(
                RowNotice(
                    self.row.sheet,
                    self.row.number,
                    subject,
                    [c.pk for c in found.visible],
                    found.hidden_match,
                )
            )

    def resolve(self, kinds_by_key, kind_key, ref):
        key = (kind_key, ref)
        if self.objects.get(key) is None:
            writer = kinds_by_key[kind_key].writer
            self.objects[key] = getattr(writer, "lookup", writer.find)(self, ref)
        return self.objects[key]


class _Rollback(Exception):
    pass


def _error_messages(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            for error in errors:
                yield key, " ".join(error.messages)
    else:
        for message in exc.messages:
            yield NON_FIELD_ERRORS, message


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


def parse_sheet(kind, sheet, cache):
    """Typed rows of one sheet, and the errors of its headers and cells."""
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
    for column in kind.columns:
        if column.required and column.key not in found:
            errors.append(
                RowError(sheet.name, 1, column.key, _("This required column is missing."))
            )
    if errors:
        return [], errors
    rows, refs = [], {}
    for number, cells in sheet.rows:
        values, failed = {}, False
        for i, column in enumerate(columns):
            if column is None:
                continue
            raw = cells[i] if i < len(cells) else None
            if is_blank(raw):
                values[column.key] = [] if column.many else None
                continue
            try:
                values[column.key] = column.parse(raw, cache)
            except ValueError as exc:
                errors.append(RowError(sheet.name, number, column.key, str(exc)))
                failed = True
        reported = {e.column for e in errors if e.row == number}
        for column in kind.columns:
            missing = column.required and is_blank(values.get(column.key))
            if missing and column.key in found and column.key not in reported:
                errors.append(
                    RowError(sheet.name, number, column.key, _("This value is required."))
                )
                failed = True
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
        rows.append(Row(kind, sheet.name, number, values, ref, failed))
    return rows, errors


def _write_row(ctx, row, kinds_by_key, result):
    kind = row.kind
    values = dict(row.values)
    # References to other rows or to records imported before.
    for column in kind.columns:
        if column.type != "ref" or is_blank(values.get(column.key)):
            continue
        refs = values[column.key] if column.many else [values[column.key]]
        targets = []
        for ref in refs:
            target = ctx.resolve(kinds_by_key, column.ref, ref)
            if target is None:
                failed_parent = any(
                    r.kind.key == column.ref and r.ref == ref for r in ctx.cache["_failed"]
                )
                message = (
                    _("The row with reference “%(ref)s” has errors.")
                    if failed_parent
                    else _("No %(kind)s with reference “%(ref)s” in the file or imported before.")
                ) % {"ref": str(ref)[:60], "kind": str(kinds_by_key[column.ref].label).lower()}
                return [RowError(row.sheet, row.number, column.key, message)]
            targets.append(target)
        values[column.key] = targets if column.many else targets[0]
    writer = kind.writer
    ctx.row = row
    try:
        with transaction.atomic():
            existing = writer.find(ctx, row.ref)
            if existing is None:
                obj = writer.create(ctx, values)
                status = "created"
            else:
                changes = writer.changes(ctx, existing, values)
                if changes:
                    obj = writer.update(ctx, existing, values, changes)
                    status = "updated"
                else:
                    obj, status = existing, "unchanged"
    except ValidationError as exc:
        return [
            RowError(row.sheet, row.number, kind.column_for_error(key), message)
            for key, message in _error_messages(exc)
        ]
    except Conflict:
        return [
            RowError(
                row.sheet,
                row.number,
                "",
                _("Someone changed this record while the file was imported; import it again."),
            )
        ]
    except PermissionDenied as exc:
        message = str(exc) or _("You may not write this record for your organisation.")
        return [RowError(row.sheet, row.number, "", message)]
    except DatabaseError:
        logger.exception("import: database error on a row")
        return [RowError(row.sheet, row.number, "", _("The database refused this row."))]
    except Exception:
        # A fault of ours, not of the file: logged for the team, reported on the row, and the
        # whole file is rolled back like for any other error.
        logger.exception("import: unexpected error on a row")
        return [
            RowError(
                row.sheet, row.number, "", _("This row could not be imported (an internal error).")
            )
        ]
    ctx.objects[(kind.key, row.ref)] = obj
    counts = result.counts.setdefault(kind.key, {"created": 0, "updated": 0, "unchanged": 0})
    counts[status] += 1
    return []


def run(
    sheets,
    kinds,
    *,
    user,
    organisation,
    commit=False,
    default_kind=None,
    on_row=None,
    on_success=None,
):
    """Import ``sheets`` (reading.Sheet) as records of ``kinds`` for ``organisation``.

    Writes only when ``commit`` is true and no row has an error. ``on_row(row)`` is called after
    each row (progress; tests slow it down), ``on_success(result)`` inside the transaction
    after a successful commit (to record the run with the records)."""
    result = Result()
    pairs, errors = map_sheets(sheets, kinds, default_kind)
    result.errors.extend(errors)
    ctx = Context(user=user, organisation=organisation)
    ctx.cache["_failed"] = []
    rows_by_kind = {}
    for kind, sheet in pairs:
        rows, errors = parse_sheet(kind, sheet, ctx.cache)
        result.errors.extend(errors)
        rows_by_kind[kind.key] = rows
        result.rows += len(sheet.rows)
    result.kinds = [k.key for k in kinds if k.key in rows_by_kind]
    if not result.rows and not result.errors:
        result.errors.append(RowError("", 0, "", _("The file holds no records.")))
    kinds_by_key = {k.key: k for k in kinds}
    # Rows that failed to parse are not written, but references to them say so.
    for rows in rows_by_kind.values():
        ctx.cache["_failed"].extend(r for r in rows if r.failed)
    try:
        with transaction.atomic():
            ordered = [
                (kind.stage(row.values) if kind.stage and not row.failed else 0, i, row)
                for i, kind in enumerate(kinds)
                for row in rows_by_kind.get(kind.key, [])
            ]
            ordered.sort(key=lambda item: (item[0], item[1], item[2].number))
            for _stage, _i, row in ordered:
                if row.failed:
                    continue
                errors = _write_row(ctx, row, kinds_by_key, result)
                if errors:
                    row.failed = True
                    ctx.cache["_failed"].append(row)
                    result.errors.extend(errors)
                if on_row is not None:
                    on_row(row)
            if not commit or result.errors:
                raise _Rollback
            if on_success is not None:
                on_success(result)
            result.committed = True
    except _Rollback:
        pass
    # In the order of the file's sheets, then of the rows.
    order = {sheet.name: i for i, sheet in enumerate(sheets)}
    result.errors.sort(key=lambda e: (order.get(e.sheet, -1), e.row))
    failed = {(r.sheet, r.number) for r in ctx.cache["_failed"]}
    result.notices = sorted(
        (n for n in ctx.notices if (n.sheet, n.row) not in failed),
        key=lambda n: (order.get(n.sheet, -1), n.row),
    )
    return result
