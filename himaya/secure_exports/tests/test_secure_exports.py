"""Encrypted exports (S18): an AES-256 zip that only its one-time password opens, the password
stored nowhere (a hash only), one download by its owner only, erased when downloaded or past
its expiry (time injected, never the clock's), every step audited without personal data."""

import datetime
import io
import struct
import zipfile
from zoneinfo import ZoneInfo

import pytest
import pyzipper
from django.contrib.auth.hashers import identify_hasher
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from himaya.audit.models import AccessEvent, AuditEvent
from himaya.secure_exports import actions, archive
from himaya.secure_exports.models import Kind, Refusal, SecureExport

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2025, 12, 3, 14, 5, tzinfo=ZoneInfo("Africa/Casablanca"))
CONTENT = "Suspect: Karim Lahlou, كريم".encode()


def make(user, org, *, on=MOMENT, content=CONTENT, name="himaya-export.xlsx"):
    return actions.do_create_export(
        owner=user,
        organisation_id=org.pk,
        kind=Kind.REGISTERS,
        file_name=name,
        content=content,
        subject=("exchange.export", ""),
        on=on,
    )


def open_zip(data, password):
    with pyzipper.AESZipFile(io.BytesIO(data)) as zf:
        zf.setpassword(password.encode())
        return {name: zf.read(name) for name in zf.namelist()}


def aes_strengths(data):
    """The WinZip AES strength of each entry, read with the standard library (1: AES-128,
    3: AES-256); None for an entry that is not AES-encrypted."""
    strengths = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            extra, strength = info.extra, None
            while len(extra) >= 4:
                header, size = struct.unpack("<HH", extra[:4])
                if header == 0x9901 and info.compress_type == 99 and info.flag_bits & 0x1:
                    strength = extra[4 + 4]  # version (2), vendor "AE" (2), strength (1)
                extra = extra[4 + size :]
            strengths.append(strength)
    return strengths


def test_the_archive_opens_with_its_password_only(users, orgs):
    export, password = make(users["paula"], orgs["parquet"])
    data = bytes(SecureExport.objects.get(pk=export.pk).archive)
    assert open_zip(data, password) == {"himaya-export.xlsx": CONTENT}
    with pytest.raises(RuntimeError):
        open_zip(data, archive.new_password())
    with pytest.raises(RuntimeError):
        open_zip(data, "")
    # AES-256 (WinZip AE strength 3) on the entry, never the broken ZipCrypto; the content is
    # not readable in the stored bytes.
    assert aes_strengths(data) == [3]
    assert b"Lahlou" not in data and "كريم".encode() not in data
    with pytest.raises(RuntimeError), zipfile.ZipFile(io.BytesIO(data)) as plain:
        plain.read("himaya-export.xlsx")


def test_the_password_is_stored_nowhere_only_its_hash(users, orgs):
    export, password = make(users["paula"], orgs["parquet"])
    assert len(password) == 29 and password.count("-") == 5
    row = SecureExport.objects.get(pk=export.pk)
    identify_hasher(row.password_hash)  # a Django hash (argon2), not the password
    assert row.password_matches(password) and not row.password_matches(archive.new_password())
    values = " ".join(str(v) for v in row.__dict__.values())
    audit = " ".join(str(v) for e in AuditEvent.objects.all() for v in e.__dict__.values())
    assert password not in values and password not in audit
    assert "Lahlou" not in audit


def test_passwords_differ_and_use_an_unambiguous_alphabet():
    passwords = {archive.new_password() for _ in range(50)}
    assert len(passwords) == 50
    assert set("".join(passwords)) <= set(archive.ALPHABET + "-")


def test_it_expires_within_24_hours_and_creation_is_audited(users, orgs, settings):
    export, _password = make(users["paula"], orgs["parquet"])
    assert export.created_at == MOMENT
    assert export.expires_at == MOMENT + datetime.timedelta(hours=24)
    event = AuditEvent.objects.get(action="export_create")
    assert event.actor_id == users["paula"].pk and event.organisation_id == orgs["parquet"].pk
    assert (event.object_type, event.object_id) == ("secure_exports.secureexport", str(export.pk))
    settings.HIMAYA_EXPORT_HOURS = 2
    shorter, _password = make(users["paula"], orgs["parquet"])
    assert shorter.expires_at - shorter.created_at == datetime.timedelta(hours=2)


def test_it_downloads_once_then_its_bytes_are_gone(users, orgs):
    paula = users["paula"]
    export, password = make(paula, orgs["parquet"])
    later = MOMENT + datetime.timedelta(hours=1)
    _row, data = actions.do_download_export(export, acting_user=paula, on=later)
    assert open_zip(data, password) == {"himaya-export.xlsx": CONTENT}
    row = SecureExport.objects.get(pk=export.pk)
    assert bytes(row.archive) == b"" and row.downloaded_at == later and row.purged_at == later
    with pytest.raises(actions.ExportUnavailable) as refused:
        actions.do_download_export(export, acting_user=paula, on=later)
    assert refused.value.refusal == Refusal.DOWNLOADED
    rows = AuditEvent.objects.filter(action="export_download").order_by("id")
    assert [(r.outcome, r.changed_fields) for r in rows] == [
        ("ok", ["downloaded_at"]),
        ("denied", ["downloaded"]),
    ]


