"""``himaya import-justice FILE --org ID --user USERNAME [--commit] [--register casework]``:
import a justice register (XLSX workbook or CSV file) from the command line, with the same
checks as the import page; ``--register casework`` imports the casework of past years instead
(exchange/casework.py).

Without ``--commit`` it is a dry run: every row is checked, errors listed, nothing written. With
``--commit`` it writes everything or nothing (QUALITY R2) and records the run. The user must
be able to import for the organisation (core.access, "Exchange")."""

import os
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from himaya.accounts.models import Organisation
from himaya.exchange import permissions, reading, services
from himaya.exchange.casework import KINDS as CASEWORK_KINDS
from himaya.exchange.justice import KINDS

# Test-only: seconds to wait after each row, so that a test can kill the process mid-import.
DELAY_ENV = "HIMAYA_IMPORT_ROW_DELAY"


class Command(BaseCommand):
    help = "Import a justice register (XLSX or CSV): a dry run unless --commit."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", type=int, required=True, help="organisation id")
        parser.add_argument("--user", required=True, help="username of the importing member")
        parser.add_argument("--commit", action="store_true", help="write the records")
        parser.add_argument(
            "--confirm-warnings",
            action="store_true",
            help="confirm the dates the dry run listed as warnings (needed to commit them)",
        )
        parser.add_argument(
            "--kind",
            choices=sorted({k.key for k in KINDS} | {k.key for k in CASEWORK_KINDS}),
            help="kind of a CSV file",
        )
        parser.add_argument(
            "--register",
            choices=services.REGISTERS,
            default=services.JUSTICE,
            help="justice registers (default) or casework of past years",
        )

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError("unknown or inactive user")
        organisation = Organisation.objects.filter(pk=options["org"]).first()
        register = options["register"]
        language = user.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            reason = permissions.refusal(user, organisation, register)
        if reason is not None:
            raise CommandError(f"this user cannot import for this organisation: {reason}")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        with translation.override(language):
            try:
                run, result = services.import_file(
                    data,
                    path.name,
                    user=user,
                    organisation=organisation,
                    commit=options["commit"],
                    kind=options.get("kind"),
                    on_row=self._on_row(options["verbosity"] >= 2),
                    register=register,
                    confirm_warnings=options["confirm_warnings"],
                )
            except reading.FileRefused as exc:
                raise CommandError(str(exc)) from exc
            self._report(run, result, options["confirm_warnings"])

    def _on_row(self, verbose):
        """Progress: each row named at verbosity 2; slowed down by DELAY_ENV outside
        production (tests that stop an import midway)."""
        delay = float(os.environ.get(DELAY_ENV) or 0) if not settings.PRODUCTION else 0

        def on_row(row):
            if verbose:
                self.stdout.write(f"row {row.sheet}:{row.number}")
                sys.stdout.flush()
            if delay:
                time.sleep(delay)

        return on_row

    def _report(self, run, result, confirmed):
        for warning in result.warnings:
            where = f"{warning.sheet}:{warning.row}" + (
                f":{warning.column}" if warning.column else ""
            )
            self.stderr.write(f"warning {where}: {warning.message}")
        for error in result.errors:
            where = f"{error.sheet}:{error.row}" + (f":{error.column}" if error.column else "")
            more = f" (and {error.dependants} rows that depend on it)" if error.dependants else ""
            self.stderr.write(f"{where}: {error.message}{more}")
        counts = (
            f"created {result.total('created')}, updated {result.total('updated')}, "
            f"unchanged {result.total('unchanged')}"
        )
        if result.errors:
            raise CommandError(f"{len(result.errors)} error(s): nothing written (run {run.pk})")
        if result.warnings and not confirmed:
            self.stdout.write(
                f"{len(result.warnings)} warning(s): confirm them with --confirm-warnings"
            )
        state = "imported" if result.committed else "checked (dry run, nothing written)"
        self.stdout.write(f"{state}: {result.rows} rows; {counts} (run {run.pk})")
