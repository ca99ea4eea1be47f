"""The annual report counts trainings (issue 12): their tables advance the data revision like
every other counted table (see 0002_data_revision), so a report computed before a training was
recorded is computed again."""

from django.db import migrations

TABLES = ["coordination_training", "coordination_trainingaudience"]
BUMP = "UPDATE himaya_data_revision SET value = value + 1 WHERE id = 1"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(
                f'CREATE TRIGGER "{table}_data_revision" AFTER INSERT OR UPDATE OR DELETE '
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION himaya_bump_data_revision();'
            )
        elif vendor == "sqlite":
            for op in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f'CREATE TRIGGER "{table}_revision_{op.lower()}" AFTER {op} ON "{table}" '
                    f"BEGIN {BUMP}; END;"
                )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_data_revision" ON "{table}"')
        elif vendor == "sqlite":
            for op in ("insert", "update", "delete"):
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_revision_{op}"')


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0003_frozen_public"),
        ("coordination", "0001_initial"),
    ]
    operations = [migrations.RunPython(create, drop)]
