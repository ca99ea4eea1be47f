from django.db import migrations


def load(apps, schema_editor):
    from himaya.core import codedata

    codedata.sync(apps.get_model("core", "Code"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
