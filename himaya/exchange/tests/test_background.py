"""A file larger than HIMAYA_IMPORT_INLINE_ROWS is checked and imported by the background worker
(django-tasks' database queue, run here by its real worker command) while the run's page shows
the rows done: a year's register must not outlast the web server's request (gunicorn stops one
after 30 s by default) and leave the clerk with a gateway error. What the worker does is what
the page would have done: the same counts, the same errors in the uploader's language, all or
nothing, once."""

import datetime
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from himaya.audit.models import AuditEvent
from himaya.exchange import background, pending, services, worker
from himaya.exchange.models import ImportRun
from himaya.justice import models as jm
from himaya.notifications.models import Kind, Notification

from .helpers import justice_counts, workbook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("large")]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, data, **extra):
    file = SimpleUploadedFile("register.xlsx", data, content_type=XLSX)
    return client.post(reverse("exchange:import"), {"file": file}, **extra)


def _told(user, kind):
    return list(
        Notification.objects.filter(recipient=user, kind=kind).values_list("reference", flat=True)
    )


def test_a_large_file_is_checked_then_imported_by_the_worker(
    users, orgs, login, large, work, monkeypatch
):
    monkeypatch.setattr(pending, "PROGRESS_EVERY", 1)  # every row counted on the page
    paula = users["paula"]
    inline, _result = services.check_upload(
        workbook(), "same.xlsx", user=paula, organisation=orgs["parquet"]
    )
    client = login(paula)
    before = justice_counts()
    before["exchange.ImportRun"] += 1  # the run of this upload
    response = _upload(client, workbook())
    run = ImportRun.objects.exclude(pk=inline.pk).get()
    assert response.status_code == 302 and response.url == reverse("exchange:run", args=[run.pk])
    assert run.status == ImportRun.Status.CHECKING and run.rows == inline.rows
    assert DBTaskResult.objects.count() == 1
    waiting = client.get(response.url).content.decode()
    assert 'data-testid="run-progress"' in waiting and 'http-equiv="refresh"' in waiting
    assert 'data-testid="commit"' not in waiting

    work()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED and run.token
    assert (run.created, run.counts, run.error_count) == (13, inline.counts, 0)
    after = justice_counts()
    assert after.pop("exchange.ImportRun") == before.pop("exchange.ImportRun")
    assert after == before  # a dry run writes no record
    assert pending.rows_done(run) == 13
    assert _told(paula, Kind.JOB_FINISHED) == [f"#{run.pk}"]
    assert 'data-testid="commit"' in client.get(response.url).content.decode()

    committing = client.post(reverse("exchange:commit", args=[run.pk]))
    assert committing.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTING and DBTaskResult.objects.count() == 2
    assert pending.rows_done(run) == 0  # the dry run's count was 13: the import starts at 0
    assert not jm.Investigation.objects.filter(external_ref="E-2024-01").exists()
    assert 'data-testid="run-progress"' in client.get(response.url).content.decode()

    work()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.COMMITTED and run.token == ""
    assert jm.Investigation.objects.filter(external_ref="E-2024-01").exists()
    assert _told(paula, Kind.JOB_FINISHED) == [f"#{run.pk}", f"#{run.pk}"]
    assert [p.name for p in (large / "exchange-pending").iterdir()] == [f"{inline.token}.upload"]
    page = client.get(response.url).content.decode()
    assert 'data-testid="run-counts"' in page and 'http-equiv="refresh"' not in page


def test_the_worker_writes_the_errors_in_the_uploader_language(users, login, work):
    bad = {"enquêtes": [["ref", "opened_on"], ["E1", "2024-13-45"], ["E2", "2024-13-46"]]}
    messages = {}
    for language in ("fr", "ar"):
        users["paula"].preferred_language = language
        users["paula"].save()
        client = login(users["paula"])
        client.cookies["django_language"] = language
        _upload(client, workbook(bad), HTTP_ACCEPT_LANGUAGE=language)
        work()  # the worker has no request: ar, the site's language, unless told otherwise
        run = ImportRun.objects.order_by("-pk").first()
        assert run.status == ImportRun.Status.REJECTED and run.language == language
        assert run.token == "" and [e["row"] for e in run.errors] == [2, 3]
        messages[language] = run.errors[0]["message"]
    assert messages["fr"] != messages["ar"]
    assert any("\u0600" <= c <= "\u06ff" for c in messages["ar"])
    assert not any("\u0600" <= c <= "\u06ff" for c in messages["fr"])


