"""An HTCDS file through the import pages' own services (exchange/services.py): the reader
turns it into the casework register, which is dry-run with the casework kinds and kept for the
commit, and the run page commits it (``commit_run``) like any casework run. A register of more
than ``services.inline_rows()`` rows is dry-run by the background worker instead, as the
justice registers are (background.py): the page shows its progress. What this module adds: the
HTCDS problems the reader found (unknown picklist values, bad dates) join the engine's in the
run, and every error is named after the HTCDS sheet, its row and its field, not after the
casework sheet it became (errors.py, the same for the worker)."""

from .. import background, services
from . import errors, reader

REQUESTED_KIND = errors.REQUESTED_KIND


def check(data, name, *, user, organisation, opened_on=None):
    """The dry run of an HTCDS upload, recorded as an import run: here and now, or queued for
    the background worker when the register it became is large. Returns ``(run, converted)``;
    raises reading.FileRefused for a file that is not an HTCDS workbook."""
    converted = reader.convert(data, name, opened_on=opened_on)
    run = background.receive_upload(
        converted.workbook(),
        name,
        user=user,
        organisation=organisation,
        register=services.CASEWORK,
        requested_kind=REQUESTED_KIND,
        context=errors.Context.of(converted).as_json(),
    )
    return run, converted
