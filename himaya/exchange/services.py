"""Running imports for the pages and the command: the uploaded file kept privately between the
dry run and the commit, and every run recorded (ImportRun).

The file waits in a private directory between the dry run and the commit (pending.py).

A file of up to ``HIMAYA_IMPORT_INLINE_ROWS`` rows is checked, and later imported, while the
page waits. A larger one would outlast a web worker's request (gunicorn stops a request after
30 seconds by default, and a register imports a hundred or so rows a second): its run is handed
to the background worker (background.py, then exchange.tasks and worker.py; ``himaya
db_worker``), which checks it, and imports it when the clerk asks, while the run's page shows
the rows done (a ``.progress`` file beside the upload, pending.py). The user is told when it
ends (notifications.job_done)."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from himaya.audit import log
from himaya.notifications.actions import job_done, silenced

from . import engine, permissions, reading
from .htcds import errors as htcds_errors
from .models import ImportRun
from .pending import (
    discard_pending,
    load_pending,
    purge_expired,
    store_pending,
)


def inline_rows():
    """The most rows a file may hold to be checked and imported while the page waits."""
    return settings.HIMAYA_IMPORT_INLINE_ROWS


class AlreadyImported(Exception):
    """Another request committed this run first."""


# What a file may hold: the justice registers (justice.py) or the casework of past years
# (casework.py). A run remembers its register in ``requested_kind`` ("casework" or
# "casework:<kind>"; a justice run keeps "" or its kind, as before).
JUSTICE, CASEWORK = permissions.JUSTICE, permissions.CASEWORK
REGISTERS = (JUSTICE, CASEWORK)


def register_labels():
    from django.utils.translation import gettext_lazy

    return {
        JUSTICE: gettext_lazy("justice registers"),
        CASEWORK: gettext_lazy("casework of past years"),
    }


def register_kinds(register):
    """``(KINDS, kind_by_key)`` of a register."""
    if register == CASEWORK:
        from . import casework as module
    else:
        from . import justice as module
    return module.KINDS, module.kind_by_key


def register_org_ids(user, register):
    """Organisations the user may import this register for (core.access, "Exchange")."""
    return permissions.allowed_org_ids(user, register)


def encode_requested(register, kind):
    if register == CASEWORK:
        return f"{CASEWORK}:{kind}" if kind else CASEWORK
    return kind or ""


def decode_requested(value):
    """``(register, kind or None)`` of a run's ``requested_kind``."""
    value = value or ""
    if value == CASEWORK or value.startswith(f"{CASEWORK}:"):
        return CASEWORK, value.partition(":")[2] or None
    return JUSTICE, value or None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def previous_imports(organisation, file_digest):
    """Committed runs of the same file for the organisation (the same file recognised)."""
    return ImportRun.objects.filter(
        organisation=organisation, digest=file_digest, status=ImportRun.Status.COMMITTED
    )


def run_import(
    data,
    name,
    *,
    user,
    organisation,
    commit,
    kind=None,
    on_row=None,
    on_success=None,
    register=JUSTICE,
    confirmed=None,
):
    """Read and import ``data``; returns ``(format, Result)``. Refused files raise
    reading.FileRefused. ``confirmed``: the warnings the clerk confirmed (engine.run)."""
    KINDS, kind_by_key = register_kinds(register)  # noqa: N806

    fmt, sheets = reading.read(data, name)
    default_kind = kind_by_key(kind) if kind else None
    if fmt == "xlsx" and default_kind is not None:
        # One sheet of a workbook, whatever it is named, when the user says what it holds.
        default_kind = default_kind if len([s for s in sheets if s.rows]) == 1 else None
    # Records of a register are past events: nobody is told of each one, only the person who
    # imported it of the whole (commit_run).
    with silenced():
        result = engine.run(
            sheets,
            KINDS,
            user=user,
            organisation=organisation,
            commit=commit,
            default_kind=default_kind,
            on_row=on_row,
            on_success=on_success,
            confirmed=confirmed,
        )
    return fmt, result


def _fill(run, result):
    run.rows = result.rows
    run.kind = ",".join(result.kinds)[:200]
    run.created = result.total("created")
    run.updated = result.total("updated")
    run.unchanged = result.total("unchanged")
    run.counts = result.counts
    run.error_count = len(result.errors)
    run.errors = [e.as_dict() for e in result.errors[:500]] or None
    run.notices = [n.as_dict() for n in result.notices[:500]]
    run.warning_count = len(result.warnings)
    run.warnings = [w.as_dict() for w in result.warnings[:500]] or None
    run.warning_keys = [list(w.key) for w in result.warnings]


