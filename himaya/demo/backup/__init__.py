"""Backups (QUALITY.md R3): `himaya backup` and `himaya restore`. See archive.py."""

from .archive import default_path, make_backup, restore_backup
from .checksums import database_manifest, differences, extra_database, settings_for
from .engines import BackupError

__all__ = [
    "BackupError",
    "database_manifest",
    "default_path",
    "differences",
    "extra_database",
    "make_backup",
    "restore_backup",
    "settings_for",
]
