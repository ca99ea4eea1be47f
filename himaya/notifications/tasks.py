"""Background tasks of notifications (DESIGN.md convention 9: thin tasks that take ids)."""

from django_tasks import task

from . import mail


@task()
def send_mail_task(user_id: int) -> None:
    """Mail a user who asked to be told at once. A failure fails the task; `himaya notify`
    tries again later (HIMAYA_MAIL_ATTEMPTS)."""
    mail.send_pending(user_id)
