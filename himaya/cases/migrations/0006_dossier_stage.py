"""A dossier's stage and its date, kept on the dossier by the database: on every insert, update
or delete of stage events, whoever writes them (actions, imports, bulk loads, erasure), the
dossiers concerned take their latest event's stage and date (by date, then by record). The lists,
their filters and the home page's counts read two columns instead of a subquery per dossier
(issue 17). PostgreSQL: statement-level triggers over the changed rows (a bulk load updates each
dossier once); SQLite: a trigger per row. Existing dossiers are filled from their events.

Writers of events lock the dossier first (``select_for_update``, as the actions do): on
PostgreSQL two transactions adding events to one dossier unlocked could each compute the stage
without the other's event. A load that turns triggers off (``session_replication_role =
replica``, benchmarks/_bulk) runs ``FILL`` itself."""

from django.conf import settings
from django.db import migrations, models


# The latest event of the dossier ``{d}`` names: its stage, its date.
LATEST = """
    stage = (SELECT e.stage FROM cases_stageevent e WHERE e.dossier_id = {d}
             ORDER BY e."on" DESC, e.id DESC LIMIT 1),
    stage_on = (SELECT e."on" FROM cases_stageevent e WHERE e.dossier_id = {d}
                ORDER BY e."on" DESC, e.id DESC LIMIT 1)
"""
FILL = "UPDATE cases_dossier SET" + LATEST.format(d="cases_dossier.id")

# PostgreSQL: one function and trigger per kind of write, over the rows it changed; an update
# of an event's other fields (its reason, its actor) leaves the dossiers alone (a trigger over
# transition tables cannot name columns: the rows are compared). Compared as sets (EXCEPT ALL,
# NULLs equal as in IS NOT DISTINCT FROM), never by joining the two tables: they have no index,
# and the planner joined them in a nested loop, every old row against every new one (5,000
# events: 2.4 s; an update of 100,000 events' organisation ran for over ten minutes).
CHANGED = """
    SELECT dossier_id FROM (
        (SELECT id, dossier_id, stage, "on" FROM old_rows
         EXCEPT ALL SELECT id, dossier_id, stage, "on" FROM new_rows)
        UNION ALL
        (SELECT id, dossier_id, stage, "on" FROM new_rows
         EXCEPT ALL SELECT id, dossier_id, stage, "on" FROM old_rows)
    ) AS changed
"""
PG_CONCERNED = {
    "insert": ("INSERT", "NEW TABLE AS new_rows", "SELECT dossier_id FROM new_rows"),
    "delete": ("DELETE", "OLD TABLE AS old_rows", "SELECT dossier_id FROM old_rows"),
    "update": ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", CHANGED),
}
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION himaya_dossier_stage_{name}() RETURNS trigger AS $$
BEGIN
    -- Only when a dossier is concerned: an UPDATE of no rows would still advance the data
    -- revision (its triggers are per statement).
    IF EXISTS ({concerned}) THEN
        UPDATE cases_dossier SET {latest} WHERE cases_dossier.id IN ({concerned});
    END IF;
    RETURN NULL;
END; $$ LANGUAGE plpgsql
"""
PG_TRIGGER = """
CREATE TRIGGER cases_stageevent_stage_{name} AFTER {event} ON cases_stageevent
REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION himaya_dossier_stage_{name}()
"""
# SQLite: a trigger per row, for the dossier of the old row and of the new one.
SQLITE_ROWS = {"insert": ["NEW"], "delete": ["OLD"], "update": ["OLD", "NEW"]}
# An update of an event's other fields (its reason, its actor) leaves the dossiers alone.
SQLITE_EVENTS = {
    "insert": "INSERT",
    "delete": "DELETE",
    "update": 'UPDATE OF dossier_id, stage, "on"',
}
SQLITE_TRIGGER = """
CREATE TRIGGER cases_stageevent_stage_{name} AFTER {event} ON cases_stageevent
BEGIN {body} END
"""
SQLITE_UPDATE = "UPDATE cases_dossier SET {latest} WHERE id = {row}.dossier_id;"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        latest = LATEST.format(d="cases_dossier.id")
        for name, (event, tables, concerned) in PG_CONCERNED.items():
            schema_editor.execute(PG_FUNCTION.format(name=name, latest=latest, concerned=concerned))
            schema_editor.execute(PG_TRIGGER.format(name=name, event=event, tables=tables))
    elif vendor == "sqlite":
        for name, rows in SQLITE_ROWS.items():
            body = " ".join(
                SQLITE_UPDATE.format(latest=LATEST.format(d=f"{row}.dossier_id"), row=row)
                for row in rows
            )
            event = SQLITE_EVENTS[name]
            schema_editor.execute(SQLITE_TRIGGER.format(name=name, event=event, body=body))
    # Filled once the triggers are in place: an event written meanwhile is counted either way.
    schema_editor.execute(FILL)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name in PG_CONCERNED:
        if vendor == "postgresql":
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS cases_stageevent_stage_{name} ON cases_stageevent"
            )
            schema_editor.execute(f"DROP FUNCTION IF EXISTS himaya_dossier_stage_{name}()")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS cases_stageevent_stage_{name}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_membership_role_focal_point"),
        ("cases", "0005_home_list_indexes"),
        ("core", "0003_public_body_codes"),
        ("people", "0003_list_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="stage",
            field=models.CharField(
                blank=True,
                choices=[
                    ("screening", "screening"),
                    ("presumed", "presumed victim"),
                    ("identified", "identified victim"),
                    ("assisted", "assisted"),
                    ("closed", "closed"),
                    ("not_victim", "not a victim"),
                    ("referred_out", "referred out"),
                ],
                editable=False,
                max_length=16,
                null=True,
                verbose_name="stage",
            ),
        ),
        migrations.AddField(
            model_name="dossier",
            name="stage_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="stage since"
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["owner_org", "stage"], name="dossier_owner_stage"),
        ),
        migrations.RunPython(create, drop),
    ]
