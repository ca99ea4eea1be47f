"""A consistent copy of the database and its way back, per engine.

SQLite: the online backup API (a page-by-page copy that sees one committed state while the
application keeps writing). PostgreSQL: pg_dump in its custom format, inside a repeatable-read
transaction whose snapshot it shares (pg_export_snapshot), so the manifest counts exactly what
the dump holds; pg_restore in one transaction.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager

from django.utils.translation import gettext as _

from .checksums import database_manifest, extra_database


class BackupError(Exception):
    """A refusal or failure with a message for the operator, in their language."""


DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def engine_of(connection):
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(engine)s.")
            % {"engine": connection.vendor}
        )
    return connection.vendor


def _sqlite_file_settings(connection, path):
    """Settings of a connection to a plain SQLite file: no WAL switch, which would rewrite it."""
    options = {
        k: v for k, v in connection.settings_dict.get("OPTIONS", {}).items() if k == "timeout"
    }
    return {**connection.settings_dict, "NAME": str(path), "OPTIONS": options}


@contextmanager
def sqlite_file(connection, path):
    with extra_database(_sqlite_file_settings(connection, path)) as scratch:
        yield scratch


def _pg_env(connection):
    s = connection.settings_dict
    env = dict(os.environ)
    pairs = {
        "PGHOST": s.get("HOST"),
        "PGPORT": s.get("PORT"),
        "PGUSER": s.get("USER"),
        "PGPASSWORD": s.get("PASSWORD"),
        "PGDATABASE": s.get("NAME"),
        "PGSSLMODE": s.get("OPTIONS", {}).get("sslmode"),
    }
    env.update({k: str(v) for k, v in pairs.items() if v})
    return env


def _pg_tool(name):
    path = shutil.which(name)
    if not path:
        raise BackupError(
            _("%(tool)s was not found: install the PostgreSQL client tools (version 15 or later).")
            % {"tool": name}
        )
    return path


def _run(args, connection):
    result = subprocess.run(  # noqa: S603 (a fixed tool, arguments built here)
        args, env=_pg_env(connection), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        # Only the first line: a later one may quote a row.
        first = (result.stderr.strip().splitlines() or [""])[0]
        raise BackupError(
            _("%(tool)s failed: %(error)s") % {"tool": os.path.basename(args[0]), "error": first}
        )


def snapshot(connection, path):
    """Write a consistent copy of the database to path; return the manifest of that copy."""
    if engine_of(connection) == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        with sqlite_file(connection, path) as copy:
            return database_manifest(copy)
    pg_dump = _pg_tool("pg_dump")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        # One transaction, whatever the connection's own state, so that it ends with the block.
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot_id,) = cursor.fetchone()
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot_id}", f"--file={path}"],
                connection,
            )
            return database_manifest(connection)
        finally:
            cursor.execute("ROLLBACK")


def is_empty(connection):
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def load(connection, path):
    """Copy the database file or dump at path into the (empty) database of connection."""
    if engine_of(connection) == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    _run(
        [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        ],
        connection,
    )


def empty(connection):
    """Take a failed restore back out, leaving the database as empty as it was found."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {qn(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            return
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {qn(table)} CASCADE")
        # What a dump brings besides tables: sequences of their own and trigger functions.
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'S' AND n.nspname = current_schema() AND NOT EXISTS "
            "(SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP SEQUENCE IF EXISTS {qn(name)} CASCADE")
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() "
            "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
        )
        for (signature,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
