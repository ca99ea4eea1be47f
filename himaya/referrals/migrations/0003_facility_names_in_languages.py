"""A facility's name and city in Arabic, French and English (issue 15): the one name and city
typed so far were French, so they become the French ones (a name in Arabic script the Arabic one); the Arabic and English cities are
filled in for the kingdom's main cities."""

import re

from django.db import migrations, models

# French as typed -> (Arabic, French, English)
CITIES = {
    "casablanca": ("الدار البيضاء", "Casablanca", "Casablanca"),
    "rabat": ("الرباط", "Rabat", "Rabat"),
    "salé": ("سلا", "Salé", "Sale"),
    "sale": ("سلا", "Salé", "Sale"),
    "tanger": ("طنجة", "Tanger", "Tangier"),
    "tétouan": ("تطوان", "Tétouan", "Tetouan"),
    "tetouan": ("تطوان", "Tétouan", "Tetouan"),
    "fès": ("فاس", "Fès", "Fez"),
    "fes": ("فاس", "Fès", "Fez"),
    "marrakech": ("مراكش", "Marrakech", "Marrakesh"),
    "agadir": ("أكادير", "Agadir", "Agadir"),
    "oujda": ("وجدة", "Oujda", "Oujda"),
    "nador": ("الناظور", "Nador", "Nador"),
    "meknès": ("مكناس", "Meknès", "Meknes"),
    "meknes": ("مكناس", "Meknès", "Meknes"),
    "kénitra": ("القنيطرة", "Kénitra", "Kenitra"),
    "kenitra": ("القنيطرة", "Kénitra", "Kenitra"),
    "mohammedia": ("المحمدية", "Mohammedia", "Mohammedia"),
    "laâyoune": ("العيون", "Laâyoune", "Laayoune"),
    "laayoune": ("العيون", "Laâyoune", "Laayoune"),
    "dakhla": ("الداخلة", "Dakhla", "Dakhla"),
    "béni mellal": ("بني ملال", "Béni Mellal", "Beni Mellal"),
    "beni mellal": ("بني ملال", "Béni Mellal", "Beni Mellal"),
    "el jadida": ("الجديدة", "El Jadida", "El Jadida"),
    "safi": ("آسفي", "Safi", "Safi"),
    "errachidia": ("الرشيدية", "Errachidia", "Errachidia"),
    "fnideq": ("الفنيدق", "Fnideq", "Fnideq"),
}


def cities(apps, schema_editor):
    Facility = apps.get_model("referrals", "Facility")
    for f in Facility.objects.exclude(city_fr=""):
        known = CITIES.get(f.city_fr.strip().casefold())
        if known:
            f.city_ar, f.city_fr, f.city_en = known
            f.save(update_fields=["city_ar", "city_fr", "city_en"])


ARABIC = re.compile("[\u0600-\u06ff]")


def arabic_names(apps, schema_editor):
    """A name typed in Arabic script is the Arabic name, not the French one."""
    for r in apps.get_model("referrals", "Facility").objects.exclude(name_fr=""):
        if ARABIC.search(r.name_fr):
            r.name_ar, r.name_fr = r.name_fr, ""
            r.save(update_fields=["name_ar", "name_fr"])


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_list_indexes")]

    operations = [
        migrations.RenameField("facility", "name", "name_fr"),
        migrations.AlterField(
            model_name="facility",
            name="name_fr",
            field=models.CharField(blank=True, max_length=200, verbose_name="name (French)"),
        ),
        migrations.AddField(
            model_name="facility",
            name="name_ar",
            field=models.CharField(blank=True, max_length=200, verbose_name="name (Arabic)"),
        ),
        migrations.AddField(
            model_name="facility",
            name="name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="name (English)"),
        ),
        migrations.RenameField("facility", "city", "city_fr"),
        migrations.AlterField(
            model_name="facility",
            name="city_fr",
            field=models.CharField(blank=True, max_length=100, verbose_name="city (French)"),
        ),
        migrations.AddField(
            model_name="facility",
            name="city_ar",
            field=models.CharField(blank=True, max_length=100, verbose_name="city (Arabic)"),
        ),
        migrations.AddField(
            model_name="facility",
            name="city_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="city (English)"),
        ),
        migrations.AlterModelOptions(
            name="facility",
            options={
                "ordering": ["name_fr", "name_ar", "id"],
                "verbose_name": "facility",
                "verbose_name_plural": "facilities",
            },
        ),
        migrations.RunPython(cities, migrations.RunPython.noop),
        migrations.RunPython(arabic_names, migrations.RunPython.noop),
    ]
