"""S18 across the site: every export that holds personal data (the justice registers with their
suspects, the dossier PDF) leaves as an AES-256 zip archive that only its one-time password
opens; no such export answers with a plain file. Figures-only exports (the annual report, the
public statistics) stay plain: docs/exports.md lists which is which."""

import io
import re
import zipfile

import pytest
import pyzipper
from django.urls import reverse
from openpyxl import load_workbook

from himaya.audit.models import AuditEvent
from himaya.cases import actions as cases_actions
from himaya.exchange import services
from himaya.exchange.tests.helpers import workbook
from himaya.secure_exports import archive as secure_archive
from himaya.secure_exports.models import SecureExport
from himaya.secure_exports.tests.test_secure_exports import aes_strengths
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = re.compile(r'data-testid="export-password">([^<]+)<')
ARCHIVE = re.compile(r'action="(/exports/[0-9a-f-]+/download/)"')
NAMES = ("Mohammed", "Alaoui", "Karim", "كريم")


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def records(users, orgs):
    services.run_import(
        workbook(), "r.xlsx", user=users["paula"], organisation=orgs["parquet"], commit=True
    )
    person = f.person(
        users["alice"], orgs["ngo_a"], given_name_lat="Mohammed", family_name_lat="Alaoui"
    )
    dossier = f.dossier(users["alice"], orgs["ngo_a"], the_person=person)
    # NGO B reads it without the identity: its PDF names no one, and is still a dossier's.
    cases_actions.grant_access(
        dossier,
        acting_user=users["alice"],
        organisation=orgs["ngo_b"],
        reason="follow-up",
        with_identity=False,
    )
    return dossier


def _pdf_text(data):
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument(data)
    return " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def _xlsx_text(data):
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row)


def test_every_personal_data_export_is_an_encrypted_archive(users, login, records, figure):
    dossier = records
    requests = [
        ("paula", reverse("exchange:export"), "himaya-export.xlsx", _xlsx_text, ("Karim",)),
        ("carol", reverse("exchange:export"), "himaya-export.xlsx", _xlsx_text, ()),
        ("alice", reverse("cases:pdf", args=[dossier.pk]), f"{dossier.reference}.pdf", _pdf_text,
         ("Mohammed", "Alaoui")),
        ("bob", reverse("cases:pdf", args=[dossier.pk]), f"{dossier.reference}.pdf", _pdf_text,
         ()),
    ]  # fmt: skip
    archives = opened = plain = 0
    for name, url, inner, read, expected in requests:
        client = login(users[name])
        page = client.post(url)
        # The answer to the request is a page, never the file itself.
        if page.status_code != 201 or "attachment" in page.get("Content-Disposition", ""):
            plain += 1
            continue
        html = page.content.decode()
        assert not any(word in html for word in NAMES)
        password = PASSWORD.search(html).group(1)
        download = client.post(ARCHIVE.search(html).group(1))
        data = download.content
        if download["Content-Type"] != "application/zip" or aes_strengths(data) != [3]:
            plain += 1
            continue
        archives += 1
        assert not any(word.encode() in data for word in NAMES)  # nothing readable inside
        for wrong in (secure_archive.new_password(), password.upper(), ""):
            with pytest.raises(RuntimeError), pyzipper.AESZipFile(io.BytesIO(data)) as zf:
                zf.setpassword(wrong.encode())
                zf.read(inner)
        with pytest.raises(RuntimeError), zipfile.ZipFile(io.BytesIO(data)) as zf:
            zf.read(inner)  # the standard library reads no AES archive without a password
        with pyzipper.AESZipFile(io.BytesIO(data)) as zf:
            zf.setpassword(password.encode())
            assert zf.namelist() == [inner]
            text = read(zf.read(inner))
        opened += 1
        for word in expected:
            assert word in text, (name, word)
        # Audited at creation and at download; a second download is refused.
        export = SecureExport.objects.get(token=ARCHIVE.search(html).group(1).split("/")[2])
        assert export.owner_id == users[name].pk and bytes(export.archive) == b""
        rows = AuditEvent.objects.filter(object_id=str(export.pk), object_type__contains="secure")
        assert sorted(r.action for r in rows) == ["export_create", "export_download"]
        assert client.post(ARCHIVE.search(html).group(1)).status_code == 302
    assert archives == opened == len(requests) and plain == 0
    figure(
        f"S18: {len(requests)} personal-data exports → {archives} encrypted archives "
        f"(AES-256), opened only with their password; {plain} plain"
    )
