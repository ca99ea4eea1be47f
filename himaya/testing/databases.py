"""Test databases copied from one migrated template per test run, instead of running the
migrations for each of them: the ~70 migrations cost some 20 s of CPU each time (most of it
Django rendering the models' states), and a run used to apply them five times on two workers
(each worker's test database, each worker's browser-test server, the walk's demo server).

The first process of the run to ask migrates the template (in a subprocess, `manage.py migrate`
with the test settings) under a file lock in the run's shared temporary folder; the others wait
for it, then copy it: SQLite with its backup API (into a file, or into the in-memory test
database), PostgreSQL with `CREATE DATABASE … TEMPLATE`. A new run makes a new template, so a
changed migration is always applied."""

import contextlib
import fcntl
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
_MEMORY_HOLDERS = []  # keeps each in-memory test database alive once filled


def postgres_url():
    """DATABASE_URL when the run is on PostgreSQL, else None (SQLite)."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def shared_folder(tmp_path_factory):
    """The run's temporary folder, shared by the pytest-xdist workers (each has a subfolder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def postgres_template_name(url):
    """The template's name on the server of DATABASE_URL: beside pytest-django's test_<name>
    databases, made again (dropped first) by each run."""
    return f"test_{urlparse(url).path.lstrip('/')}_template"


def _admin(url):
    import psycopg

    return psycopg.connect(urlparse(url)._replace(path="/postgres").geturl(), autocommit=True)


def template(folder, engine):
    """The URL of the run's migrated template database for ``engine`` ("sqlite", or "postgres"
    on DATABASE_URL's server), migrating it if no process of the run has yet."""
    folder = Path(folder)
    done = folder / f"template-{engine}.url"
    with open(folder / f"template-{engine}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return done.read_text()
        if engine == "postgres":
            url = postgres_url()
            name = postgres_template_name(url)
            with _admin(url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
            url = urlparse(url)._replace(path=f"/{name}").geturl()
        else:
            url = f"sqlite:///{folder / 'template.sqlite3'}"
        _migrate(url)
        if engine == "sqlite":
            # A plain journal: the copies are made with the backup API, and each server's
            # connections set WAL again (settings' init_command).
            with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
                conn.execute("PRAGMA journal_mode=DELETE")
        done.write_text(url)
        return url


def _migrate(url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIMAYA_")}
    env.update(HIMAYA_ENV="test", DATABASE_URL=url)
    subprocess.run(  # noqa: S603 (this interpreter, the project's manage.py)
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "--run-syncdb", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )


def copy_sqlite(template_url, target):
    """Copy the SQLite template into ``target``: a file path, or an open sqlite3 connection."""
    with contextlib.closing(sqlite3.connect(template_url.removeprefix("sqlite:///"))) as source:
        if isinstance(target, sqlite3.Connection):
            source.backup(target)
        else:
            with contextlib.closing(sqlite3.connect(target)) as copy:
                source.backup(copy)


def postgres_copy(template_url, name):
    """A new PostgreSQL database ``name`` copied from the template: its URL and a function that
    drops it."""
    with _admin(template_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{urlparse(template_url).path[1:]}"')

    def drop():
        with _admin(template_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlparse(template_url)._replace(path=f"/{name}").geturl(), drop


def drop_postgres_template():
    """Drop the run's PostgreSQL template (the controlling process, once the workers are done)."""
    url = postgres_url()
    if url:
        with _admin(url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{postgres_template_name(url)}" WITH (FORCE)')


@contextlib.contextmanager
def created_from(template_url, connection):
    """While Django creates the test database of ``connection`` (django.test.utils'
    setup_databases), make it a copy of the template, so that its `migrate` finds every
    migration applied. PostgreSQL copies it itself (TEST's TEMPLATE); the in-memory SQLite
    database is filled with the backup API as soon as it is named."""
    if template_url.startswith("postgres"):
        test = connection.settings_dict.setdefault("TEST", {})
        test["TEMPLATE"] = urlparse(template_url).path[1:]
        try:
            yield
        finally:
            test.pop("TEMPLATE")
        return
    creation = connection.creation
    original = creation._create_test_db

    def create(*args, **kwargs):
        name = original(*args, **kwargs)
        holder = sqlite3.connect(name, uri=creation.is_in_memory_db(name))
        copy_sqlite(template_url, holder)
        _MEMORY_HOLDERS.append(holder)
        return name

    creation._create_test_db = create
    try:
        yield
    finally:
        del creation._create_test_db
