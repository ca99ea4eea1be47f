"""A suspect who is a public official gets the kind of body they belong to (a code list read in
each reader's language), beside the body as typed. Officials recorded before get the kind their
typed body names ("Douane" -> customs, "Caïdat…" -> local authority), else "other public body"."""

import django.db.models.deletion
from django.db import migrations, models


def classify(apps, schema_editor):
    from himaya.core.codedata import public_body_for

    Code = apps.get_model("core", "Code")
    Suspect = apps.get_model("justice", "Suspect")
    kinds = {c.code: c for c in Code.objects.filter(list="public_body")}
    for suspect in Suspect.objects.filter(public_official=True, official_body_type=None):
        kind = kinds.get(public_body_for(suspect.official_body) or "other")
        if kind is not None:
            suspect.official_body_type = kind
            suspect.save(update_fields=["official_body_type"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_public_body_codes"),
        ("justice", "0004_court_transfer"),
    ]

    operations = [
        migrations.AddField(
            model_name="suspect",
            name="official_body_type",
            field=models.ForeignKey(
                blank=True,
                limit_choices_to={"list": "public_body"},
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.code",
                verbose_name="kind of public body",
            ),
        ),
        migrations.RunPython(classify, migrations.RunPython.noop),
    ]
