"""Looking for a person's traces everywhere Himaya keeps data: every column of every table read
with raw SQL (digests and any text kept in clear), every encrypted field read through the model
layer (which decrypts it), the searches kept in sessions, and every file under the data
directory."""

import json
import unicodedata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection

from himaya.core import crypto
from himaya.core.fields import EncryptedTextField


def fold(text):
    return unicodedata.normalize("NFKC", text).casefold()


def _hits(where, value, needles):
    text = fold(value)
    return [(where, n) for n in needles if n in text]


def scan(needles):
    """(tables, files, [(where, needle)]) for the folded ``needles``."""
    needles = [fold(n) for n in needles]
    hits, tables = [], 0
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            tables += 1
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("utf-8", "ignore")
                    if isinstance(value, str):
                        hits += _hits(table, value, needles)
    for model in apps.get_models():
        encrypted = [
            f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if encrypted:
            for values in model._default_manager.values_list(*encrypted).iterator():
                for value in values:
                    if value not in (None, ""):
                        text = (
                            value
                            if isinstance(value, str)
                            else json.dumps(value, ensure_ascii=False)
                        )
                        hits += _hits(model._meta.label_lower, text, needles)
    # Sessions are signed, not encrypted: the searches they keep are (core.shortcuts).
    for session in Session.objects.all():
        for token in (session.get_decoded().get("searches") or {}).values():
            hits += _hits("django_session (search)", crypto.decrypt(token), needles)
    files = 0
    for path in Path(settings.VAR_DIR).rglob("*"):
        if (
            path.is_file()
            and not path.name.endswith((".sqlite3", ".key"))
            and "static" not in path.parts
        ):
            files += 1
            hits += _hits(str(path), path.read_bytes().decode("utf-8", "ignore"), needles)
    return tables, files, hits
