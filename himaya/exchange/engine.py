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
A row that fails only because a row it names failed is not reported on its own: the error of
the row at the root is, with the number of rows that depend on it.

Warnings: an order of dates that real registers do record though it looks wrong (an arrest in
flagrante before the investigation's recorded opening) is not an error: the dry run lists it
(``Result.warnings``) and the clerk confirms the whole file's warnings before the commit. A
commit refuses a warning that was not confirmed (``confirmed``: the keys the dry run listed, or
``True`` for all), so a file changed in between cannot slip a new one through.
"""

import contextlib
import logging
from dataclasses import asdict, dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import hooks
from himaya.core.errors import Conflict
from himaya.core.registers.values import is_blank

from .rows import RowError, map_sheets, parse_sheet

logger = logging.getLogger(__name__)


@dataclass
class RowWarning:
    """A value accepted though it looks wrong: confirmed by the clerk for the whole file."""

    sheet: str
    row: int
    column: str
    message: str

    @property
    def key(self):
        return (self.sheet, self.row, self.column)

    def as_dict(self):
        return asdict(self)


def warning_key(item):
    """The key of a warning or of its dict (what a confirmation names)."""
    if isinstance(item, dict):
        return (item["sheet"], item["row"], item["column"])
    return item.key


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
        return asdict(self)


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
    warnings: list = field(default_factory=list)

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
    warnings: list = field(default_factory=list)
    failed: dict = field(default_factory=dict)  # (kind key, ref) → the Row that failed
    found: dict = field(default_factory=dict)  # writer → Prefetched (its records of the file)
    deferred: object = None  # _Deferred: the audit rows and linkage searches not yet written
    # What the writers remember between the rows of this run, in its one transaction (theirs
    # to fill, see ``_writing``; the justice writers' run.Memo): gone with the run.
    memo: dict = field(default_factory=dict)

    def warn(self, key, message):
        """A value of the row that looks wrong but may be right (writers pass it to the
        actions as ``warn``): listed for the clerk to confirm, not refused."""
        row = self.row
        self.warnings.append(
            RowWarning(row.sheet, row.number, row.kind.column_for_error(key), str(message))
        )

    def possible_duplicate(self, subject, values, obj):
        """Look for records that may be the one just created from the row (core.hooks →
        linkage), and note them on the row: for a chunk of rows at once when the linkage holds
        the rows' searches (_Deferred)."""
        sheet, number = self.row.sheet, self.row.number

        def note(found):
            if found:
                visible = [c.pk for c in found.visible]
                self.notices.append(RowNotice(sheet, number, subject, visible, found.hidden_match))

        linkage = self.deferred.linkage if self.deferred is not None else None
        if linkage is None:
            note(hooks.call(f"{subject}_candidates", self.user, values, exclude=[obj.pk]))
        else:
            linkage.search(self.user, subject, values, exclude=[obj.pk], done=note)

    def flush(self):
        """Write what the rows so far hold (before a row changes a record written before)."""
        if self.deferred is not None:
            self.deferred.flush()

    def resolve(self, kinds_by_key, kind_key, ref):
        key = (kind_key, ref)
        if self.objects.get(key) is None:
            writer = kinds_by_key[kind_key].writer
            self.objects[key] = getattr(writer, "lookup", writer.find)(self, ref)
        return self.objects[key]


@dataclass
class Prefetched:
    """The records a writer found, in one go, for the references of the file: ``refs`` were
    looked for, ``records`` maps those found to their record (writers' ``find`` reads it)."""

    refs: set
    records: dict


def _wanted(kinds_by_key, rows_by_kind):
    """The references the file's rows may name, by kind: their own, and the values of their
    reference columns."""
    wanted = {}
    for key, rows in rows_by_kind.items():
        kind = kinds_by_key[key]
        wanted.setdefault(key, set()).update(r.ref for r in rows if r.ref and not r.failed)
        for column in kind.ref_columns:
            target = wanted.setdefault(column.ref, set())
            for r in rows:
                value = r.values.get(column.key)
                if not is_blank(value):
                    target.update(value if column.many else [value])
    return wanted


def _needs(row):
    """The kinds whose records writing ``row`` reads: its own, and those it names."""
    return {row.kind.key, *(column.ref for column in row.kind.ref_columns)}


class _Held:
    """The records of the file's references, kind by kind, held only while rows need them:
    a kind's are found in one go (its writer's ``prefetch``, instead of one query per row and
    reference) before the first row that reads them, and let go after the last one, with the
    records its rows wrote (``Context.objects``), so that a file's records are never all in
    memory at once (a re-run of 20,000 rows held 386 MB, benchmarks/registers.py)."""

    def __init__(self, ctx, kinds_by_key, rows_by_kind, ordered):
        self.ctx, self.kinds_by_key = ctx, kinds_by_key
        self.wanted = _wanted(kinds_by_key, rows_by_kind)
        self.held = set()
        self.last = {}  # kind key → index in ``ordered`` of the last row that reads it
        for index, (_stage, _i, row) in enumerate(ordered):
            for key in _needs(row):
                self.last[key] = index

    def take(self, row):
        for key in _needs(row) - self.held:
            self.held.add(key)
            kind = self.kinds_by_key.get(key)
            prefetch = getattr(kind.writer, "prefetch", None) if kind is not None else None
            refs = self.wanted.get(key)
            if prefetch is not None and refs:
                self.ctx.found[kind.writer] = Prefetched(refs, prefetch(self.ctx, refs))

    def release(self, index):
        for key in [k for k in self.held if self.last.get(k) == index]:
            kind = self.kinds_by_key.get(key)
            if kind is not None:
                self.ctx.found.pop(kind.writer, None)
            for name in [n for n in self.ctx.objects if n[0] == key]:
                del self.ctx.objects[name]


# Rows whose audit rows and linkage searches are held before being written together.
CHUNK = 500


class _Deferred:
    """The audit rows (audit.log.Buffer) and the linkage's keys and searches (the linkage's
    entry session, when installed) of the rows written since the last ``flush``: written a
    chunk at a time, in bulk, instead of a few statements a row. What a refused row held is
    dropped with it (``mark`` / ``discard``). Flushed at each change of kind and before a row
    changes a record written before (Context.flush), so that each search reads the records
    as its row saw them (linkage.entry_batch)."""

    def __init__(self, audit, linkage):
        self.audit, self.linkage = audit, linkage
        self.rows = 0
        self.kind = None

    def mark(self):
        return self.audit.mark(), self.linkage.mark() if self.linkage is not None else 0

    def discard(self, mark):
        self.audit.discard(mark[0])
        if self.linkage is not None:
            self.linkage.discard(mark[1])

    def before(self, row):
        if row.kind.key != self.kind or self.rows >= CHUNK:
            self.flush()
        self.kind = row.kind.key
        self.rows += 1

    def held(self):
        linkage = self.linkage.pending() if self.linkage is not None else 0
        return bool(self.audit.pending() or linkage)

    def flush(self):
        self.rows = 0
        if not self.held():
            return
        # In a savepoint: a failure (ours, or the database's) leaves the transaction usable,
        # and the file is refused (_HeldFailed) rather than the page failing.
        try:
            with transaction.atomic():
                # The linkage first: its searches audit the candidates a person's row was shown.
                if self.linkage is not None:
                    self.linkage.flush()
                self.audit.flush()
        except Exception as exc:
            logger.exception("import: the rows' audit rows and linkage could not be written")
            raise _HeldFailed from exc


@contextlib.contextmanager
def _deferring(ctx):
    # The rows' notices keep only which records may be the same: no description for a page.
    linkage = hooks.call("entry_session", describe=False) or contextlib.nullcontext()
    with log.buffered() as audit, linkage as entries:
        ctx.deferred = _Deferred(audit, entries)
        try:
            yield ctx.deferred
        finally:
            ctx.deferred = None


class _Rollback(Exception):
    pass


class _HeldFailed(Exception):
    """What the rows held could not be written (_Deferred.flush): the file is refused."""


def _error_messages(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            for error in errors:
                yield key, " ".join(error.messages)
    else:
        for message in exc.messages:
            yield NON_FIELD_ERRORS, message


def _explain_missing(ctx, kinds_by_key, row, column, ref):
    """The error of a reference that names no record: what is missing and, when the writer
    can tell, who holds a record of that reference the importer does not see."""
    kind = kinds_by_key[column.ref]
    explain = getattr(kind.writer, "missing", None)
    message = explain(ctx, ref) if explain is not None else None
    if message is None:
        message = _("No %(kind)s with reference “%(ref)s” in the file or imported before.") % {
            "ref": str(ref)[:60],
            "kind": str(kind.label).lower(),
        }
    return RowError(row.sheet, row.number, column.key, message)


def _resolve_refs(ctx, row, kinds_by_key, values):
    """Replace the row's references by their records, in ``values``. A reference to a row of
    the file that failed makes this row its dependant; one that names nothing is this row's
    own error. Returns (the errors, the failed row it depends on or None)."""
    missing, parent = [], None
    for column in row.kind.ref_columns:
        if is_blank(values.get(column.key)):
            continue
        refs = values[column.key] if column.many else [values[column.key]]
        targets = []
        for ref in refs:
            # The file's own row comes first: a failed one is not replaced by a record of the
            # same reference found elsewhere.
            failed = ctx.failed.get((column.ref, ref))
            target = None if failed else ctx.resolve(kinds_by_key, column.ref, ref)
            if failed is not None:
                parent = parent or failed
            elif target is None:
                missing.append(_explain_missing(ctx, kinds_by_key, row, column, ref))
            targets.append(target)
        values[column.key] = targets if column.many else targets[0]
    return missing, parent


def _savepoint(writer, values, creating):
    """A savepoint undoes what a refused row wrote, so that the rows after it are checked
    against the records as they would be. A row written by one action has the action's own
    (``single_action``; ``single_create(values)`` when that depends on the row's values), and
    a row found unchanged writes nothing: neither needs one of the engine's (two queries)."""
    single = getattr(writer, "single_action", False)
    if creating and not single and hasattr(writer, "single_create"):
        single = writer.single_create(values)
    return contextlib.nullcontext() if single else transaction.atomic()


def _writing(writer, ctx):
    """The writer's scope around a row's writes (``writing(ctx)``, optional): what it
    remembers for the next rows (``Context.memo``) is forgotten when the row fails, the
    savepoint around it rolled back first."""
    writing = getattr(writer, "writing", None)
    return writing(ctx) if writing is not None else contextlib.nullcontext()


def _write(ctx, row, values):
    """Create the row's record, or update it when the file's reference names one imported
    before and the row differs. Returns (record, status)."""
    writer = row.kind.writer
    existing = writer.find(ctx, row.ref)  # reads only, like ``changes``
    if existing is None:
        with _writing(writer, ctx), _savepoint(writer, values, creating=True):
            return writer.create(ctx, values), "created"
    changes = writer.changes(ctx, existing, values)
    if not changes:
        return existing, "unchanged"
    ctx.flush()
    with _writing(writer, ctx), _savepoint(writer, values, creating=False):
        return writer.update(ctx, existing, values, changes), "updated"


def _refusal(row, exc):
    """The row errors of what a writer raised."""
    if isinstance(exc, ValidationError):
        return [
            RowError(row.sheet, row.number, row.kind.column_for_error(key), message)
            for key, message in _error_messages(exc)
        ]
    if isinstance(exc, Conflict):
        message = _("Someone changed this record while the file was imported; import it again.")
    elif isinstance(exc, PermissionDenied):
        message = str(exc) or _("You may not write this record for your organisation.")
    elif isinstance(exc, DatabaseError):
        logger.exception("import: database error on a row")
        message = _("The database refused this row.")
    else:
        # A fault of ours, not of the file: logged for the team, reported on the row, and the
        # whole file is rolled back like for any other error.
        logger.exception("import: unexpected error on a row")
        message = _("This row could not be imported (an internal error).")
    return [RowError(row.sheet, row.number, "", message)]


def _write_row(ctx, row, kinds_by_key, result):
    values = dict(row.values)
    missing, parent = _resolve_refs(ctx, row, kinds_by_key, values)
    if missing:
        return missing
    if parent is not None:
        row.cause = parent.cause
        if row.cause is not None:
            row.cause.dependants += 1
        return []
    ctx.row = row
    try:
        obj, status = _write(ctx, row, values)
    except Exception as exc:  # every refusal and fault becomes the row's error (_refusal)
        return _refusal(row, exc)
    ctx.objects[(row.kind.key, row.ref)] = obj
    counts = result.counts.setdefault(row.kind.key, {"created": 0, "updated": 0, "unchanged": 0})
    counts[status] += 1
    return []


def _unconfirmed(warnings, confirmed):
    """Errors for the warnings a commit found that the clerk did not confirm."""
    if confirmed is True:
        return []
    keys = {tuple(k) if isinstance(k, list | tuple) else warning_key(k) for k in confirmed or ()}
    return [
        RowError(
            w.sheet,
            w.row,
            w.column,
            _("%(warning)s This was not confirmed when the file was checked: check it again.")
            % {"warning": w.message},
        )
        for w in warnings
        if w.key not in keys
    ]


def _write_rows(ctx, kinds, kinds_by_key, rows_by_kind, result, on_row):
    """Write the rows by stage, then in the order of the kinds and of the rows; returns the
    rows that failed (their errors are in ``result``)."""
    failed = []
    ordered = [
        (kind.stage(row.values) if kind.stage and not row.failed else 0, i, row)
        for i, kind in enumerate(kinds)
        for row in rows_by_kind.get(kind.key, [])
    ]
    ordered.sort(key=lambda item: (item[0], item[1], item[2].number))
    held = _Held(ctx, kinds_by_key, rows_by_kind, ordered)
    with _deferring(ctx) as deferred:
        for index, (_stage, _i, row) in enumerate(ordered):
            if row.failed:
                failed.append(row)
                held.release(index)
                continue
            held.take(row)
            deferred.before(row)
            mark = deferred.mark()
            errors = _write_row(ctx, row, kinds_by_key, result)
            held.release(index)
            if errors:
                deferred.discard(mark)
            _after_row(ctx, row, errors, failed, result, on_row)
        deferred.flush()
    return failed


def _after_row(ctx, row, errors, failed, result, on_row):
    if errors or row.cause is not None:
        row.failed = True
        row.cause = row.cause or errors[0]
        if row.ref:
            ctx.failed[(row.kind.key, row.ref)] = row
        failed.append(row)
        result.errors.extend(errors)
    if on_row is not None:
        on_row(row)


def _sort(result, sheets, ctx, failed):
    """Errors, warnings and notices in the order of the file's sheets, then of the rows; no
    notice about a row that failed."""
    order = {sheet.name: i for i, sheet in enumerate(sheets)}
    result.errors.sort(key=lambda e: (order.get(e.sheet, -1), e.row))
    result.warnings.sort(key=lambda w: (order.get(w.sheet, -1), w.row))
    failed = {(r.sheet, r.number) for r in failed}
    result.notices = sorted(
        (n for n in ctx.notices if (n.sheet, n.row) not in failed),
        key=lambda n: (order.get(n.sheet, -1), n.row),
    )


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
    confirmed=None,
):
    """Import ``sheets`` (reading.Sheet) as records of ``kinds`` for ``organisation``.

    Writes only when ``commit`` is true, no row has an error and every warning is among
    ``confirmed`` (the keys of the warnings the clerk confirmed, or ``True``). ``on_row(row)``
    is called after each row (progress; tests slow it down), ``on_success(result)`` inside the
    transaction after a successful commit (to record the run with the records)."""
    result = Result()
    pairs, errors = map_sheets(sheets, kinds, default_kind)
    result.errors.extend(errors)
    ctx = Context(user=user, organisation=organisation)
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
    # Rows that failed to parse are not written, but the rows naming them depend on them.
    for key, rows in rows_by_kind.items():
        ctx.failed.update(((key, r.ref), r) for r in rows if r.failed and r.ref)
    failed = []
    try:
        with transaction.atomic():
            failed = _write_rows(ctx, kinds, kinds_by_key, rows_by_kind, result, on_row)
            skipped = {(r.sheet, r.number) for r in failed}
            result.warnings = [w for w in ctx.warnings if (w.sheet, w.row) not in skipped]
            if commit and not result.errors:
                result.errors.extend(_unconfirmed(result.warnings, confirmed))
            if not commit or result.errors:
                raise _Rollback
            if on_success is not None:
                on_success(result)
            result.committed = True
    except _Rollback:
        pass
    except _HeldFailed:
        message = _("This file could not be imported (an internal error); nothing was written.")
        result.errors.append(RowError("", 0, "", message))
        result.committed = False
    _sort(result, sheets, ctx, failed)
    return result
