"""Background tasks of the exchange app (DESIGN.md convention 9: thin tasks that take ids): the
dry run and the commit of a file too large to import while the page waits (queued by
background.py, done by worker.py), and an analyst's extract too large to build while the page
waits (done by extracts.py)."""

from django_tasks import task

from . import extracts, worker


@task()
def check_run_task(run_id: int) -> None:
    """Check a run handed over by background.receive_upload."""
    worker.check_queued(run_id)


@task()
def commit_run_task(run_id: int) -> None:
    """Import a run handed over by background.queue_commit."""
    worker.commit_queued(run_id)


@task()
def build_extract_task(extract_id: int) -> None:
    """Build an extract requested through background.queue_extract."""
    extracts.build_queued(extract_id)
