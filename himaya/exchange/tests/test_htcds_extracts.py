"""An analyst's de-identified export or CTDC extract of more dossiers than
HIMAYA_EXPORT_INLINE_DOSSIERS is built by the background worker: the whole country's dossiers
would outlast the web server's request (about 1.3 ms a dossier: minutes at national scale). The
file is the one the page would have sent; it is kept encrypted, downloaded by the analyst who
asked for it alone, until it expires and is erased."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from himaya.audit.models import AccessEvent, AuditEvent
from himaya.cases.models import Dossier
from himaya.exchange import background, extracts
from himaya.exchange.models import Extract, ImportRun
from himaya.notifications.models import Kind, Notification
from himaya.secure_exports import archive
from himaya.secure_exports.models import SecureExport
from himaya.subjects import files
from himaya.testing import factories as f

from .test_htcds_helpers import filled
from .test_htcds_import import ngo_rows
from .test_htcds_views import upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_inline_limits(large, settings):
    """Any extract of more than one dossier goes to the worker; the caseload's import does not."""
    settings.HIMAYA_IMPORT_INLINE_ROWS = 1000
    settings.HIMAYA_EXPORT_INLINE_DOSSIERS = 1


@pytest.fixture
def caseload(users, login):
    alice = login(users["alice"])
    upload(alice, filled(ngo_rows()))
    alice.post(reverse("exchange:commit", args=[ImportRun.objects.get().pk]))


def _inline(settings, client, url, data):
    settings.HIMAYA_EXPORT_INLINE_DOSSIERS = 100
    response = client.post(url, data)
    settings.HIMAYA_EXPORT_INLINE_DOSSIERS = 1
    assert response.status_code == 200
    return response.content


def test_a_large_export_is_built_by_the_worker_then_downloaded(
    settings, users, login, caseload, work
):
    ana = login(users["ana"])
    url, data = reverse("exchange:htcds_export"), {"scope": "deidentified", "format": "csv"}
    inline = _inline(settings, ana, url, data)
    response = ana.post(url, data)
    assert response.status_code == 302 and response.url == reverse("exchange:htcds")
    extract = Extract.objects.get()
    assert (extract.kind, extract.status, extract.owner) == ("htcds_csv", "queued", users["ana"])
    assert AuditEvent.objects.filter(action="export_htcds").count() == 2  # asked twice
    page = ana.get(reverse("exchange:htcds")).content.decode()
    assert 'data-testid="extracts"' in page and 'data-testid="extract-download"' not in page

    work()
    extract.refresh_from_db()
    assert extract.status == "ready" and extract.records == 2 and extract.size == len(inline)
    assert b"Diallo" not in bytes(extract.content) and b"1999" not in bytes(extract.content)
    told = Notification.objects.get(recipient=users["ana"], kind=Kind.JOB_FINISHED)
    assert told.reference == f"#{extract.pk}"
    page = ana.get(reverse("exchange:htcds")).content.decode()
    assert 'data-testid="extract-download"' in page
    download = ana.get(reverse("exchange:extract_download", args=[extract.pk]))
    assert download.status_code == 200 and download.content == inline
    assert download["Content-Disposition"] == 'attachment; filename="htcds-deidentified.csv"'
    assert AuditEvent.objects.filter(action="download_extract").count() == 1


def test_the_ctdc_extract_is_written_in_the_language_of_the_request(
    settings, users, login, caseload, work
):
    users["ana"].preferred_language = "fr"
    users["ana"].save()
    ana = login(users["ana"])
    ana.cookies["django_language"] = "fr"
    inline = _inline(settings, ana, reverse("exchange:htcds_ctdc"), {})
    assert ana.post(reverse("exchange:htcds_ctdc")).status_code == 302
    work()
    extract = Extract.objects.get()
    assert (extract.kind, extract.language, extract.status) == ("ctdc", "fr", "ready")
    built = ana.get(reverse("exchange:extract_download", args=[extract.pk])).content
    report = [load_workbook(io.BytesIO(b))["report"] for b in (built, inline)]
    lines = [[c.value for c in row] for row in report[0].iter_rows()]
    assert lines == [[c.value for c in row] for row in report[1].iter_rows()]
    assert "withheld" not in repr(lines)  # the worker wrote it in French, as asked


def test_another_user_gets_404_and_the_attempt_is_recorded(users, login, caseload, work):
    ana = login(users["ana"])
    ana.post(reverse("exchange:htcds_ctdc"))
    work()
    extract = Extract.objects.get()
    for who in ("alice", "root"):
        response = login(users[who]).get(reverse("exchange:extract_download", args=[extract.pk]))
        assert response.status_code == 404
    refused = AccessEvent.objects.filter(object_type="exchange.extract", outcome="denied")
    assert list(refused.values_list("object_id", flat=True)) == [str(extract.pk)] * 2
    assert "extract-download" not in login(users["alice"]).get(reverse("exchange:htcds")).text


