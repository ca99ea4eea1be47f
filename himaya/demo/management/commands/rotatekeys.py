"""`himaya rotatekeys`: re-encrypt every encrypted field with the newest key.

Prepend a new key to HIMAYA_FIELD_KEYS, run this, then drop the old key. Ciphertext is read and
written with SQL (never through the field, which would decrypt it), one batch per transaction,
so the command can be interrupted and run again.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from himaya.core import crypto
from himaya.core.fields import EncryptedTextField


def encrypted_fields():
    """(model, field) for every concrete encrypted field of every installed model."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for f in model._meta.local_concrete_fields:
            if isinstance(f, EncryptedTextField):
                yield model, f


def rotate_field(model, f, batch=500):
    qn = connection.ops.quote_name
    table, pk, column = qn(model._meta.db_table), qn(model._meta.pk.column), qn(f.column)
    done, last = 0, None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            where = f"{column} IS NOT NULL AND {column} <> ''"
            params = []
            if last is not None:
                where += f" AND {pk} > %s"
                params.append(last)
            # Identifiers come from model metadata, quoted; values are parameters.
            cursor.execute(
                f"SELECT {pk}, {column} FROM {table} WHERE {where} "  # noqa: S608
                f"ORDER BY {pk} LIMIT {int(batch)}",
                params,
            )
            rows = cursor.fetchall()
            if not rows:
                return done
            try:
                updates = [(crypto.rotate(value), key) for key, value in rows]
            except Exception as exc:  # InvalidToken: no configured key opens this value
                raise CommandError(
                    f"{model._meta.label}.{f.name} #{rows[0][0]}…: cannot decrypt with the "
                    f"configured keys ({exc.__class__.__name__}); keep the old key in "
                    "HIMAYA_FIELD_KEYS until every row is rotated."
                ) from exc
            cursor.executemany(
                f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                updates,
            )
            done += len(rows)
            last = rows[-1][0]


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the newest key of HIMAYA_FIELD_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch, **options):
        total = 0
        for model, f in encrypted_fields():
            count = rotate_field(model, f, batch=batch)
            total += count
            self.stdout.write(f"{model._meta.label}.{f.name}: {count} values re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"{total} values re-encrypted with the newest key."))
