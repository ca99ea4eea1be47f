"""`himaya demo`: load the demo deployment once (demo mode only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from himaya.demo import loader
from himaya.demo.plan import PERSONS, SEED


class Command(BaseCommand):
    help = "Load the demo data: two years of a deployment, once (a second run adds nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=SEED)
        parser.add_argument("--persons", type=int, default=PERSONS)

    def handle(self, *args, seed, persons, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "The demo is only loaded in demo mode (HIMAYA_DEMO=1), never in production."
            )
        existing = loader.already_loaded()
        if existing:
            self.stdout.write(
                f"The demo was already loaded on {existing.loaded_at:%Y-%m-%d %H:%M}: "
                "nothing added."
            )
            return
        try:
            run, _created = loader.load(seed=seed, persons=persons, out=self.stdout.write)
        except RuntimeError as exc:
            raise CommandError(f"Cannot load the demo: {exc}. It needs a fresh database.") from exc
        counts = ", ".join(f"{v} {k}" for k, v in run.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {counts}."))
        self.stdout.write(f"Every demo account's password: {loader.DEMO_PASSWORD}")