def test_an_extract_past_its_time_is_erased(settings, users, login, caseload, work):
    ana = login(users["ana"])
    ana.post(reverse("exchange:htcds_export"), {"scope": "deidentified", "format": "xlsx"})
    work()
    extract = Extract.objects.get()
    later = extract.expires_at + datetime.timedelta(seconds=1)
    assert extracts.purge_expired(now=extract.expires_at - datetime.timedelta(seconds=1)) == 0
    assert extracts.purge_expired(now=later) == 1
    extract.refresh_from_db()
    assert extract.status == "expired" and bytes(extract.content) == b""
    response = ana.get(reverse("exchange:extract_download", args=[extract.pk]))
    assert response.status_code == 302
    assert "expired" in ana.get(response.url).text
    assert extract.expires_at - extract.finished_at == datetime.timedelta(
        hours=settings.HIMAYA_EXPORT_HOURS
    )
    assert extract.finished_at <= timezone.now()


def test_an_extract_no_worker_finished_ends_as_failed(
    users, login, caseload, django_capture_on_commit_callbacks
):
    login(users["ana"]).post(reverse("exchange:htcds_ctdc"))
    extract = Extract.objects.get()
    asked = extract.created_at
    extracts.purge_expired(now=asked + extracts.LOST_AFTER - datetime.timedelta(seconds=1))
    extract.refresh_from_db()
    assert extract.status == "queued"
    with django_capture_on_commit_callbacks(execute=True):  # the notice goes when it commits
        extracts.purge_expired(now=asked + extracts.LOST_AFTER + datetime.timedelta(seconds=1))
    extract.refresh_from_db()
    assert extract.status == "failed"
    told = Notification.objects.get(recipient=users["ana"], kind=Kind.JOB_FAILED)
    assert told.reference == f"#{extract.pk}"


def test_an_analyst_who_left_gets_no_extract_built(users, orgs, login, caseload, work):
    login(users["ana"]).post(reverse("exchange:htcds_ctdc"))
    users["ana"].memberships.filter(organisation=orgs["commission"]).update(active=False)
    work()
    extract = Extract.objects.get()
    assert extract.status == "failed" and bytes(extract.content) == b""


def _cases(client, org, fmt="csv"):
    return client.post(
        reverse("exchange:htcds_export"), {"scope": "cases", "format": fmt, "organisation": org.pk}
    )


def test_a_large_export_of_the_cases_is_handed_over_as_an_archive_once(
    settings, users, orgs, login, caseload, work
):
    """An organisation's cases with identities, too many to build while the page waits: built
    by the worker, never downloaded as they are, handed over as an encrypted archive with a
    one-time password (the file the page would have put in it), then erased here."""
    alice = login(users["alice"])
    settings.HIMAYA_EXPORT_INLINE_DOSSIERS = 100
    small = _cases(alice, orgs["ngo_a"])
    settings.HIMAYA_EXPORT_INLINE_DOSSIERS = 1
    assert small.status_code == 201
    inline = archive.decrypt(bytes(SecureExport.objects.get().archive), small.context["password"])[
        "htcds-cases.csv"
    ]
    assert b"Diallo" in inline

    response = _cases(alice, orgs["ngo_a"])
    assert response.status_code == 302 and response.url == reverse("exchange:htcds")
    extract = Extract.objects.get()
    assert (extract.kind, extract.status, extract.organisation) == (
        "cases_csv",
        "queued",
        orgs["ngo_a"],
    )
    work()
    extract.refresh_from_db()
    assert extract.status == "ready" and extract.records == 2 and extract.size == len(inline)
    assert b"Diallo" not in bytes(extract.content)  # encrypted at rest
    told = Notification.objects.get(recipient=users["alice"], kind=Kind.JOB_FINISHED)
    assert told.reference == f"#{extract.pk}"
    page = alice.get(reverse("exchange:htcds")).content.decode()
    assert 'data-testid="extract-archive"' in page and 'data-testid="extract-download"' not in page
    assert alice.get(reverse("exchange:extract_download", args=[extract.pk])).status_code == 404

    handed = alice.post(reverse("exchange:extract_archive", args=[extract.pk]))
    assert handed.status_code == 201
    archived = SecureExport.objects.exclude(pk=SecureExport.objects.order_by("pk").first().pk)
    content = archive.decrypt(bytes(archived.get().archive), handed.context["password"])
    assert content == {"htcds-cases.csv": inline}
    extract.refresh_from_db()
    assert extract.status == "archived" and bytes(extract.content) == b""
    assert AuditEvent.objects.filter(action="archive_extract", object_id=str(extract.pk)).exists()
    assert archived.get().expires_at <= extract.expires_at  # kept no longer than the extract
    again = alice.post(reverse("exchange:extract_archive", args=[extract.pk]))
    assert again.status_code == 302 and "already handed over" in alice.get(again.url).text
    assert SecureExport.objects.count() == 2
    page = alice.get(reverse("exchange:htcds")).text
    assert "handed over as an encrypted archive" in page and "extract-archive" not in page


