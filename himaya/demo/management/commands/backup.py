"""`himaya backup [--output PATH]`: a consistent, encrypted backup of the database and the
uploads, with a manifest of row counts and checksums (README, Backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from himaya.demo.backup import BackupError, default_path, make_backup


class Command(BaseCommand):
    help = "Write an encrypted backup of the database and the uploads, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="the backup file (default: HIMAYA_BACKUP_DIR/himaya-<time>.age)",
        )

    def handle(self, *args, output, **options):
        output = output or default_path()
        try:
            manifest = make_backup(connections[DEFAULT_DB_ALIAS], output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written to %(path)s: %(tables)d tables, %(rows)d rows, %(files)d files.")
                % {
                    "path": output,
                    "tables": len(manifest["tables"]),
                    "rows": rows,
                    "files": len(manifest["files"]),
                }
            )
        )