def new_run(data, name, *, user, organisation, kind, register, fmt):
    return ImportRun(
        user=user,
        organisation=organisation,
        file_name=Path(name).name[:200] or "upload",
        file_format=fmt,
        digest=digest(data),
        size=len(data),
        language=translation.get_language() or "",
        requested_kind=encode_requested(register, kind),
    )


# What a dry run writes on its run.
CHECKED_FIELDS = (
    *("rows", "kind", "created", "updated", "unchanged", "counts", "error_count", "errors"),
    *("notices", "warning_count", "warnings", "warning_keys", "status", "token", "checked_at"),
)


def save_checked(run, result, *, data=None, claim_from=None):
    """Record the dry run's outcome on ``run``: checked (its file kept for the commit: ``data``,
    or kept already) or rejected (its file dropped), with its audit row. ``claim_from`` (the
    worker's): only if the run is still in that status with the same file, so that a run that
    moved on meanwhile (erased, discarded, taken as lost) is left as it is. Returns whether the
    outcome was recorded."""
    token = run.token
    _fill(run, result)
    run.checked_at = timezone.now()
    if result.ok:
        run.status = ImportRun.Status.CHECKED
        if data is not None:
            run.token = store_pending(data)
    else:
        run.status = ImportRun.Status.REJECTED
        run.token = ""
    with transaction.atomic():
        if claim_from is None:
            run.save()
        else:
            fields = {name: getattr(run, name) for name in CHECKED_FIELDS}
            claimed = ImportRun.objects.filter(pk=run.pk, status=claim_from, token=token)
            if not claimed.update(**fields):
                return False
        log.write(run.user, "check_import", run, ["status"], organisation_id=run.organisation_id)
    if not result.ok:
        discard_pending(token)
    return True


def merge_context(requested_kind, result, context):
    """A dry run's ``result`` joined with what the page knew of the upload (``context``, JSON,
    kept beside the file for the worker): an HTCDS file's reader errors, and its engine errors
    named after the HTCDS sheet and fields (htcds/errors.py). The page's dry run and the
    worker's call it alike; other runs have no context."""
    if requested_kind == htcds_errors.REQUESTED_KIND:
        htcds_errors.merge_json(result, context)
    return result


def check_upload(
    data,
    name,
    *,
    user,
    organisation,
    kind=None,
    register=JUSTICE,
    requested_kind=None,
    context=None,
):
    """The dry run of an upload, here and now: records the run and, when the file passes, keeps
    it for the commit. Raises reading.FileRefused for files that are not registers.
    ``requested_kind`` overrides the register's own (an HTCDS file's run), ``context`` is
    merged into the result (merge_context)."""
    purge_expired()
    fmt, result = run_import(
        data,
        name,
        user=user,
        organisation=organisation,
        commit=False,
        kind=kind,
        register=register,
    )
    run = new_run(
        data, name, user=user, organisation=organisation, kind=kind, register=register, fmt=fmt
    )
    if requested_kind is not None:
        run.requested_kind = requested_kind
    merge_context(run.requested_kind, result, context)
    save_checked(run, result, data=data)
    return run, result


def tell(run, what, *, ok):
    job_done(
        run.user,
        what=what,
        reference=f"#{run.pk}",
        url=reverse("exchange:run", args=[run.pk]),
        ok=ok,
        target=run,
    )


class NotConfirmed(Exception):
    """The dry run listed warnings and the clerk did not confirm them."""


def _record_commit(run, result, user):
    """The run committed, in the import's transaction, with its audit row."""
    _fill(run, result)
    run.status = ImportRun.Status.COMMITTED
    run.warnings_confirmed = bool(result.warnings)
    run.finished_at = timezone.now()
    run.save()
    log.write(
        user,
        "commit_import",
        run,
        ["status"] + (["warnings_confirmed"] if run.warnings_confirmed else []),
        organisation_id=run.organisation_id,
    )


def check_confirmed(run, confirm_warnings):
    if run.warning_count and not confirm_warnings:
        raise NotConfirmed(_("Confirm the dates listed as warnings before importing the file."))


