"""An HTCDS file through the import pages' own services (exchange/services.py): the reader
turns it into the casework register, which is dry-run with the casework kinds and kept for the
commit, and the run page commits it (``commit_run``) like any casework run. A register of more
than ``services.inline_rows()`` rows is dry-run by the background worker instead, as the
justice registers are (background.py): the page shows its progress. What this module adds: the
HTCDS problems the reader found (unknown picklist values, bad dates) join the engine's in the
run, and every error is named after the HTCDS sheet, its row and its field, not after the
casework sheet it became (errors.py, the same for the worker)."""

from .. import background, pending, services
from . import errors, reader

REQUESTED_KIND = errors.REQUESTED_KIND


def check(data, name, *, user, organisation, opened_on=None):
    """The dry run of an HTCDS upload, recorded as an import run: here and now, or queued for
    the background worker when the register it became is large. Returns ``(run, converted)``;
    raises reading.FileRefused for a file that is not an HTCDS workbook."""
    converted = reader.convert(data, name, opened_on=opened_on)
    register = converted.workbook()
    context = errors.Context.of(converted)
    rows = sum(len(sheet_rows) for sheet_rows in converted.sheets.values())
    if rows > services.inline_rows():
        run = background.queue_check(
            register,
            name,
            user=user,
            organisation=organisation,
            register=services.CASEWORK,
            fmt="xlsx",  # the casework register the file became (Converted.workbook)
            rows=rows,
            requested_kind=REQUESTED_KIND,
            context=context.as_json(),
        )
        return run, converted
    pending.purge_expired()
    fmt, result = services.run_import(
        register,
        name,
        user=user,
        organisation=organisation,
        commit=False,
        register=services.CASEWORK,
    )
    errors.merge(result, context)
    run = services.new_run(
        register,
        name,
        user=user,
        organisation=organisation,
        kind=None,
        register=services.CASEWORK,
        fmt=fmt,
    )
    run.requested_kind = REQUESTED_KIND
    services.save_checked(run, result, data=register)
    return run, converted
