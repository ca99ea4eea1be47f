"""Background tasks of the data subject's requests (DESIGN.md convention 9: thin tasks that take
ids): an erasure in a database too large to search while the page waits (actions.queue_erasure)."""

from django_tasks import task

from . import actions


@task()
def erase_task(request_id: int) -> None:
    """Erase the person of a request queued by actions.queue_erasure."""
    actions.erase_queued(request_id)
