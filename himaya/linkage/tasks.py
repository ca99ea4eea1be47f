"""Background tasks of the linkage app (DESIGN.md convention 9: thin tasks that take ids)."""

from django_tasks import task

from . import dedupe


@task()
def deduplicate_task(run_id: int) -> None:
    """Run a queued batch de-duplication (linkage.dedupe)."""
    dedupe.execute(run_id)