def test_only_the_caseworker_who_asked_gets_the_archive(users, orgs, login, caseload, work):
    _cases(login(users["alice"]), orgs["ngo_a"])
    work()
    extract = Extract.objects.get()
    # Another NGO's caseworker, a colleague of NGO A who does not import its cases, an analyst,
    # the administrator: 404, and no such button on their HTCDS page (where they have one).
    for who in ("bob", "olivia", "ana", "root"):
        client = login(users[who])
        assert (
            client.post(reverse("exchange:extract_archive", args=[extract.pk])).status_code == 404
        )
        page = client.get(reverse("exchange:htcds"))
        assert page.status_code == 404 or 'data-testid="extract-archive"' not in page.text
    assert (
        'data-testid="extract-archive"' in login(users["alice"]).get(reverse("exchange:htcds")).text
    )
    # A de-identified extract has no archive to make: the analyst downloads it.
    login(users["ana"]).post(reverse("exchange:htcds_ctdc"))
    work()
    ctdc = Extract.objects.get(kind="ctdc")
    assert (
        login(users["ana"]).post(reverse("exchange:extract_archive", args=[ctdc.pk])).status_code
        == 404
    )
    assert Extract.objects.get(pk=extract.pk).status == "ready"  # nobody took it


def test_a_casework_importer_who_left_gets_no_export_built(users, orgs, login, caseload, work):
    _cases(login(users["alice"]), orgs["ngo_a"])
    users["alice"].memberships.filter(organisation=orgs["ngo_a"]).update(active=False)
    work()
    extract = Extract.objects.get()
    assert extract.status == "failed" and bytes(extract.content) == b""


def test_an_erasure_ends_the_extracts_being_prepared_and_erases_the_ready_ones(
    users, orgs, login, caseload, work, django_capture_on_commit_callbacks
):
    """A person's erasure: a ready extract may hold her row, one being prepared may have read it
    already; both are asked for again, their owners told of the one that failed. An analyst's
    extract covers every organisation; another organisation's cases are left alone."""
    alice = login(users["alice"])
    _cases(alice, orgs["ngo_a"])
    login(users["ana"]).post(reverse("exchange:htcds_ctdc"))
    work()
    _cases(alice, orgs["ngo_a"], fmt="xlsx")
    other = background.queue_extract(users["bob"], Extract.Kind.CASES_CSV, orgs["ngo_b"].pk)
    ready, queued = (
        Extract.objects.get(kind="cases_csv", owner=users["alice"]),
        Extract.objects.get(kind="cases_xlsx"),
    )
    hers = Dossier.objects.filter(owner_org=orgs["ngo_a"]).values_list("pk", flat=True)[:1]
    with django_capture_on_commit_callbacks(execute=True):
        assert files.purge_extracts(hers) == 3
    ready.refresh_from_db()
    queued.refresh_from_db()
    assert (ready.status, bytes(ready.content)) == ("expired", b"")
    assert queued.status == "failed"
    assert Extract.objects.get(kind="ctdc").status == "expired"
    told = Notification.objects.get(recipient=users["alice"], kind=Kind.JOB_FAILED)
    assert told.reference == f"#{queued.pk}"
    work()  # the worker finds nothing left to build for NGO A, builds NGO B's
    queued.refresh_from_db()
    other.refresh_from_db()
    assert queued.status == "failed" and bytes(queued.content) == b""
    assert other.status == "ready"


def test_an_erasure_empties_the_archives_of_her_organisations_cases(
    settings, users, orgs, login, caseload
):
    """An archive of an organisation's cases not yet downloaded may hold the person erased when
    the organisation owns one of her dossiers: emptied, as an archive about her is."""
    from himaya.people.models import Person

    settings.HIMAYA_EXPORT_INLINE_DOSSIERS = 100
    assert _cases(login(users["alice"]), orgs["ngo_a"]).status_code == 201
    dossier = Dossier.objects.filter(owner_org=orgs["ngo_a"]).select_related("person").first()
    elsewhere = f.dossier(users["carol"], orgs["police"])
    assert files.purge_exports(elsewhere.person, [elsewhere.pk]) == 0
    assert files.purge_exports(dossier.person, [dossier.pk]) == 1
    export = SecureExport.objects.get()
    assert bytes(export.archive) == b"" and export.purged_at is not None
    assert Person.objects.filter(pk=dossier.person_id).exists()  # only the file was touched
