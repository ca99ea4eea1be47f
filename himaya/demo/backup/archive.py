"""`himaya backup` and `himaya restore`: one encrypted file holding the database, the uploads
and a manifest of what they hold.

The file is an age file (X25519, through pyrage, the bindings of the Rust implementation): a
tar of manifest.json, manifest.mac, the database copy and files/<store>/<path>. It is encrypted
to the public keys of HIMAYA_BACKUP_RECIPIENTS, so the server that writes backups cannot read
them, and opened with the secret key HIMAYA_BACKUP_IDENTITY, kept elsewhere. age authenticates
every chunk: a damaged or altered file is refused, never half read.

The field encryption keys are never in a backup. The manifest names them by key ids derived
from them (HKDF, one-way) and is authenticated by an HMAC under a key derived from the newest
of them, so a restore refuses a backup whose personal data the configured keys cannot read,
and a manifest that someone holding only the age public key rewrote.
"""

import base64
import hashlib
import hmac
import io
import json
import os
import shutil
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pyrage
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import engines
from .checksums import database_manifest, differences
from .engines import BackupError

FORMAT = 1
MANIFEST, MAC = "manifest.json", "manifest.mac"


# Keys ------------------------------------------------------------------------------------


def _derive(field_key: str, purpose: bytes) -> bytes:
    material = base64.urlsafe_b64decode(field_key.encode("ascii"))
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"himaya backup " + purpose)
    return hkdf.derive(material)


def key_id(field_key: str) -> str:
    return _derive(field_key, b"key id")[:12].hex()


def manifest_mac(manifest_bytes: bytes, field_key: str) -> str:
    return hmac.new(_derive(field_key, b"manifest"), manifest_bytes, hashlib.sha256).hexdigest()


def _local_identity():
    """Development and tests only: a key pair made once under var/, like the other keys."""
    path = Path(settings.VAR_DIR) / "backup-identity.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(f"{pyrage.x25519.Identity.generate()}\n")
    return path.read_text(encoding="ascii").strip()


def _identity_text():
    if settings.HIMAYA_BACKUP_IDENTITY or settings.HIMAYA_BACKUP_RECIPIENTS:
        return settings.HIMAYA_BACKUP_IDENTITY
    return "" if settings.PRODUCTION else _local_identity()


def identities():
    lines = [
        line.strip()
        for line in _identity_text().replace(",", "\n").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    if not lines:
        raise BackupError(
            _(
                "No backup key to open backups with: set HIMAYA_BACKUP_IDENTITY (or "
                "HIMAYA_BACKUP_IDENTITY_FILE) to the secret key matching the backups' recipient."
            )
        )
    return [pyrage.x25519.Identity.from_str(line) for line in lines]


def recipients():
    values = [v.strip() for v in settings.HIMAYA_BACKUP_RECIPIENTS.split(",") if v.strip()]
    if values:
        return [pyrage.x25519.Recipient.from_str(v) for v in values]
    if not settings.HIMAYA_BACKUP_IDENTITY and settings.PRODUCTION:
        raise BackupError(
            _(
                "No backup key: set HIMAYA_BACKUP_RECIPIENTS to the public key(s) backups are "
                "encrypted to (README, Backups)."
            )
        )
    return [identity.to_public() for identity in identities()]


# Files -----------------------------------------------------------------------------------


def file_stores():
    """{name: folder} of the files kept beside the database, named so that a restore puts
    them where this machine's settings say, whatever the paths were where the backup was made."""
    stores = {"exchange-pending": Path(settings.VAR_DIR) / "exchange-pending"}
    if getattr(settings, "MEDIA_ROOT", ""):
        stores["media"] = Path(settings.MEDIA_ROOT)
    return stores


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _store_files(stores):
    for name, root in sorted(stores.items()):
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
            yield f"files/{name}/{path.relative_to(root).as_posix()}", path


@contextmanager
def _staging():
    path = Path(tempfile.mkdtemp(prefix="himaya-backup-"))  # mode 0700
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# Backup ----------------------------------------------------------------------------------


def default_path(now=None):
    stamp = (now or timezone.now()).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.HIMAYA_BACKUP_DIR) / f"himaya-{stamp}.age"


def make_backup(connection, output, now=None):
    """Write the backup of connection's database and the file stores to output; return the
    manifest."""
    to = recipients()
    output = Path(output)
    if output.exists():
        raise BackupError(_("%(path)s already exists; choose another name.") % {"path": output})
    engine = engines.engine_of(connection)
    with _staging() as staging:
        dump = staging / engines.DUMP_NAMES[engine]
        tables = engines.snapshot(connection, dump)
        files = {}
        stored = list(_store_files(file_stores()))
        for member, path in stored:
            files[member] = {"size": path.stat().st_size, "sha256": _sha256(path)}
        keys = settings.FIELD_ENCRYPTION_KEYS
        manifest = {
            "format": FORMAT,
            "created_at": (now or timezone.now()).isoformat(),
            "engine": engine,
            "database": {"name": dump.name, "size": dump.stat().st_size, "sha256": _sha256(dump)},
            "field_keys": [key_id(k) for k in keys],
            "tables": tables,
            "files": files,
        }
        manifest_bytes = json.dumps(manifest, indent=1, sort_keys=True).encode()
        tar_path = staging / "backup.tar.gz"
        with tarfile.open(tar_path, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, manifest_bytes)
            _add_bytes(tar, MAC, manifest_mac(manifest_bytes, keys[0]).encode())
            tar.add(dump, arcname=dump.name)
            for member, path in stored:
                tar.add(path, arcname=member)
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(tar_path, "rb") as plain, os.fdopen(fd, "wb") as sealed:
            pyrage.encrypt_io(plain, sealed, to)
        partial.replace(output)
    return manifest


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


