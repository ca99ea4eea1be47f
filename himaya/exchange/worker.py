"""What the background worker does with an import run handed to it (background.py,
exchange.tasks): the dry run, then the commit when the clerk asks, as the page would have done
them, with the rows done written for the run's page, the messages in the uploader's language,
and the uploader told when each ends."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from . import services
from .htcds import errors as htcds_errors
from .models import ImportRun
from .pending import IN_BACKGROUND, Progress, end_run, load_context, load_pending


def _in_language(run):
    """The run's messages in the language of the user who uploaded it (the worker has no
    request to take it from)."""
    return translation.override(run.language or settings.LANGUAGE_CODE)


def check_queued(run_id):
    """The worker's dry run of a run handed over by ``background.receive_upload``; a run no
    longer waiting for it (discarded, done) is left as it is."""
    run = ImportRun.objects.select_related("user", "organisation").get(pk=run_id)
    if run.status != ImportRun.Status.CHECKING:
        return run
    data = load_pending(run.token)
    if data is None or services.digest(data) != run.digest:
        return _lost(run)
    # An HTCDS file's run needs what the page knew of the upload, kept beside the file.
    context = load_context(run.token)
    if context is None and run.requested_kind == htcds_errors.REQUESTED_KIND:
        return _lost(run)
    register, kind = services.decode_requested(run.requested_kind)
    progress = Progress(run.token)
    with _in_language(run):
        try:
            _fmt, result = services.run_import(
                data,
                run.file_name,
                user=run.user,
                organisation=run.organisation,
                commit=False,
                kind=kind,
                on_row=progress,
                register=register,
            )
        except Exception:
            _lost(run)
            raise
        services.merge_context(run.requested_kind, result, context)
        if services.save_checked(run, result, claim_from=ImportRun.Status.CHECKING):
            services.tell(run, gettext_lazy("The check of the file"), ok=result.ok)
    run.refresh_from_db()
    return run


def _lost(run):
    """A run the worker could not finish (its file gone, an internal error): failed, nothing
    written, the user told, as the purge ends a lost run (``end_run``, with its audit row). A
    run that ended meanwhile (a task run twice) is left as it is."""
    run.refresh_from_db()  # the import may have changed the object before it failed
    if end_run(run, ImportRun.Status.FAILED, "fail_import", only_from=IN_BACKGROUND):
        run.refresh_from_db()
        with _in_language(run):
            services.tell(run, gettext_lazy("The import"), ok=False)
    return run


def commit_queued(run_id):
    """The worker's commit of a run handed over by ``background.queue_commit``."""
    run = ImportRun.objects.select_related("user", "organisation").get(pk=run_id)
    if run.status != ImportRun.Status.IMPORTING:
        return run
    with _in_language(run):
        try:
            services.commit_run(
                run,
                user=run.user,
                on_row=Progress(run.token),
                confirm_warnings=run.warnings_confirmed,
                claim_from=ImportRun.Status.IMPORTING,
            )
        except FileNotFoundError:
            return _lost(run)
        except Exception:
            _lost(run)
            raise
    return run
