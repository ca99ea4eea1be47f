"""Import pages: upload and dry run, the errors table, commit, history, templates,
documentation; outsiders get 404; files that are not registers are refused (S19)."""

import io
import re

import pytest
import pyzipper
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from himaya.exchange import pending, reading, services
from himaya.exchange.models import ImportRun
from himaya.justice import models as jm

from .helpers import csv_bytes, justice_counts, sheets, workbook

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def _upload(client, data, name="register.xlsx", content_type=XLSX, **extra):
    return client.post(
        reverse("exchange:import"),
        {"file": SimpleUploadedFile(name, data, content_type=content_type), **extra},
    )


def test_dry_run_then_commit(users, login, private_dir):
    client = login(users["paula"])
    assert client.get(reverse("exchange:import")).status_code == 200
    before = justice_counts()
    data = workbook()
    response = _upload(client, data)
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.CHECKED and run.created == 13
    assert justice_counts()["justice.Investigation"] == before["justice.Investigation"]
    # The file waits in the private directory, named by a random token.
    kept = list((private_dir / "exchange-pending").iterdir())
    assert [p.name for p in kept] == [f"{run.token}.upload"]
    assert oct(kept[0].stat().st_mode & 0o777) == "0o600"
    page = client.get(reverse("exchange:run", args=[run.pk]))
    assert b'data-testid="commit"' in page.content
    response = client.post(reverse("exchange:commit", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.COMMITTED and run.token == ""
    assert jm.Investigation.objects.filter(external_ref="E-2024-01").exists()
    assert list((private_dir / "exchange-pending").iterdir()) == []
    # The same file again: recognised, and nothing to do.
    _upload(client, data)
    again = ImportRun.objects.order_by("-pk").first()
    page = client.get(reverse("exchange:run", args=[again.pk]))
    assert b'data-testid="already-imported"' in page.content
    assert again.created == 0 and again.unchanged == 13
    history = client.get(reverse("exchange:history"))
    assert history.content.count(b'data-testid="import-run"') == 2


def test_bad_rows_are_listed_and_nothing_can_be_committed(users, login):
    client = login(users["paula"])
    data = sheets()
    data["suspects"][1][4] = "martian"
    before = justice_counts()
    _upload(client, workbook(data))
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.REJECTED and run.token == ""
    page = client.get(reverse("exchange:run", args=[run.pk]))
    assert b'data-testid="run-error"' in page.content and b"martian" in page.content
    assert b'data-testid="commit"' not in page.content
    response = client.post(reverse("exchange:commit", args=[run.pk]))
    assert response.status_code == 302
    after = justice_counts()
    assert after.pop("exchange.ImportRun") == 1
    before.pop("exchange.ImportRun")
    assert after == before


def test_errors_in_french(users, login):
    users["paula"].preferred_language = "fr"
    users["paula"].save()
    client = login(users["paula"])
    client.cookies["django_language"] = "fr"
    data = {"enquêtes": [["ref", "opened_on"], ["E1", "2024-13-45"]]}
    _upload(client, workbook(data), HTTP_ACCEPT_LANGUAGE="fr")
    run = ImportRun.objects.get()
    assert run.errors[0]["column"] == "opened_on"


def test_csv_upload_with_kind(users, login):
    client = login(users["carol"])
    data = csv_bytes([["ref", "opened_on", "forms"], ["P-1", "02/02/2024", "labour"]], sep=";")
    _upload(client, data, name="registre.csv", content_type="text/csv", kind="investigations")
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.CHECKED, run.errors
    response = client.post(reverse("exchange:commit", args=[run.pk]), follow=True)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.COMMITTED, (run.errors, response.content[-3000:])
    inv = jm.Investigation.objects.get(external_ref="P-1")
    assert inv.investigating_org.type.code == "police"


@pytest.mark.parametrize(
    "name,data,content_type",
    [
        ("page.csv", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "text/csv"),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
        ("poly.csv", b"ref,opened_on\nE1,2024-01-01\nPK\x03\x04\x14\x00\x00\x00", "text/csv"),
        ("fake.xlsx", b"PK\x03\x04 not a workbook", XLSX),
        ("big.csv", b"ref,opened_on\n" + b"E1,2024-01-01\n" * 400_000, "text/csv"),
    ],
)
def test_files_that_are_not_registers_are_refused(users, login, name, data, content_type):
    client = login(users["paula"])
    response = _upload(client, data, name=name, content_type=content_type)
    assert response.status_code == 400
    assert ImportRun.objects.count() == 0
    if len(data) > reading.MAX_BYTES:
        assert b"too large" in response.content


def test_a_csv_saved_as_unicode_text_is_told_how_to_save_it(users, login):
    """Excel's "Unicode text" is UTF-16: said so, with what to do, instead of "neither an XLSX
    workbook nor a CSV text file" (found by an outside probe)."""
    data = "ref,opened_on\r\nE1,2024-01-01\r\n".encode("utf-16")
    response = _upload(login(users["paula"]), data, name="r.csv", content_type="text/csv")
    assert response.status_code == 400
    assert "UTF-16" in response.content.decode() and not ImportRun.objects.exists()


@pytest.mark.parametrize("name", ["charlie", "alice", "ana", "root", "sam"])
def test_outsiders_get_404(users, login, name):
    run, _result = services.check_upload(
        workbook(),
        "r.xlsx",
        user=users["paula"],
        organisation=users["paula"].memberships.get().organisation,
    )
    client = login(users[name])
    # (alice imports the casework of past years: the justice registers stay closed to her)
    for url in (
        reverse("exchange:import") + "?register=justice",
        reverse("exchange:history") + "?register=justice",
        reverse("exchange:documentation") + "?register=justice",
        reverse("exchange:template_xlsx") + "?register=justice",
        reverse("exchange:template_csv", args=["suspects"]) + "?register=justice",
        reverse("exchange:run", args=[run.pk]),
    ):
        assert client.get(url).status_code == 404, url
    before = justice_counts()
    assert client.post(reverse("exchange:commit", args=[run.pk])).status_code == 404
    assert _upload(client, workbook(), register="justice").status_code == 404
    assert justice_counts() == before


def test_another_justice_organisation_does_not_see_the_run(users, login):
    run, _result = services.check_upload(
        workbook(),
        "r.xlsx",
        user=users["paula"],
        organisation=users["paula"].memberships.get().organisation,
    )
    client = login(users["carol"])  # police: may import, but not the prosecution's runs
    assert client.get(reverse("exchange:run", args=[run.pk])).status_code == 404
    assert client.post(reverse("exchange:commit", args=[run.pk])).status_code == 404
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED


def test_templates_and_documentation(users, login):
    client = login(users["paula"])
    response = client.get(reverse("exchange:template_xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    assert wb.sheetnames[1:] == [
        "investigations",
        "suspects",
        "arrests",
        "prosecutions",
        "charges",
        "decisions",
        "appeals",
        "sentences",
    ]
    assert next(wb["charges"].iter_rows(values_only=True)) == (
        "ref",
        "prosecution_ref",
        "article",
        "form",
        "count",
    )
    response = client.get(reverse("exchange:template_csv", args=["suspects"]))
    assert response.content.startswith("\ufeffref,investigation_ref".encode())
    assert client.get(reverse("exchange:template_csv", args=["nothing"])).status_code == 404
    page = client.get(reverse("exchange:documentation"))
    assert page.status_code == 200
    assert b"investigation_ref" in page.content and b"448.14" in page.content


def test_the_blank_templates_import_cleanly(users, orgs):
    from himaya.exchange import export

    result = services.run_import(
        export.blank_workbook(),
        "blank.xlsx",
        user=users["paula"],
        organisation=orgs["parquet"],
        commit=False,
    )[1]
    assert [e.message for e in result.errors] == ["The file holds no records."]


def test_expired_files_are_deleted(users, orgs, private_dir):
    import datetime

    from django.utils import timezone

    run, _result = services.check_upload(
        workbook(), "r.xlsx", user=users["paula"], organisation=orgs["parquet"]
    )
    # Checked (here at its upload) more than PENDING_HOURS ago.
    past = timezone.now() - datetime.timedelta(hours=pending.PENDING_HOURS + 1)
    ImportRun.objects.filter(pk=run.pk).update(created_at=past, checked_at=past)
    pending.purge_expired()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.EXPIRED and run.token == ""
    assert list((private_dir / "exchange-pending").iterdir()) == []


def test_home_panel(users, orgs):
    from django.template.loader import render_to_string

    from himaya.exchange.home import home_context

    assert home_context(users["alice"]) == {}
    assert home_context(users["charlie"]) == {}
    services.check_upload(workbook(), "r.xlsx", user=users["paula"], organisation=orgs["parquet"])
    context = home_context(users["paula"])
    assert len(context["exchange_waiting"]) == 1
    html = render_to_string("exchange/_home.html", context)
    assert 'data-testid="exchange-panel"' in html and "r.xlsx" in html


def test_a_second_commit_of_the_same_run_writes_nothing(users, orgs):
    run, _result = services.check_upload(
        workbook(), "r.xlsx", user=users["paula"], organisation=orgs["parquet"]
    )
    stale = ImportRun.objects.get(pk=run.pk)
    assert services.commit_run(run, user=users["paula"]).committed
    counts = justice_counts()
    # A second tab still holding the checked run: its file is gone, nothing is imported twice.
    with pytest.raises(FileNotFoundError):
        services.commit_run(stale, user=users["paula"])
    assert justice_counts() == counts


def test_export_download_is_a_post_and_audited(users, login, orgs):
    from himaya.audit.models import AuditEvent

    services.run_import(
        workbook(), "r.xlsx", user=users["paula"], organisation=orgs["parquet"], commit=True
    )
    client = login(users["paula"])
    assert client.get(reverse("exchange:export")).status_code == 405
    response = client.post(reverse("exchange:export"))
    # An encrypted archive (S18): the answer is the page with its one-time password.
    assert response.status_code == 201 and response["Content-Type"].startswith("text/html")
    wb = load_workbook(io.BytesIO(exported(client, response)), read_only=True)
    refs = [row[0] for row in wb["charges"].iter_rows(min_row=2, values_only=True)]
    assert refs == ["C1", "C2"]
    event = AuditEvent.objects.filter(action="export_registers").get()
    assert event.actor_id == users["paula"].pk and "suspects" in event.changed_fields
    assert AuditEvent.objects.filter(action="export_create", actor_id=users["paula"].pk).exists()
    # Another justice organisation exports what it sees: none of these.
    other = login(users["carol"])
    wb = load_workbook(
        io.BytesIO(exported(other, other.post(reverse("exchange:export")))), read_only=True
    )
    assert list(wb["charges"].iter_rows(min_row=2, values_only=True)) == []
    assert login(users["alice"]).post(reverse("exchange:export")).status_code == 404


def exported(client, page):
    """The workbook of an export: the archive downloaded from the page that shows its
    password, opened with that password."""
    html = page.content.decode()
    password = re.search(r'data-testid="export-password">([^<]+)<', html).group(1)
    archive = client.post(re.search(r'action="(/exports/[0-9a-f-]+/download/)"', html).group(1))
    assert archive["Content-Disposition"] == 'attachment; filename="himaya-export.zip"'
    with pyzipper.AESZipFile(io.BytesIO(archive.content)) as zf:
        zf.setpassword(password.encode())
        return zf.read("himaya-export.xlsx")