def test_expiry_is_honoured_and_purges(users, orgs):
    paula = users["paula"]
    export, _password = make(paula, orgs["parquet"])
    just_before = MOMENT + datetime.timedelta(hours=24) - datetime.timedelta(seconds=1)
    assert export.refusal(just_before) is None
    at_expiry = MOMENT + datetime.timedelta(hours=24)
    with pytest.raises(actions.ExportUnavailable) as refused:
        actions.do_download_export(export, acting_user=paula, on=at_expiry)
    assert refused.value.refusal == Refusal.EXPIRED
    row = SecureExport.objects.get(pk=export.pk)
    assert bytes(row.archive) == b"" and row.purged_at == at_expiry and row.downloaded_at is None
    assert AuditEvent.objects.filter(action="export_purge", object_id=str(export.pk)).exists()


def test_the_purge_erases_only_what_is_due(users, orgs):
    paula = users["paula"]
    old, _p = make(paula, orgs["parquet"], on=MOMENT - datetime.timedelta(hours=30))
    fresh, _p = make(paula, orgs["parquet"], on=MOMENT - datetime.timedelta(hours=1))
    assert actions.do_purge_exports(on=MOMENT) == 1
    assert actions.do_purge_exports(on=MOMENT) == 0  # once
    assert bytes(SecureExport.objects.get(pk=old.pk).archive) == b""
    assert bytes(SecureExport.objects.get(pk=fresh.pk).archive) != b""
    assert AuditEvent.objects.filter(action="export_purge").count() == 1


def test_the_purge_runs_with_himaya_notify_and_on_its_own(users, orgs):
    export, _p = make(
        users["paula"], orgs["parquet"], on=timezone.now() - datetime.timedelta(days=2)
    )
    out = io.StringIO()
    call_command("notify", stdout=out)
    assert "exports erased: 1" in out.getvalue()
    assert SecureExport.objects.get(pk=export.pk).purged_at is not None
    out = io.StringIO()
    call_command("purge_exports", stdout=out)
    assert out.getvalue().strip() == "exports erased: 0"


def test_an_export_is_made_only_for_an_organisation_of_the_owner(users, orgs):
    with pytest.raises(PermissionDenied):
        make(users["paula"], orgs["ngo_a"])
    export, _p = make(users["paula"], orgs["parquet"])
    with pytest.raises(PermissionDenied):
        actions.do_download_export(export, acting_user=users["carol"], on=MOMENT)
    assert not SecureExport.objects.filter(organisation=orgs["ngo_a"]).exists()


# --- pages ---------------------------------------------------------------------------------


def fresh(user, org):
    """An export made now (the pages read the clock), valid for a day."""
    return make(user, org, on=timezone.now())


def test_the_download_page_answers_once(users, orgs, login):
    export, password = fresh(users["paula"], orgs["parquet"])
    client = login(users["paula"])
    url = reverse("secure_exports:download", args=[export.token])
    assert client.get(url).status_code == 405  # a POST: no prefetch can use it up
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="himaya-export.zip"'
    assert "no-store" in response["Cache-Control"]
    assert open_zip(response.content, password) == {"himaya-export.xlsx": CONTENT}
    again = client.post(url, follow=True)
    assert again.redirect_chain[-1][0] == reverse("secure_exports:list")
    text = again.content.decode()
    assert "already downloaded: it can be downloaded only once" in text
    assert "application/zip" not in again["Content-Type"]


def test_an_expired_archive_gets_a_clear_message(users, orgs, login):
    export, _p = make(
        users["paula"], orgs["parquet"], on=timezone.now() - datetime.timedelta(hours=25)
    )
    client = login(users["paula"])
    response = client.post(reverse("secure_exports:download", args=[export.token]), follow=True)
    assert "This archive has expired and was erased." in response.content.decode()
    assert SecureExport.objects.get(pk=export.pk).purged_at is not None


@pytest.mark.parametrize("name", ["carol", "alice", "charlie", "root"])
def test_nobody_else_downloads_it(users, orgs, login, name):
    export, _p = fresh(users["paula"], orgs["parquet"])
    client = login(users[name])
    assert client.post(reverse("secure_exports:download", args=[export.token])).status_code == 404
    assert bytes(SecureExport.objects.get(pk=export.pk).archive) != b""
    denied = AccessEvent.objects.get(actor_id=users[name].pk)
    assert denied.outcome == "denied" and denied.object_id == str(export.pk)
    assert not AuditEvent.objects.filter(action="export_download").exists()
    page = client.get(reverse("secure_exports:list"))
    assert page.status_code == 404 or str(export.token) not in page.content.decode()


def test_an_unknown_token_is_a_404(users, login):
    client = login(users["paula"])
    url = reverse("secure_exports:download", args=["0" * 8 + "-0000-4000-8000-" + "0" * 12])
    assert client.post(url).status_code == 404


def test_the_list_shows_the_owners_exports_and_their_state(users, orgs, login):
    paula = users["paula"]
    waiting, _p = fresh(paula, orgs["parquet"])
    done, _p = fresh(paula, orgs["parquet"])
    actions.do_download_export(done, acting_user=paula)
    make(users["carol"], orgs["police"], on=timezone.now())
    html = login(paula).get(reverse("secure_exports:list")).content.decode()
    assert html.count('data-testid="export-row"') == 2
    assert reverse("secure_exports:download", args=[waiting.token]) in html
    assert reverse("secure_exports:download", args=[done.token]) not in html
    assert "already downloaded" in html
    assert login(users["charlie"]).get(reverse("secure_exports:list")).status_code == 404