def _queued(users, orgs, *, rows, queued_minutes_ago=0, status=ImportRun.Status.CHECKING):
    data = workbook()
    return ImportRun.objects.create(
        user=users["paula"],
        organisation=orgs["parquet"],
        file_name="big.xlsx",
        file_format="xlsx",
        digest=services.digest(data),
        size=len(data),
        rows=rows,
        status=status,
        token=pending.store_pending(data),
        queued_at=timezone.now() - datetime.timedelta(minutes=queued_minutes_ago),
        language="fr",
    )


def test_the_page_shows_the_rows_the_worker_has_done(users, orgs, login):
    run = _queued(users, orgs, rows=400)
    progress = pending.Progress(run.token)
    for _row in range(150):
        progress(_row)  # written every 50 rows
    page = login(users["paula"]).get(reverse("exchange:run", args=[run.pk])).content.decode()
    assert "150" in page and "400" in page and "37" in page  # 150 of 400 rows, 37 %
    assert "progress-30" in page and 'aria-valuenow="37"' in page
    assert 'data-testid="run-stale"' not in page


def test_a_run_no_worker_takes_up_is_said_so_and_its_uploader_may_cancel_it(users, orgs, login):
    run = _queued(users, orgs, rows=400, queued_minutes_ago=3)
    client = login(users["paula"])
    page = client.get(reverse("exchange:run", args=[run.pk])).content.decode()
    assert 'data-testid="run-stale"' in page and 'http-equiv="refresh"' not in page
    assert 'data-testid="discard"' in page
    client.post(reverse("exchange:discard", args=[run.pk]))
    run.refresh_from_db()
    assert (run.status, run.token) == (ImportRun.Status.EXPIRED, "")
    assert AuditEvent.objects.filter(action="discard_import", object_id=str(run.pk)).exists()


def test_a_worker_that_stopped_mid_run_is_seen_when_its_count_stops_moving(users, orgs, login):
    """A count that has not moved for two minutes: the worker stopped (killed mid-run)."""
    run = _queued(users, orgs, rows=400, queued_minutes_ago=60)
    progress = pending.Progress(run.token)
    for _row in range(100):
        progress(_row)
    url = reverse("exchange:run", args=[run.pk])
    assert 'data-testid="run-stale"' not in login(users["paula"]).get(url).content.decode()
    old = (timezone.now() - datetime.timedelta(minutes=3)).timestamp()
    os.utime(progress.path, (old, old))
    assert pending.is_stale(run)
    # A run still moving is not discarded by a stale tab's post.
    fresh = _queued(users, orgs, rows=400)
    login(users["paula"]).post(reverse("exchange:discard", args=[fresh.pk]))
    fresh.refresh_from_db()
    assert fresh.status == ImportRun.Status.CHECKING and fresh.token


def test_the_worker_leaves_a_run_erased_meanwhile_as_it_is(users, orgs, monkeypatch):
    """The worker loaded the run, then an erasure dropped its file (the file named the person)
    while the dry run went on: the dry run's outcome is not written over the erasure."""
    run = _queued(users, orgs, rows=13)
    real = services.run_import

    def erased_meanwhile(*args, **kwargs):
        result = real(*args, **kwargs)
        ImportRun.objects.filter(pk=run.pk).update(token="", status=ImportRun.Status.FAILED)
        return result

    monkeypatch.setattr(services, "run_import", erased_meanwhile)
    worker.check_queued(run.pk)
    run.refresh_from_db()
    assert (run.status, run.token, run.created) == (ImportRun.Status.FAILED, "", 0)


def test_a_second_click_queues_the_import_once(users, orgs):
    run = _queued(users, orgs, rows=13, status=ImportRun.Status.CHECKED)
    background.queue_commit(run, user=users["paula"])
    with pytest.raises(FileNotFoundError):
        background.queue_commit(run, user=users["paula"])  # a second tab still showing the button
    assert DBTaskResult.objects.count() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTING


def test_dates_to_confirm_are_confirmed_before_the_run_is_queued(users, orgs):
    run = _queued(users, orgs, rows=13, status=ImportRun.Status.CHECKED)
    run.warning_count = 2
    run.save()
    with pytest.raises(services.NotConfirmed):
        background.queue_commit(run, user=users["paula"])
    assert DBTaskResult.objects.count() == 0
    background.queue_commit(run, user=users["paula"], confirm_warnings=True)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTING and run.warnings_confirmed


