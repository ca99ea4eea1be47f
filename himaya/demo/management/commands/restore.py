"""`himaya restore FILE`: restore a backup of `himaya backup` into an empty database and empty
upload folders, checking it against its manifest before and after (README, Backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from himaya.demo.backup import BackupError, extra_database, restore_backup, settings_for


class Command(BaseCommand):
    help = "Restore a backup into an empty database, checking its manifest."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--database-url",
            help="restore into this database instead of DATABASE_URL's (it must be empty)",
        )

    def handle(self, *args, archive, database_url, **options):
        default = connections[DEFAULT_DB_ALIAS]
        try:
            if database_url:
                with extra_database(settings_for(database_url, default)) as target:
                    manifest = restore_backup(target, archive)
            else:
                manifest = restore_backup(default, archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored the backup of %(created)s: %(tables)d tables and %(rows)d rows, "
                    "%(files)d files; counts and checksums match its manifest."
                )
                % {
                    "created": manifest["created_at"],
                    "tables": len(manifest["tables"]),
                    "rows": rows,
                    "files": len(manifest["files"]),
                }
            )
        )
