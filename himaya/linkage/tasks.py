"""Background tasks of the linkage app (DESIGN.md convention 9: thin tasks that take ids), and
how a run is queued: the work itself is in dedupe.py, which never imports this module."""

from django.db import transaction
from django_tasks import task

from himaya.audit import log

from . import dedupe
from .models import BatchRun


@task()
def deduplicate_task(run_id: int) -> None:
    """Run a queued batch de-duplication (linkage.dedupe)."""
    dedupe.execute(run_id)


def start(user=None, *, train=False):
    """Queue a run (one at a time: a run queued or running is returned instead)."""
    current = BatchRun.objects.filter(status__in=[BatchRun.Status.QUEUED, BatchRun.Status.RUNNING])
    existing = current.first()
    if existing is not None:
        return existing, False
    run = BatchRun.objects.create(started_by=user, train=train)
    log.write(user, "linkage_batch_start", run, ["train"] if train else [])
    transaction.on_commit(lambda: deduplicate_task.enqueue(run.pk))
    return run, True
