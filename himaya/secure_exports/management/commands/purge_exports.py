"""`himaya purge_exports`: erase the encrypted exports whose time is up. `himaya notify` does
it too on its schedule; this command is for a deployment that wants it on its own timer."""

from django.core.management.base import BaseCommand

from himaya.secure_exports.actions import do_purge_exports


class Command(BaseCommand):
    help = "Erase the encrypted exports past their expiry."

    def handle(self, *args, **options):
        self.stdout.write(f"exports erased: {do_purge_exports()}")
