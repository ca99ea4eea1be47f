"""`himaya loadquestionnaires`: bring in the shipped questionnaires (idempotent).

A questionnaire not yet in the database is published as version 1; a shipped file that changed
becomes a draft next version for a system administrator to review and publish (never a silent
replacement of the published version)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from himaya.screening import questionnaire_data
from himaya.screening.models import Question, Questionnaire


class Command(BaseCommand):
    help = "Load the shipped screening questionnaires (ILO/EC indicators) into the database."

    def handle(self, *args, **options):
        with transaction.atomic():
            published, drafted, skipped = questionnaire_data.sync(
                Questionnaire, Question, now=timezone.now()
            )
        self.stdout.write(
            f"questionnaires: {len(published)} published ({', '.join(published) or '-'}), "
            f"{len(drafted)} new drafts to review ({', '.join(drafted) or '-'})"
        )
        if skipped:
            self.stdout.write("not loaded, a draft is already under way for: " + ", ".join(skipped))
