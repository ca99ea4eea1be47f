"""R3: `himaya backup` then `himaya restore` into an empty database gives identical row counts and
checksums, on the engine the suite runs on (SQLite, or PostgreSQL with DATABASE_URL); a backup
that was altered, that the backup key does not open, or whose field keys are not configured is
refused, and leaves the database empty."""

import importlib
import io
import json
import subprocess
import tarfile
import uuid
from contextlib import contextmanager

import pyrage
import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connections

from himaya.demo.backup import database_manifest, differences, extra_database, settings_for
from himaya.demo.backup.archive import MAC, MANIFEST, manifest_mac
from himaya.people.models import Person
from himaya.testing import factories as f

# pg_dump reads committed data; the code lists that migrations load come back after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CANARY_LAT, CANARY_AR = "Qandisaya", "قنديسة"
TRIGGERS = importlib.import_module("himaya.audit.migrations.0002_append_only_triggers")


@pytest.fixture(autouse=True)
def audit_trail_emptied_after(transactional_db):
    """The test database is emptied after each test here, and SQLite empties it with DELETE,
    which the audit trail's append-only triggers refuse: lift them for that moment only."""
    yield
    connection = connections["default"]
    with connection.schema_editor() as editor:
        TRIGGERS.drop(None, editor)
        for table in TRIGGERS.TABLES:
            editor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
        TRIGGERS.create(None, editor)


@pytest.fixture
def backup_keys(settings, tmp_path):
    identity = pyrage.x25519.Identity.generate()
    settings.HIMAYA_BACKUP_RECIPIENTS = str(identity.to_public())
    settings.HIMAYA_BACKUP_IDENTITY = str(identity)
    return identity


@pytest.fixture
def machine(settings, tmp_path):
    """The folders of the machine being backed up: uploads and pending imports."""

    def place(name):
        settings.VAR_DIR = tmp_path / name / "var"
        settings.MEDIA_ROOT = tmp_path / name / "media"
        return settings.VAR_DIR, settings.MEDIA_ROOT

    return place


@pytest.fixture
def caseload(machine):
    """Records written through the actions, and files in both stores."""
    orgs = f.standard_organisations()
    users = f.standard_users(orgs)
    alice = users["alice"]
    for i, forms in enumerate([("sexual",), ("labour", "begging"), ("domestic_servitude",)]):
        person = f.person(
            alice,
            orgs["ngo_a"],
            given_name_lat=f"{CANARY_LAT}{'x' * i}",
            given_name_ar=CANARY_AR,
            family_name_lat="Berrada",
        )
        f.dossier(alice, orgs["ngo_a"], person, forms=forms)
    var, media = machine("source")
    (var / "exchange-pending").mkdir(parents=True)
    (var / "exchange-pending" / "tok.upload").write_bytes(b"PK\x03\x04 a pending workbook")
    (media / "exports" / "2025").mkdir(parents=True)
    (media / "exports" / "2025" / "register.zip").write_bytes(bytes(range(256)) * 40)
    return users


