"""The uploaded files waiting between an import's dry run and its commit, and the progress of a
run in the background worker.

A file waits under ``VAR_DIR/exchange-pending/`` (a private directory, never served), named by
a random token that only its run knows; it is deleted after the commit, when its run is
discarded, or after ``PENDING_HOURS`` (expired runs are cleared on every upload). The worker
writes the rows it has done to ``<token>.progress`` beside it: the import's own transaction
cannot show its progress to another connection. What the worker needs to know of the upload
besides the file (an HTCDS file's conversion errors) waits in ``<token>.context``."""

import contextlib
import datetime
import json
import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from himaya.audit import log

from .models import ImportRun

SUFFIXES = (".upload", ".progress", ".partial", ".context")  # the only files kept here

PENDING_HOURS = 6
# A run handed to the worker that none has started after this long: its page says so.
STALE_AFTER = datetime.timedelta(minutes=2)
# A run in the worker's hands for this long is taken as lost (a worker killed mid-run): failed.
LOST_AFTER = datetime.timedelta(hours=24)
PROGRESS_EVERY = 50  # rows between two writes of the progress
IN_BACKGROUND = (ImportRun.Status.CHECKING, ImportRun.Status.IMPORTING)


def pending_dir() -> Path:
    path = Path(settings.VAR_DIR) / "exchange-pending"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _pending_path(token, suffix=".upload") -> Path:
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        raise ValueError("bad token")
    return pending_dir() / f"{token}{suffix}"


def store_pending(data: bytes) -> str:
    token = secrets.token_urlsafe(24)
    path = _pending_path(token)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return token


def store_context(token, context: dict):
    """Keep ``context`` (JSON) beside the file of ``token``, as privately as the file."""
    fd = os.open(_pending_path(token, ".context"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(context, fh, ensure_ascii=False)


def load_context(token):
    """The context kept beside the file of ``token``, or None."""
    try:
        return json.loads(_pending_path(token, ".context").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_pending(token):
    try:
        return _pending_path(token).read_bytes()
    except (OSError, ValueError):
        return None


def discard_pending(token):
    if token:
        with contextlib.suppress(ValueError):
            for suffix in SUFFIXES:
                _pending_path(token, suffix).unlink(missing_ok=True)


class Progress:
    """``on_row`` of a run in the background: the rows done, written every PROGRESS_EVERY rows
    to a file beside the upload (replaced whole, so a reader never sees half a number)."""

    def __init__(self, token):
        self.path = _pending_path(token, ".progress")
        self.done = 0

    def __call__(self, _row):
        self.done += 1
        if self.done % PROGRESS_EVERY == 0:
            self.write()

    def write(self):
        partial = self.path.with_suffix(".partial")
        partial.write_text(str(self.done), encoding="ascii")
        os.replace(partial, self.path)


def reset_progress(token):
    """No rows done yet: the commit starts where the dry run's count ended."""
    with contextlib.suppress(ValueError):
        _pending_path(token, ".progress").unlink(missing_ok=True)


def rows_done(run):
    """The rows the worker has gone through in ``run`` (0 before it starts)."""
    try:
        return int(_pending_path(run.token, ".progress").read_text(encoding="ascii"))
    except (OSError, ValueError):
        return 0


def _last_progress(run):
    try:
        mtime = _pending_path(run.token, ".progress").stat().st_mtime
    except (OSError, ValueError):
        return None
    return datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC)


def is_stale(run, now=None):
    """A run in the worker's hands that has not moved for STALE_AFTER: none took it up, or the
    one that did stopped (killed mid-run). Its uploader may then discard it."""
    if run.status not in IN_BACKGROUND or run.queued_at is None:
        return False
    now = now or timezone.now()
    moved = max(filter(None, (run.queued_at, _last_progress(run))))
    return now - moved > STALE_AFTER


def end_run(run, status, action, *, only_from):
    """Move ``run`` to ``status`` (expired, failed) if it is still in one of ``only_from`` with
    the same file: a run that moved on meanwhile (committed, discarded) is left as it is. Its
    file goes, an audit row says so (by the system). Returns whether it was ended."""
    ended = ImportRun.objects.filter(pk=run.pk, status__in=only_from, token=run.token).update(
        status=status, token=""
    )
    if ended:
        discard_pending(run.token)
        log.write(None, action, run, ["status"], organisation_id=run.organisation_id)
    return bool(ended)


def purge_expired(now=None):
    """End the runs past their time: a checked file not imported PENDING_HOURS after its dry
    run ended (expired), a run in the worker's hands for LOST_AFTER (failed: the worker was
    killed, nothing was written). Then delete the files no run names. ``himaya notify`` runs it
    on its schedule, and every upload does. Returns how many runs were ended."""
    now = now or timezone.now()
    waiting = Coalesce("checked_at", "created_at")
    checked = ImportRun.objects.filter(status=ImportRun.Status.CHECKED).exclude(token="")
    ended = 0
    for run in checked.annotate(since=waiting).filter(
        since__lt=now - datetime.timedelta(hours=PENDING_HOURS)
    ):
        ended += end_run(run, ImportRun.Status.EXPIRED, "expire_import", only_from=[run.status])
    lost = ImportRun.objects.filter(status__in=IN_BACKGROUND).filter(
        Q(queued_at__lt=now - LOST_AFTER) | Q(queued_at__isnull=True) | Q(token="")
    )
    for run in lost:
        ended += end_run(run, ImportRun.Status.FAILED, "fail_import", only_from=IN_BACKGROUND)
    _sweep(time.time() - PENDING_HOURS * 3600)
    return ended


def purge_on_schedule(sender, now, **kwargs):
    """``himaya notify``'s housekeeping (notifications.housekeeping): ``purge_expired``."""
    return f"import runs ended (expired or lost): {purge_expired(now)}"


def _sweep(limit):
    """Delete the files of this directory no run names, left by a crash (only the kinds kept
    here, and only regular files: anything else is not ours to touch)."""
    named = set(ImportRun.objects.exclude(token="").values_list("token", flat=True))
    for path in pending_dir().iterdir():
        if path.suffix not in SUFFIXES or not path.is_file() or path.is_symlink():
            continue
        if path.stem not in named and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
