"""Fixtures of the exchange app's tests: files handed to the background worker, and its queue
run by the worker's real command."""

import pytest
from django.core.management import call_command


@pytest.fixture
def large(settings, tmp_path, monkeypatch):
    """Every file of more than two rows goes to the worker; the pending files in a temporary
    folder; the worker shares the test's connection (and its transaction), kept open."""
    settings.HIMAYA_IMPORT_INLINE_ROWS = 2
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    return tmp_path


@pytest.fixture
def work(django_capture_on_commit_callbacks):
    """Run the queue's tasks with the real worker command; the notifications they send are
    delivered as when their transaction commits."""

    def run_queue():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("db_worker", "--batch", "--interval", "0")

    return run_queue
