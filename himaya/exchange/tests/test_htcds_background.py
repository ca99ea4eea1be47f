"""An HTCDS workbook whose casework register is larger than HIMAYA_IMPORT_INLINE_ROWS is
dry-run by the background worker, as the justice registers are (test_background.py): an NGO's
year of cases must not outlast the web server's request. The worker's run is the page's: the
same counts, the same errors named after the HTCDS sheet and fields (the reader's kept beside
the file for it), then the commit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from himaya.cases.models import Dossier
from himaya.exchange.htcds import importing
from himaya.exchange.models import ImportRun
from himaya.notifications.models import Kind, Notification

from .test_htcds_helpers import filled
from .test_htcds_import import ngo_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("large")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, data):
    file = SimpleUploadedFile("cases.xlsx", data, content_type=XLSX)
    return client.post(reverse("exchange:htcds"), {"file": file})


def _inline(settings, data, users, orgs):
    """The page's own dry run of ``data`` (no file is large enough for the worker)."""
    settings.HIMAYA_IMPORT_INLINE_ROWS = 100_000
    run, _converted = importing.check(
        data, "cases.xlsx", user=users["alice"], organisation=orgs["ngo_a"]
    )
    settings.HIMAYA_IMPORT_INLINE_ROWS = 2
    return run


def _uploaded(client, response):
    run = ImportRun.objects.order_by("-pk").first()
    assert response.status_code == 302 and response.url == reverse("exchange:run", args=[run.pk])
    return run


def test_a_large_htcds_file_is_checked_then_imported_by_the_worker(
    settings, users, orgs, login, large, work
):
    data = filled(ngo_rows())
    inline = _inline(settings, data, users, orgs)
    assert inline.status == ImportRun.Status.CHECKED and inline.rows == 4
    client = login(users["alice"])
    run = _uploaded(client, _upload(client, data))
    assert run.status == ImportRun.Status.CHECKING
    assert (run.rows, run.requested_kind, run.digest) == (
        4,
        importing.REQUESTED_KIND,
        inline.digest,
    )
    assert (large / "exchange-pending" / f"{run.token}.context").is_file()
    assert 'data-testid="run-progress"' in client.get(reverse("exchange:run", args=[run.pk])).text

    work()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED and run.errors is None
    assert (run.counts, run.created, run.kind) == (inline.counts, inline.created, inline.kind)
    assert Dossier.objects.count() == 0  # a dry run writes nothing

    client.post(reverse("exchange:commit", args=[run.pk]))
    work()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.COMMITTED
    assert Dossier.objects.filter(owner_org=orgs["ngo_a"]).count() == 2
    # The run's file and its context are gone; the page's own run still waits for its commit.
    assert [p.name for p in (large / "exchange-pending").iterdir()] == [f"{inline.token}.upload"]
    told = Notification.objects.filter(recipient=users["alice"], kind=Kind.JOB_FINISHED)
    assert told.count() == 2  # the check, then the import


def test_the_worker_names_the_errors_as_the_page_does(settings, users, orgs, login, large, work):
    rows = ngo_rows()
    rows[1]["prs_Gender"] = "Woman-ish"  # the reader's error
    rows[0]["Incoming Referral Date"] = None  # the engine's: no date the case was opened
    data = filled(rows)
    inline = _inline(settings, data, users, orgs)
    client = login(users["alice"])
    run = _uploaded(client, _upload(client, data))
    token = run.token
    work()
    run.refresh_from_db()
    assert run.status == inline.status == ImportRun.Status.REJECTED
    assert run.errors == inline.errors and run.error_count == inline.error_count == 2
    assert {(e["sheet"], e["row"], e["column"]) for e in run.errors} == {
        ("Case Sheet", 3, "cas_IncomingReferralDate"),
        ("Case Sheet", 4, "prs_Gender"),
    }
    assert run.token == "" and not list((large / "exchange-pending").glob(f"{token}.*"))
    page = client.get(reverse("exchange:run", args=[run.pk])).text
    assert "prs_Gender" in page and "cas_IncomingReferralDate" in page


def test_a_run_whose_context_is_lost_fails_and_says_so(users, orgs, login, large, work):
    client = login(users["alice"])
    run = _uploaded(client, _upload(client, filled(ngo_rows())))
    (large / "exchange-pending" / f"{run.token}.context").unlink()
    work()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and run.token == ""
    assert not list((large / "exchange-pending").iterdir()) and Dossier.objects.count() == 0
    told = Notification.objects.get(recipient=users["alice"], kind=Kind.JOB_FAILED)
    assert told.reference == f"#{run.pk}"
