from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from himaya.screening import questionnaire_data

    questionnaire_data.sync(
        apps.get_model("screening", "Questionnaire"),
        apps.get_model("screening", "Question"),
        now=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
