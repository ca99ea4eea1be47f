"""``himaya dedupe``: run the batch de-duplication now (for a schedule: cron, a systemd timer)."""

from django.core.management.base import BaseCommand

from himaya.linkage import dedupe
from himaya.linkage.models import BatchRun


class Command(BaseCommand):
    help = "De-duplicate the person register now: candidate pairs go to the linkage desk."

    def add_arguments(self, parser):
        parser.add_argument(
            "--train",
            action="store_true",
            help="first re-estimate the match parameters on the register",
        )

    def handle(self, *args, **options):
        run = dedupe.execute(BatchRun.objects.create(train=options["train"]).pk)
        self.stdout.write(
            f"{run.records} records, {run.pairs_proposed} pairs sent to the desk, "
            f"{run.pairs_linked} linked automatically"
        )