def commit_run(
    run, *, user, on_row=None, confirm_warnings=False, claim_from=ImportRun.Status.CHECKED
):
    """Import a checked run's file, all or nothing. Returns the Result; the run is updated in
    the same transaction as the records (committed), or marked failed with its errors.

    The warnings of the dry run must be confirmed (``confirm_warnings``); the commit then
    refuses any warning that was not among them (engine.run, ``confirmed``). The run is claimed
    from ``claim_from`` in the import's transaction (IMPORTING for the worker's commit)."""
    check_confirmed(run, confirm_warnings)
    data = load_pending(run.token)
    if data is None or digest(data) != run.digest:
        raise FileNotFoundError(_("The uploaded file is no longer available: upload it again."))
    confirmed = {tuple(k) for k in run.warning_keys or ()}

    def record(result):
        # Claimed in the import's transaction: a second click, a second tab, commits nothing.
        claimed = ImportRun.objects.filter(pk=run.pk, status=claim_from, token=token).update(
            status=ImportRun.Status.COMMITTED
        )
        if not claimed:
            raise AlreadyImported
        run.token = ""
        _record_commit(run, result, user)

    token = run.token
    register, kind = decode_requested(run.requested_kind)
    try:
        _fmt, result = run_import(
            data,
            run.file_name,
            user=user,
            organisation=run.organisation,
            commit=True,
            kind=kind,
            on_row=on_row,
            on_success=record,
            register=register,
            confirmed=confirmed,
        )
    except AlreadyImported:
        run.refresh_from_db()
        raise FileNotFoundError(_("This file was imported already.")) from None
    if result.committed:
        discard_pending(token)
    else:
        run.refresh_from_db()
        _fill(run, result)
        run.status = ImportRun.Status.FAILED
        run.save()
    tell(run, gettext_lazy("The import"), ok=result.committed)
    return result


def import_file(
    data,
    name,
    *,
    user,
    organisation,
    commit,
    kind=None,
    on_row=None,
    register=JUSTICE,
    confirm_warnings=False,
):
    """The command's import: dry run or commit in one go, recorded as a run. A commit with
    warnings (dates to confirm) writes only when ``confirm_warnings`` says the clerk confirmed
    them all."""
    run = ImportRun(
        user=user,
        organisation=organisation,
        file_name=Path(name).name[:200],
        file_format="",
        digest=digest(data),
        size=len(data),
        language=translation.get_language() or "",
        requested_kind=encode_requested(register, kind) if register == CASEWORK else "",
    )

    fmt_holder = [reading.sniff(data)]

    def record(result):
        run.file_format = fmt_holder[0]
        _record_commit(run, result, user)

    _fmt, result = run_import(
        data,
        name,
        user=user,
        organisation=organisation,
        commit=commit,
        kind=kind,
        on_row=on_row,
        on_success=record,
        register=register,
        confirmed=True if confirm_warnings else (),
    )
    if not result.committed:
        _fill(run, result)
        run.file_format = fmt_holder[0]
        run.status = (
            ImportRun.Status.CHECKED if result.ok and not commit else ImportRun.Status.REJECTED
        )
        with transaction.atomic():
            run.save()
            log.write(user, "check_import", run, ["status"], organisation_id=organisation.pk)
    return run, result


def possible_duplicates(run, user):
    """The run's rows whose record may be a person already recorded, as this reader may see
    them: the candidates' visibility is checked now, not when the file was imported."""
    from django.urls import reverse

    from himaya.justice.models import Suspect
    from himaya.people.models import Person

    notices = run.notices or []
    wanted = {"person": set(), "suspect": set()}
    for n in notices:
        wanted.get(n["subject"], set()).update(n["visible"])
    seen = {
        "person": set(
            Person.objects.visible_to(user)
            .filter(pk__in=wanted["person"])
            .values_list("pk", flat=True)
        ),
        "suspect": set(
            Suspect.objects.visible_to(user)
            .filter(pk__in=wanted["suspect"])
            .values_list("pk", flat=True)
        ),
    }
    out = []
    for n in notices:
        ids = [pk for pk in n["visible"] if pk in seen.get(n["subject"], ())]
        links = [
            (reverse("people:detail", args=[pk]) if n["subject"] == "person" else "", f"#{pk}")
            for pk in ids
        ]
        if links or n["hidden"]:
            out.append(
                {"sheet": n["sheet"], "row": n["row"], "links": links, "hidden": n["hidden"]}
            )
    return out
