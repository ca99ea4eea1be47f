"""An HTCDS file through the import pages' own services (exchange/services.py): the reader
turns it into the casework register, ``check_upload`` dry-runs that register with the casework
kinds and keeps it for the commit, and the run page commits it (``commit_run``) like any
casework run. What this module adds: the HTCDS problems the reader found (unknown picklist
values, bad dates) join the engine's in the run, and every error is named after the HTCDS sheet,
its row and its field, not after the casework sheet it became."""

from django.db import transaction

from himaya.audit import log

from .. import pending, services
from ..models import ImportRun
from . import fields, reader

# A run of an HTCDS file: a casework run (seen and committed as one) that says where it came from.
REQUESTED_KIND = f"{services.CASEWORK}:htcds"


def _relabel(error, converted):
    """An engine error on the casework sheets, named after the HTCDS sheet and field."""
    columns = fields.CASEWORK_COLUMNS.get(error["sheet"])
    if columns is None:
        return error
    column = columns.get(error["column"], error["column"])
    opened_from = converted.opened_from.get(error["row"], "cas_IncomingReferralDate")
    if error["column"] == "opened_on":
        column = opened_from
    return {**error, "sheet": converted.source, "column": column}


def check(data, name, *, user, organisation, opened_on=None):
    """The dry run of an HTCDS upload, recorded as an import run. Returns ``(run, converted)``;
    raises reading.FileRefused for a file that is not an HTCDS workbook."""
    converted = reader.convert(data, name, opened_on=opened_on)
    run, _result = services.check_upload(
        converted.workbook(),
        name,
        user=user,
        organisation=organisation,
        register=services.CASEWORK,
    )
    errors = [e.as_dict() for e in converted.errors]
    # One message per cell: the reader's, which says what was wrong with the HTCDS value,
    # rather than the engine's "required" for the value it could not carry.
    seen = {(e["row"], e["column"]) for e in errors}
    for error in run.errors or []:
        error = _relabel(error, converted)
        if (error["row"], error["column"]) not in seen:
            errors.append(error)
    # The engine says "the file holds no records" when every row failed here: said already.
    if converted.errors:
        errors = [e for e in errors if e["row"] or e["sheet"] != ""]
    errors.sort(key=lambda e: (e["row"], e["column"]))
    run.requested_kind = REQUESTED_KIND
    run.errors = errors[:500] or None
    run.error_count = len(errors)
    changed = ["requested_kind", "errors", "error_count"]
    if converted.errors and run.status == ImportRun.Status.CHECKED:
        pending.discard_pending(run.token)
        run.token = ""
        run.status = ImportRun.Status.REJECTED
        changed += ["token", "status"]
    with transaction.atomic():
        run.save(update_fields=changed)
        if "status" in changed:
            log.write(user, "check_import", run, ["status"], organisation_id=organisation.pk)
    return run, converted
