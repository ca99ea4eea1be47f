"""A campaign's name in Arabic, French and English (issue 15): the one name typed so far becomes
the French one (the Arabic one if typed in Arabic script)."""

import re

from django.db import migrations, models


ARABIC = re.compile("[\u0600-\u06ff]")


def arabic_names(apps, schema_editor):
    """A name typed in Arabic script is the Arabic name, not the French one (the Arabic one if typed in Arabic script)."""
    for r in apps.get_model("screening", "Campaign").objects.exclude(name_fr=""):
        if ARABIC.search(r.name_fr):
            r.name_ar, r.name_fr = r.name_fr, ""
            r.save(update_fields=["name_ar", "name_fr"])


class Migration(migrations.Migration):
    dependencies = [("screening", "0003_list_indexes")]

    operations = [
        migrations.RenameField("campaign", "name", "name_fr"),
        migrations.AlterField(
            model_name="campaign",
            name="name_fr",
            field=models.CharField(blank=True, max_length=200, verbose_name="name (French)"),
        ),
        migrations.AddField(
            model_name="campaign",
            name="name_ar",
            field=models.CharField(blank=True, max_length=200, verbose_name="name (Arabic)"),
        ),
        migrations.AddField(
            model_name="campaign",
            name="name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="name (English)"),
        ),
        migrations.RunPython(arabic_names, migrations.RunPython.noop),
    ]
