"""The HTCDS page: dry run, commit on the run page, encrypted export, de-identified export and
CTDC extract; outsiders get 404, another organisation's caseworker sees none of the cases."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from himaya.cases.models import Dossier
from himaya.exchange.htcds import standard
from himaya.exchange.models import ImportRun
from himaya.secure_exports import archive
from himaya.secure_exports.models import Kind, SecureExport

from .test_htcds_helpers import PLAIN_TEMPLATE, VALIDATION_TEMPLATE, filled
from .test_htcds_import import ngo_rows

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def upload(client, data):
    return client.post(
        reverse("exchange:htcds"),
        {"file": SimpleUploadedFile("cases.xlsx", data, content_type=XLSX)},
    )


def test_dry_run_then_commit(users, login):
    client = login(users["alice"])
    assert client.get(reverse("exchange:htcds")).status_code == 200
    response = upload(client, filled(ngo_rows()))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "exchange:run", args=[run.pk]
    )
    assert run.status == ImportRun.Status.CHECKED and Dossier.objects.count() == 0
    page = client.get(reverse("exchange:run", args=[run.pk]))
    assert page.status_code == 200
    client.post(reverse("exchange:commit", args=[run.pk]))
    assert Dossier.objects.filter(owner_org__name_en="NGO A").count() == 2


def test_dry_run_errors_name_the_htcds_row(users, login):
    rows = ngo_rows()
    rows[1]["prs_Gender"] = "??"
    client = login(users["alice"])
    upload(client, filled(rows))
    run = ImportRun.objects.get()
    page = client.get(reverse("exchange:run", args=[run.pk])).content.decode()
    assert "Case Sheet" in page and "prs_Gender" in page
    assert run.status == ImportRun.Status.REJECTED


def test_a_file_that_is_not_htcds_is_a_form_error(users, login):
    response = upload(login(users["alice"]), b"name,age\r\nx,1\r\n")
    assert response.status_code == 400
    assert "HTCDS template" in response.content.decode()


@pytest.mark.parametrize("name", [VALIDATION_TEMPLATE, PLAIN_TEMPLATE])
def test_the_blank_template_is_a_form_error(users, login, name):
    """IOM's template as it comes (numbered rows, no case typed in): the first thing a new
    user tries. A server error once (an import of no rows); now the form says what to do."""
    client = login(users["alice"])
    for data in (filled([], name=name), ",".join(standard.FIELD_ROW[:5]).encode() + b"\r\n"):
        response = upload(client, data)
        assert response.status_code == 400
        assert "The file has no cases" in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("who", ["charlie", "root"])
def test_outsiders_get_404(users, login, who):
    client = login(users[who])
    assert client.get(reverse("exchange:htcds")).status_code == 404
    assert (
        client.post(
            reverse("exchange:htcds_export"), {"scope": "cases", "format": "xlsx"}
        ).status_code
        == 404
    )
    assert client.post(reverse("exchange:htcds_ctdc")).status_code == 404


def test_encrypted_export_holds_only_the_organisation_cases(users, orgs, login):
    alice = login(users["alice"])
    upload(alice, filled(ngo_rows()))
    alice.post(reverse("exchange:commit", args=[ImportRun.objects.get().pk]))
    bob = login(users["bob"])
    refused = bob.post(
        reverse("exchange:htcds_export"),
        {"scope": "cases", "format": "xlsx", "organisation": orgs["ngo_a"].pk},
    )
    assert refused.status_code == 302 and not SecureExport.objects.exists()
    assert "Choose a format and an organisation." in bob.get(refused.url).text
    # The page's form always names one of the user's organisations: no empty choice to refuse.
    page = bob.get(reverse("exchange:htcds")).text
    assert "---------" not in page and f'value="{orgs["ngo_b"].pk}"' in page
    response = bob.post(
        reverse("exchange:htcds_export"),
        {"scope": "cases", "format": "csv", "organisation": orgs["ngo_b"].pk},
    )
    assert response.status_code == 201
    export = SecureExport.objects.get(owner=users["bob"])
    assert export.kind == Kind.HTCDS and "HTCDS case records" in response.content.decode()
    content = archive.decrypt(bytes(export.archive), response.context["password"])
    assert b"Diallo" not in content["htcds-cases.csv"]
    response = alice.post(
        reverse("exchange:htcds_export"),
        {"scope": "cases", "format": "xlsx", "organisation": orgs["ngo_a"].pk},
    )
    export = SecureExport.objects.get(owner=users["alice"])
    content = archive.decrypt(bytes(export.archive), response.context["password"])
    sheet = load_workbook(io.BytesIO(content["htcds-cases.xlsx"]))["Case Sheet"]
    assert {sheet.cell(row=r, column=5).value for r in (3, 4)} == {"Diallo", "الزهراء"}


def test_analyst_downloads_deidentified_rows_and_the_extract(users, login):
    alice = login(users["alice"])
    upload(alice, filled(ngo_rows()))
    alice.post(reverse("exchange:commit", args=[ImportRun.objects.get().pk]))
    ana = login(users["ana"])
    response = ana.post(
        reverse("exchange:htcds_export"), {"scope": "deidentified", "format": "csv"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert b"Diallo" not in response.content and b"1999" in response.content
    assert (
        ana.post(reverse("exchange:htcds_export"), {"scope": "cases", "format": "csv"}).status_code
        == 404
    )
    response = ana.post(reverse("exchange:htcds_ctdc"))
    wb = load_workbook(io.BytesIO(response.content))
    assert wb["CTDC extract"].max_row == 1  # two victims: both withheld
    assert "withheld: 2" in wb["report"].cell(row=2, column=1).value


@pytest.mark.parametrize(
    "who, shown",
    [("alice", True), ("paula", True), ("carol", True), ("olivia", False)],
)
def test_the_imports_tabs_link_the_page_for_those_who_may_use_it(users, login, who, shown):
    """The casework importers (an NGO's caseworker, a prosecutor, a police investigator: whoever
    opens dossiers in the pages) see the tab and the link on the casework import page; an
    organisation admin, who opens no dossier, sees neither and gets 404 on the page."""
    client = login(users[who])
    page = client.get(reverse("exchange:import") + "?register=casework")
    assert page.status_code in (200, 404)
    html = page.content.decode()
    assert ('data-testid="htcds-tab"' in html) is shown
    assert ('data-testid="htcds-link"' in html) is shown
    htcds = client.get(reverse("exchange:htcds"))
    assert htcds.status_code == (200 if shown else 404)
    if shown:
        assert 'data-testid="htcds-tab"' in htcds.content.decode()


def test_the_analyst_page_has_no_import_tabs(users, login):
    html = login(users["ana"]).get(reverse("exchange:htcds")).content.decode()
    assert 'data-testid="htcds-deidentified"' in html and 'data-testid="htcds-tab"' not in html


def test_the_menu_leads_an_analyst_to_the_htcds_page(users, login):
    """An analyst imports nothing, so has no 'Imports' menu: the menu links the HTCDS page
    (de-identified records, CTDC extract) instead; an importer reaches it by the import tabs."""
    url = reverse("exchange:htcds")
    analyst_home = login(users["ana"]).get(reverse("home")).content.decode()
    assert f'href="{url}"' in analyst_home
    importer_home = login(users["alice"]).get(reverse("home")).content.decode()
    assert f'href="{url}"' not in importer_home
    assert f'href="{reverse("exchange:import")}"' in importer_home
    assert f'href="{url}"' not in login(users["olivia"]).get(reverse("home")).content.decode()
