"""The uploaded files waiting between an import's dry run and its commit, and the progress of a
run in the background worker.

A file waits under ``VAR_DIR/exchange-pending/`` (a private directory, never served), named by
a random token that only its run knows; it is deleted after the commit, when its run is
discarded, or after ``PENDING_HOURS`` (expired runs are cleared on every upload). The worker
writes the rows it has done to ``<token>.progress`` beside it: the import's own transaction
cannot show its progress to another connection."""

import contextlib
import datetime
import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import ImportRun

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


def load_pending(token):
    try:
        return _pending_path(token).read_bytes()
    except (OSError, ValueError):
        return None


def discard_pending(token):
    if token:
        with contextlib.suppress(ValueError):
            _pending_path(token).unlink(missing_ok=True)
            _pending_path(token, ".progress").unlink(missing_ok=True)


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


def is_stale(run, now=None):
    """A run handed to the worker that no worker has taken up for STALE_AFTER."""
    now = now or timezone.now()
    return (
        run.status in IN_BACKGROUND
        and run.queued_at is not None
        and now - run.queued_at > STALE_AFTER
        and rows_done(run) == 0
    )


def purge_expired(now=None):
    """Delete pending files past their time and mark their runs expired."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=PENDING_HOURS)
    old = ImportRun.objects.filter(created_at__lt=cutoff).exclude(token="")
    # A run in the worker's hands keeps its file, unless the worker lost it long ago.
    old = old.exclude(status__in=IN_BACKGROUND, queued_at__gte=now - LOST_AFTER)
    for run in old:
        discard_pending(run.token)
        run.token = ""
        if run.status == ImportRun.Status.CHECKED:
            run.status = ImportRun.Status.EXPIRED
        elif run.status in IN_BACKGROUND:
            run.status = ImportRun.Status.FAILED
        run.save(update_fields=["token", "status"])
    # Files left behind by a crash (no run names them) go too.
    limit = time.time() - PENDING_HOURS * 3600
    named = set(ImportRun.objects.exclude(token="").values_list("token", flat=True))
    for path in pending_dir().iterdir():
        if path.stem not in named and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
