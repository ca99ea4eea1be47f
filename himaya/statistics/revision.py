"""The data revision: one number the database advances on every write to a table the figures
count (triggers of migration statistics 0002), whoever writes it. Caches of figures, reports and
rendered exports are kept per revision. Its own module, below the figures and the report that
both read it."""

import hashlib

from django.db import connection


def data_revision() -> int:
    """The data revision: advanced by the database on every write to a table the figures count
    (triggers of migration statistics 0002), whoever writes it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT last_value, is_called FROM himaya_data_revision")
            value, called = cursor.fetchone()
            return int(value) if called else 0
        cursor.execute("SELECT value FROM himaya_data_revision WHERE id = 1")
        row = cursor.fetchone()
        return int(row[0]) if row else 0


def data_version() -> str:
    """The data version of the figures: a short digest of the data revision. Two reports with
    the same data version were computed from the same records."""
    return hashlib.sha256(f"himaya:{data_revision()}".encode()).hexdigest()[:16]


def data_state() -> tuple[str, int]:
    """(data_version(), the number of persons recorded): what decides whether a report may be
    computed while a page waits (statistics.builds)."""
    from himaya.people.models import Person

    return data_version(), Person.objects.count()
