"""Row counts and content checksums of every table, the same on SQLite and PostgreSQL.

A table's checksum is SHA-256 over its rows in primary-key order, each row written as canonical
JSON. Values are read with raw SQL and only the database backend's converters (dates, booleans,
decimals, UUIDs), never a field's own: an encrypted field is summed as its ciphertext, so
nothing is decrypted to compute a manifest. Text keys are ordered bytewise on both engines.
"""

import datetime
import decimal
import hashlib
import json
import uuid
from contextlib import contextmanager

import dj_database_url
from django.apps import apps
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend

CHUNK = 2000


def _models_by_table():
    models = {}
    for model in [*apps.get_models(include_auto_created=True), MigrationRecorder.Migration]:
        meta = model._meta
        if meta.managed and not meta.proxy:
            models.setdefault(meta.db_table, model)
    return models


def canonical(value):
    """A JSON-ready form of a value that does not depend on the engine that returned it."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time, uuid.UUID)):
        return str(value) if isinstance(value, uuid.UUID) else value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"hex": bytes(value).hex()}
    if isinstance(value, datetime.timedelta):
        return {"us": value // datetime.timedelta(microseconds=1)}
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def _json_text(value):
    # JSON columns come back as text whose spacing and key order depend on the engine.
    if isinstance(value, str):
        try:
            return json.dumps(json.loads(value), sort_keys=True, ensure_ascii=False)
        except ValueError:
            return value
    return canonical(value)


def _model_query(connection, table, model):
    qn = connection.ops.quote_name
    fields = list(model._meta.local_concrete_fields)
    converters = []
    for field in fields:
        col = field.get_col(table)
        steps = list(connection.ops.get_db_converters(col))
        if field.get_internal_type() == "JSONField":
            steps.append(lambda value, *_: _json_text(value))
        converters.append((steps, col))
    pk = model._meta.pk
    pk_fields = getattr(pk, "fields", None) or [pk]  # a composite key orders by its parts
    order = []
    for field in pk_fields:
        text = field.get_internal_type() in {"CharField", "TextField", "SlugField"}
        bytewise = ' COLLATE "C"' if text and connection.vendor == "postgresql" else ""
        order.append(qn(field.column) + bytewise)
    columns = ", ".join(qn(f.column) for f in fields)
    sql = f"SELECT {columns} FROM {qn(table)} ORDER BY {', '.join(order)}"  # noqa: S608
    return sql, converters


def _plain_query(connection, table):
    """A table no model describes: every column, ordered by all of them."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    columns = ", ".join(qn(c.name) for c in description)
    order = ", ".join(str(i + 1) for i in range(len(description)))
    sql = f"SELECT {columns} FROM {qn(table)} ORDER BY {order}"  # noqa: S608
    return sql, [([], None)] * len(description)


def table_digest(connection, table, model=None):
    """(row count, SHA-256 hex) of one table's content in primary-key order."""
    sql, converters = (
        _model_query(connection, table, model) if model else _plain_query(connection, table)
    )
    digest = hashlib.sha256()
    rows = 0
    # A server-side cursor on PostgreSQL: a large table is never held in memory at once.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(CHUNK):
            for row in batch:
                values = []
                for value, (steps, col) in zip(row, converters, strict=True):
                    for step in steps:
                        value = step(value, col, connection)
                    values.append(canonical(value))
                digest.update(
                    json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
                )
                digest.update(b"\n")
                rows += 1
    return rows, digest.hexdigest()


def database_manifest(connection):
    """{table: {"rows": n, "sha256": hex}} for every table of the database."""
    models = _models_by_table()
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
    result = {}
    for table in tables:
        rows, digest = table_digest(connection, table, models.get(table))
        result[table] = {"rows": rows, "sha256": digest}
    return result


def differences(expected, actual):
    """Names of the tables whose count or checksum differ, or that only one side has."""
    return sorted(
        table for table in set(expected) | set(actual) if expected.get(table) != actual.get(table)
    )


@contextmanager
def extra_database(settings_dict):
    """A connection to another database for the length of a block, under an alias of its own
    that DATABASES does not list (Django's own code finds it through connections[alias])."""
    alias = f"himaya_backup_{uuid.uuid4().hex[:12]}"
    connection = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    connections[alias] = connection
    try:
        yield connection
    finally:
        connection.close()
        del connections[alias]


def settings_for(url, like):
    """Settings of the database at url, with the other keys of the connection like."""
    parsed = dj_database_url.parse(url)
    options = (
        like.settings_dict.get("OPTIONS", {})
        if parsed["ENGINE"] == like.settings_dict["ENGINE"]
        else {}
    )
    return {
        **like.settings_dict,
        "TEST": {},
        **parsed,
        "OPTIONS": {**options, **parsed.get("OPTIONS", {})},
    }
