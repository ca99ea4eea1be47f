"""`himaya reindex`: rebuild the blind index of names (after changing HIMAYA_BLIND_INDEX_KEY or
the name normaliser)."""

from django.core.management.base import BaseCommand

from himaya.people.actions import reindex_all


class Command(BaseCommand):
    help = "Rebuild the blind index of person names."

    def handle(self, *args, **options):
        count = reindex_all()
        self.stdout.write(self.style.SUCCESS(f"Reindexed {count} persons."))
