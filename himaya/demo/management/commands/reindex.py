"""`himaya reindex`: rebuild the blind index of names and the linkage keys of every person and
suspect (after changing HIMAYA_BLIND_INDEX_KEY, the name normaliser or the blocking keys, and
once after upgrading to a version with linkage)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from himaya.justice.models import Suspect
from himaya.linkage.records import index_suspect, recount_frequencies
from himaya.people.actions import reindex_all


class Command(BaseCommand):
    help = "Rebuild the blind index of person names and the linkage keys."

    def handle(self, *args, **options):
        count = reindex_all()
        suspects = 0
        for suspect in Suspect.objects.select_related("sex", "citizenship").iterator(
            chunk_size=500
        ):
            with transaction.atomic():
                index_suspect(suspect)
            suspects += 1
        recount_frequencies()
        self.stdout.write(self.style.SUCCESS(f"Reindexed {count} persons and {suspects} suspects."))
