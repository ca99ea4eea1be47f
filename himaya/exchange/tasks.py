"""Background tasks of the exchange app (DESIGN.md convention 9: thin tasks that take ids): the
dry run and the commit of a file too large to import while the page waits (queued by
background.py, done by worker.py)."""

from django_tasks import task

from . import worker


@task()
def check_run_task(run_id: int) -> None:
    """Check a run handed over by background.receive_upload."""
    worker.check_queued(run_id)


@task()
def commit_run_task(run_id: int) -> None:
    """Import a run handed over by background.queue_commit."""
    worker.commit_queued(run_id)
