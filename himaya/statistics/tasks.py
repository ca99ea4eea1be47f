"""Background tasks of the statistics app (DESIGN.md convention 9: thin tasks that take ids)."""

from django_tasks import task

from . import compute


@task()
def build_report_task(build_id: int) -> None:
    """Compute the annual report of a queued build (statistics.compute)."""
    compute.run_build(build_id, background=True)
