"""Handing an import run to the background worker (a file of more than
``services.inline_rows()`` rows): the run recorded and its task queued in one transaction, so
the worker never sees a run that was not saved, nor a saved run without its task. What the
worker then does is in worker.py; the page shows the progress (views/registers.py)."""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from himaya.audit import log

from . import extracts, pending, reading, services, tasks
from .models import Extract, ImportRun


def receive_upload(
    data,
    name,
    *,
    user,
    organisation,
    kind=None,
    register=services.JUSTICE,
    requested_kind=None,
    context=None,
):
    """An upload from the import page: checked here and now when it holds up to
    ``services.inline_rows()`` rows, else handed to the background worker (the run's page
    shows the progress). Returns the run. A file that is not a register raises
    reading.FileRefused at once, in either case. ``requested_kind`` and ``context``: as
    ``services.check_upload`` takes them (an HTCDS file's run)."""
    fmt, sheets = reading.read(data, name)
    rows = sum(len(sheet.rows) for sheet in sheets)
    extra = {"kind": kind, "register": register, "requested_kind": requested_kind}
    if rows <= services.inline_rows():
        return services.check_upload(
            data, name, user=user, organisation=organisation, context=context, **extra
        )[0]
    return queue_check(
        data,
        name,
        user=user,
        organisation=organisation,
        fmt=fmt,
        rows=rows,
        context=context,
        **extra,
    )


def queue_check(
    data,
    name,
    *,
    user,
    organisation,
    register,
    fmt,
    rows,
    kind=None,
    requested_kind=None,
    context=None,
):
    """Record a run "being checked" of ``rows`` rows (the file read already, in format ``fmt``)
    and queue its dry run for the worker. ``requested_kind`` overrides the register's own (an
    HTCDS file's run); ``context``, a JSON object the worker reads back beside the file
    (pending.load_context), is what the page's dry run would have known of the upload (the
    HTCDS reader's errors). Returns the run."""
    pending.purge_expired()
    run = services.new_run(
        data, name, user=user, organisation=organisation, kind=kind, register=register, fmt=fmt
    )
    if requested_kind is not None:
        run.requested_kind = requested_kind
    run.rows = rows
    run.status = ImportRun.Status.CHECKING
    run.token = pending.store_pending(data)
    if context is not None:
        pending.store_context(run.token, context)
    run.queued_at = timezone.now()
    with transaction.atomic():
        run.save()
        log.write(user, "queue_import", run, ["status"], organisation_id=organisation.pk)
        # The queue is a table of the same database: the task is queued with the run, or not.
        tasks.check_run_task.enqueue(run.pk)
    return run


def queue_commit(run, *, user, confirm_warnings=False):
    """Hand a checked run to the worker for its commit (a file of more than
    ``services.inline_rows()`` rows). Claimed here, so a second click or tab queues nothing:
    raises FileNotFoundError when the run is no longer waiting for its commit, and
    services.NotConfirmed as ``services.commit_run`` does."""
    services.check_confirmed(run, confirm_warnings)
    with transaction.atomic():
        claimed = (
            ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.CHECKED)
            .exclude(token="")
            .update(
                status=ImportRun.Status.IMPORTING,
                queued_at=timezone.now(),
                warnings_confirmed=bool(run.warning_count),
            )
        )
        if not claimed:
            raise FileNotFoundError(_("This file cannot be imported any more: upload it again."))
        pending.reset_progress(run.token)
        log.write(user, "queue_import", run, ["status"], organisation_id=run.organisation_id)
        tasks.commit_run_task.enqueue(run.pk)
    run.refresh_from_db()
    return run


def queue_extract(user, kind, organisation_id):
    """Record an analyst's request for a de-identified extract and queue its build, in one
    transaction, with its audit row (as the download built while the page waits has). Returns
    the Extract."""
    with transaction.atomic():
        extract = Extract.objects.create(
            owner=user,
            organisation_id=organisation_id,
            kind=kind,
            status=Extract.Status.QUEUED,
            language=translation.get_language() or "",
        )
        extracts.audit(user, kind, organisation_id)
        tasks.build_extract_task.enqueue(extract.pk)
    return extract
