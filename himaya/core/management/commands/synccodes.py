"""`himaya synccodes`: bring the code lists up to date with the shipped ones (idempotent).

Codes are never deleted: a code an administrator deactivated stays deactivated unless the
shipped list changes it, and records keep pointing to retired codes."""

from django.core.management.base import BaseCommand
from django.db import transaction

from himaya.core import codedata
from himaya.core.models import Code


class Command(BaseCommand):
    help = "Create or update the shipped code lists (forms, countries, languages, HTCDS...)."

    def handle(self, *args, **options):
        with transaction.atomic():
            created, updated = codedata.sync(Code)
        self.stdout.write(f"code lists: {created} created, {updated} updated")
