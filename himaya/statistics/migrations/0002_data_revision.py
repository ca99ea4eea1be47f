"""The data revision: a number the database advances on every write (insert, update, delete) to
a table the figures count, whatever writes it (actions, bulk updates, imports, the shell). The
annual report is computed once per revision (statistics.builds); a frozen report keeps the
revision it was computed from. PostgreSQL: a sequence advanced by statement-level triggers (a
sequence takes no lock, so writers never wait on one another). SQLite: one counter row.

A table the figures start counting later needs its triggers in a new migration
(``COUNTED_TABLES`` below lists the models)."""

from django.db import migrations

COUNTED_MODELS = [
    ("people", "Person"),
    ("cases", "Dossier"),
    ("cases", "IdentificationDecision"),
    ("cases", "OffenceCharge"),
    ("cases", "NonPunishmentAlert"),
    ("referrals", "Referral"),
    ("referrals", "ShelterStay"),
    ("referrals", "ServiceRecord"),
    ("referrals", "ReturnAssistance"),
    ("referrals", "Facility"),
    ("referrals", "NgoSupport"),
    ("justice", "Investigation"),
    ("justice", "InvestigationSuspect"),
    ("justice", "Suspect"),
    ("justice", "SuspectEvent"),
    ("justice", "Prosecution"),
    ("justice", "Charge"),
    ("justice", "CourtDecision"),
    ("justice", "Sentence"),
    ("justice", "Appeal"),
    ("hotline", "Report"),
    ("screening", "Screening"),
    ("screening", "Campaign"),
    ("core", "Code"),
    ("accounts", "Organisation"),
]
M2M = [("people", "Person", "citizenships"), ("cases", "Dossier", "forms")]


def tables(apps):
    found = [apps.get_model(app, name)._meta.db_table for app, name in COUNTED_MODELS]
    for app, name, field in M2M:
        found.append(
            apps.get_model(app, name)._meta.get_field(field).remote_field.through._meta.db_table
        )
    return found


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS himaya_data_revision")
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION himaya_bump_data_revision() RETURNS trigger AS $$ "
            "BEGIN PERFORM nextval('himaya_data_revision'); RETURN NULL; END; $$ "
            "LANGUAGE plpgsql;"
        )
        for table in tables(apps):
            schema_editor.execute(
                f'CREATE TRIGGER "{table}_data_revision" AFTER INSERT OR UPDATE OR DELETE '
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION himaya_bump_data_revision();'
            )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE TABLE himaya_data_revision (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)"
        )
        schema_editor.execute("INSERT INTO himaya_data_revision (id, value) VALUES (1, 0)")
        for table in tables(apps):
            for op in ("INSERT", "UPDATE", "DELETE"):
                bump = "UPDATE himaya_data_revision SET value = value + 1 WHERE id = 1"
                schema_editor.execute(
                    f'CREATE TRIGGER "{table}_revision_{op.lower()}" AFTER {op} ON "{table}" '
                    f"BEGIN {bump}; END;"
                )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in tables(apps):
        if vendor == "postgresql":
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_data_revision" ON "{table}"')
        elif vendor == "sqlite":
            for op in ("insert", "update", "delete"):
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_revision_{op}"')
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS himaya_bump_data_revision()")
        schema_editor.execute("DROP SEQUENCE IF EXISTS himaya_data_revision")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS himaya_data_revision")


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0001_initial"),
        ("people", "0002_person_same_as"),
        ("cases", "0002_decisions_nonpunishment"),
        ("referrals", "0001_initial"),
        ("justice", "0002_suspect_same_as"),
        ("hotline", "0001_initial"),
        ("screening", "0002_load_questionnaires"),
        ("core", "0002_load_code_lists"),
        ("accounts", "0002_user_second_factor_failures"),
    ]
    operations = [migrations.RunPython(create, drop)]