# Restore ---------------------------------------------------------------------------------


def _open(archive, staging):
    """Decrypt archive into staging; return the tar's path."""
    tar_path = staging / "backup.tar.gz"
    try:
        with open(archive, "rb") as sealed, open(tar_path, "wb") as plain:
            pyrage.decrypt_io(sealed, plain, identities())
    except FileNotFoundError as exc:
        raise BackupError(_("No backup at %(path)s.") % {"path": archive}) from exc
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise BackupError(
                _(
                    "This backup cannot be opened with the configured backup key "
                    "(HIMAYA_BACKUP_IDENTITY): it was encrypted to another key. Nothing was "
                    "restored."
                )
            ) from exc
        raise _damaged() from exc
    except OSError as exc:  # age's authentication of a chunk failed: altered or cut short
        raise _damaged() from exc
    return tar_path


def _damaged():
    return BackupError(
        _(
            "This backup is damaged or was altered: it fails its integrity check. Nothing was "
            "restored."
        )
    )


def _verified_manifest(tar):
    try:
        manifest_bytes = tar.extractfile(MANIFEST).read()
        mac = tar.extractfile(MAC).read().decode("ascii").strip()
        manifest = json.loads(manifest_bytes)
        wanted = list(manifest["field_keys"])
    except (KeyError, AttributeError, ValueError, TypeError) as exc:
        raise _damaged() from exc
    configured = {key_id(k): k for k in settings.FIELD_ENCRYPTION_KEYS}
    missing = [k for k in wanted if k not in configured]
    if missing or not wanted:
        raise BackupError(
            _(
                "This backup was made with %(count)d field encryption key(s) that are not "
                "configured here (HIMAYA_FIELD_KEYS). Without them its personal data cannot be "
                "read, by design: configure the field keys the backup was made with. Nothing "
                "was restored."
            )
            % {"count": len(missing) or 1}
        )
    if not hmac.compare_digest(manifest_mac(manifest_bytes, configured[wanted[0]]), mac):
        raise BackupError(
            _(
                "This backup's manifest was altered: it fails its authentication. Nothing was "
                "restored."
            )
        )
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("This backup has format %(found)s; this version of Himaya reads format %(known)s.")
            % {"found": manifest.get("format"), "known": FORMAT}
        )
    return manifest


def _mismatch(where):
    return BackupError(
        _("The restored data does not match the backup's manifest (%(where)s). Nothing was kept.")
        % {"where": where}
    )


def restore_backup(connection, archive):
    """Restore archive into connection's empty database and the empty file stores; check the
    manifest before and after. Return the manifest."""
    engine = engines.engine_of(connection)
    with _staging() as staging:
        with tarfile.open(_open(archive, staging), "r:gz") as tar:
            manifest = _verified_manifest(tar)
            if manifest["engine"] != engine:
                raise BackupError(
                    _(
                        "This is a backup of a %(backup)s database; it can only be restored into "
                        "%(backup)s, not %(target)s."
                    )
                    % {"backup": manifest["engine"], "target": engine}
                )
            expected = {manifest["database"]["name"], MANIFEST, MAC, *manifest["files"]}
            members = {m.name: m for m in tar.getmembers() if m.isfile()}
            if set(members) != expected:
                raise _damaged()
            tar.extractall(staging / "content", members=members.values(), filter="data")
        content = staging / "content"
        checks = {manifest["database"]["name"]: manifest["database"], **manifest["files"]}
        for member, facts in checks.items():
            if _sha256(content / member) != facts["sha256"]:
                raise _mismatch(member)
        if not engines.is_empty(connection):
            raise BackupError(
                _(
                    "The database is not empty. Restore only into an empty database made for it "
                    "(a new SQLite file, or a PostgreSQL database just created). Nothing was "
                    "restored."
                )
            )
        stores = file_stores()
        targets = _file_targets(manifest, stores)
        dump = content / manifest["database"]["name"]
        if engine == "sqlite":
            # Checked before it is copied in: a mismatch leaves the target untouched.
            with engines.sqlite_file(connection, dump) as copy:
                found = differences(manifest["tables"], database_manifest(copy))
            if found:
                raise _mismatch(", ".join(found[:5]))
        engines.load(connection, dump)
        found = differences(manifest["tables"], database_manifest(connection))
        if found:
            engines.empty(connection)
            raise _mismatch(", ".join(found[:5]))
        for member, target in targets:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copyfile(content / member, target)
            target.chmod(0o600)
    return manifest


def _file_targets(manifest, stores):
    targets = []
    for member in manifest["files"]:
        _, store, relative = member.split("/", 2)
        if store not in stores:
            raise BackupError(
                _("This backup holds files of %(store)s, which this installation does not have.")
                % {"store": store}
            )
        target = stores[store] / relative
        if not target.resolve().is_relative_to(stores[store].resolve()):
            raise _damaged()
        if target.exists():
            raise BackupError(
                _(
                    "%(path)s already exists: restore the files only into empty folders. Nothing "
                    "was restored."
                )
                % {"path": target}
            )
        targets.append((member, target))
    return targets