def test_a_run_whose_file_is_gone_fails_and_its_uploader_is_told(
    users, orgs, django_capture_on_commit_callbacks
):
    run = _queued(users, orgs, rows=13)
    pending.discard_pending(run.token)
    with django_capture_on_commit_callbacks(execute=True):
        worker.check_queued(run.pk)
    run.refresh_from_db()
    assert (run.status, run.token) == (ImportRun.Status.FAILED, "")
    assert _told(users["paula"], Kind.JOB_FAILED) == [f"#{run.pk}"]
    # The task run again (a worker retrying it) leaves the failed run as it is.
    with django_capture_on_commit_callbacks(execute=True):
        worker.check_queued(run.pk)
        worker.commit_queued(run.pk)
    assert _told(users["paula"], Kind.JOB_FAILED) == [f"#{run.pk}"]


def test_a_checked_file_waits_its_hours_from_the_end_of_its_check(users, orgs):
    """A dry run that waited seven hours in the queue is not expired as soon as it is ready."""
    run = _queued(users, orgs, rows=13, status=ImportRun.Status.CHECKED)
    old = timezone.now() - datetime.timedelta(hours=pending.PENDING_HOURS + 1)
    ImportRun.objects.filter(pk=run.pk).update(created_at=old, checked_at=timezone.now())
    pending.purge_expired()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED and pending.load_pending(run.token)
    ImportRun.objects.filter(pk=run.pk).update(checked_at=old)
    pending.purge_expired()
    run.refresh_from_db()
    assert (run.status, run.token) == (ImportRun.Status.EXPIRED, "")
    assert AuditEvent.objects.filter(action="expire_import", object_id=str(run.pk)).exists()


def test_the_sweep_touches_only_its_own_kinds_of_file(users, orgs, large):
    folder = pending.pending_dir()
    (folder / "a-folder.upload").mkdir()
    (folder / "notes.txt").write_text("not ours")
    stray = folder / "stray.partial"
    stray.write_text("12")
    old = time.time() - (pending.PENDING_HOURS + 1) * 3600
    for path in folder.iterdir():
        os.utime(path, (old, old))
    pending.purge_expired()  # a folder there failed every upload (IsADirectoryError)
    assert sorted(p.name for p in folder.iterdir()) == ["a-folder.upload", "notes.txt"]


def test_a_run_the_worker_lost_a_day_ago_is_failed_but_a_waiting_one_keeps_its_file(
    users, orgs, large
):
    lost = _queued(users, orgs, rows=13, queued_minutes_ago=25 * 60)
    waiting = _queued(users, orgs, rows=13, queued_minutes_ago=60)
    old = timezone.now() - datetime.timedelta(hours=pending.PENDING_HOURS + 1)
    ImportRun.objects.filter(pk__in=[lost.pk, waiting.pk]).update(created_at=old)
    pending.purge_expired()
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert (lost.status, lost.token) == (ImportRun.Status.FAILED, "")
    assert waiting.status == ImportRun.Status.CHECKING
    assert pending.load_pending(waiting.token) is not None
    left = sorted(p.name for p in (large / "exchange-pending").iterdir())
    assert left == [f"{waiting.token}.upload"]
    assert AuditEvent.objects.filter(action="fail_import", object_id=str(lost.pk)).exists()


def test_himaya_notify_ends_the_import_runs_past_their_time(users, orgs, large):
    """Not only when someone uploads: a checked file left unclaimed holds a register's personal
    data, and went only at the next upload, however late."""
    from io import StringIO

    run = _queued(users, orgs, rows=13, status=ImportRun.Status.CHECKED)
    past = timezone.now() - datetime.timedelta(hours=pending.PENDING_HOURS + 1)
    ImportRun.objects.filter(pk=run.pk).update(created_at=past, checked_at=past)
    out = StringIO()
    call_command("notify", stdout=out)
    assert "import runs ended (expired or lost): 1" in out.getvalue()
    run.refresh_from_db()
    assert (run.status, run.token) == (ImportRun.Status.EXPIRED, "")
    assert list((large / "exchange-pending").iterdir()) == []