@contextmanager
def fresh_database(tmp_path):
    """The address of a new, empty database of the suite's engine, and a connection to it; the
    database is gone after the block."""
    default = connections["default"]
    if default.vendor == "sqlite":
        url = f"sqlite:///{tmp_path / uuid.uuid4().hex}.sqlite3"
        with extra_database(settings_for(url, default)) as restored:
            yield url, restored
        return
    name = f"himaya_restore_{uuid.uuid4().hex[:12]}"
    s = default.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{name}"
    with default.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        with extra_database(settings_for(url, default)) as restored:
            yield url, restored
    finally:
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def run(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue().strip()


def tables_of(connection):
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def test_drill_restores_identical_counts_checksums_and_files(
    backup_keys, caseload, machine, tmp_path, figure
):
    archive = tmp_path / "drill.age"
    said = run("backup", output=archive)
    assert "Backup written to" in said
    source = database_manifest(connections["default"])
    _, source_media = machine("source")
    source_files = {
        p.relative_to(source_media): p.read_bytes() for p in source_media.rglob("*") if p.is_file()
    }

    var, media = machine("fresh")
    with fresh_database(tmp_path) as (url, restored):
        said = run("restore", archive, database_url=url)
        assert "counts and checksums match its manifest" in said
        after = database_manifest(restored)
        # The names read back through the field keys.
        field = Person._meta.get_field("given_name_lat")
        with restored.cursor() as cursor:
            cursor.execute(f"SELECT {field.column} FROM people_person")  # noqa: S608
            names = [field.from_db_value(v, None, restored) for (v,) in cursor.fetchall()]
        assert sorted(names) == [CANARY_LAT, CANARY_LAT + "x", CANARY_LAT + "xx"]

    assert differences(source, after) == []
    assert after == source
    with tarfile.open(fileobj=io.BytesIO(decrypt(archive, backup_keys))) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    assert manifest["tables"] == source
    assert (
        var / "exchange-pending" / "tok.upload"
    ).read_bytes() == b"PK\x03\x04 a pending workbook"
    restored_files = {p.relative_to(media): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    assert restored_files == source_files and len(restored_files) == 1
    rows = sum(t["rows"] for t in source.values())
    assert rows > 100 and source["people_person"]["rows"] == 3
    engine = connections["default"].vendor
    figure(
        f"R3 backup/restore ({engine}): {len(source)} tables, {rows} rows, "
        f"{len(manifest['files'])} files → identical counts and checksums"
    )


def decrypt(archive, identity):
    return pyrage.decrypt(archive.read_bytes(), [identity])


def test_backup_is_unreadable_without_its_key_and_holds_no_name_in_clear(
    backup_keys, caseload, machine, settings, tmp_path, figure
):
    archive = tmp_path / "b.age"
    run("backup", output=archive)
    sealed = archive.read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1")
    for clear in (
        b"SQLite format 3",
        b"PGDMP",
        CANARY_LAT.encode(),
        CANARY_AR.encode(),
        b"Berrada",
    ):
        assert clear not in sealed
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(sealed, [pyrage.x25519.Identity.generate()])

    # Opened with the backup key, the database inside still holds the names encrypted only.
    with tarfile.open(fileobj=io.BytesIO(decrypt(archive, backup_keys))) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
        dump = tar.extractfile(manifest["database"]["name"]).read()
    if manifest["engine"] == "postgresql":
        dump = subprocess.run(
            ["pg_restore", "--file=-"], input=dump, capture_output=True, check=True
        ).stdout
    assert b"people_person" in dump or b"CREATE TABLE" in dump
    hits = sum(dump.count(c.encode()) for c in (CANARY_LAT, CANARY_AR))
    assert hits == 0
    assert not any(
        k.encode() in dump + json.dumps(manifest).encode() for k in settings.FIELD_ENCRYPTION_KEYS
    )

    # Restoring needs the field keys too: another key set is refused and restores nothing.
    machine("fresh")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with fresh_database(tmp_path) as (url, restored):
        with pytest.raises(CommandError, match="field encryption key.*not configured"):
            run("restore", archive, database_url=url)
        assert tables_of(restored) == []
    # And another backup key cannot open it at all.
    settings.HIMAYA_BACKUP_IDENTITY = str(pyrage.x25519.Identity.generate())
    with fresh_database(tmp_path) as (url, restored):
        with pytest.raises(CommandError, match="cannot be opened with the configured backup key"):
            run("restore", archive, database_url=url)
        assert tables_of(restored) == []
    figure(
        f"R3 backup without its keys: {hits} canary names in clear in the decrypted database; "
        "restore refused without the backup key and without field.key"
    )


def reseal(archive, identity, change, mac_key=None):
    """The archive with its manifest changed by change(manifest), encrypted to the same key."""
    with tarfile.open(fileobj=io.BytesIO(decrypt(archive, identity))) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    manifest = json.loads(members[MANIFEST])
    change(manifest)
    members[MANIFEST] = json.dumps(manifest, indent=1, sort_keys=True).encode()
    if mac_key:
        members[MAC] = manifest_mac(members[MANIFEST], mac_key).encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    altered = archive.with_name(f"altered-{uuid.uuid4().hex}.age")
    altered.write_bytes(pyrage.encrypt(out.getvalue(), [identity.to_public()]))
    return altered


def test_altered_backups_are_refused_and_restore_nothing(
    backup_keys, caseload, machine, settings, tmp_path, figure
):
    archive = tmp_path / "b.age"
    run("backup", output=archive)
    machine("fresh")
    refused = 0

    def one_more_person(manifest):
        manifest["tables"]["people_person"]["rows"] += 1

    cases = []
    # A flipped byte in the middle: age's authentication fails.
    flipped = bytearray(archive.read_bytes())
    flipped[len(flipped) // 2] ^= 0x01
    (tmp_path / "flipped.age").write_bytes(bytes(flipped))
    cases.append((tmp_path / "flipped.age", "damaged or was altered"))
    # Cut short.
    (tmp_path / "cut.age").write_bytes(archive.read_bytes()[: len(flipped) // 2])
    cases.append((tmp_path / "cut.age", "damaged or was altered"))
    # A manifest rewritten by someone holding only the backup's public key.
    cases.append((reseal(archive, backup_keys, one_more_person), "manifest was altered"))
    # A manifest that passes its authentication but does not describe the data.
    key = settings.FIELD_ENCRYPTION_KEYS[0]
    cases.append(
        (reseal(archive, backup_keys, one_more_person, mac_key=key), "does not match the backup")
    )
    for path, message in cases:
        with fresh_database(tmp_path) as (url, restored):
            with pytest.raises(CommandError, match=message):
                run("restore", path, database_url=url)
            assert tables_of(restored) == []
            refused += 1
    assert not any((tmp_path / "fresh" / "media").rglob("*.zip"))
    figure(f"R3 altered backups: {refused} of {len(cases)} refused, 0 rows restored")


def test_restore_refuses_a_database_that_is_not_empty(backup_keys, caseload, tmp_path):
    archive = tmp_path / "b.age"
    run("backup", output=archive)
    before = database_manifest(connections["default"])
    with pytest.raises(CommandError, match="database is not empty"):
        run("restore", archive)
    assert database_manifest(connections["default"]) == before
    with pytest.raises(CommandError, match="already exists"):
        run("backup", output=archive)
    with pytest.raises(CommandError, match="No backup at"):
        run("restore", tmp_path / "missing.age")
