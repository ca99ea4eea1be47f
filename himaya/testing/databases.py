"""Test databases copied from one migrated template per test run, instead of running the
migrations for each of them: the ~70 migrations cost some 20 s of CPU each time (most of it
Django rendering the models' states), and a run used to apply them five times on two workers
(each worker's test database, each worker's browser-test server, the walk's demo server).

The first process of the run to ask migrates the template (in a subprocess, `manage.py migrate`
with the test settings) under a file lock in the run's shared temporary folder; the others wait
for it, then copy it: SQLite with its backup API (into a file, or into the in-memory test
database), PostgreSQL with `CREATE DATABASE … TEMPLATE`. A new run makes a new template, so a
changed migration is always applied.

The demo deployment (`manage.py demo`, some 20 s of CPU) is made the same way, once per run:
a copy of the migrated template with the demo loaded on it (``demo_template``). The modules
that read the demo run on a fresh copy of it (``switched``), the browser walk's server too,
instead of each loading its own."""

import contextlib
import fcntl
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
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


def postgres_template_name(url, folder):
    """The template's name on the server of DATABASE_URL: beside pytest-django's test_<name>
    databases, named after the run's shared folder (pytest-NN), so that two runs on one server
    never drop each other's."""
    run = re.sub(r"\W", "_", Path(folder).name)
    return f"test_{urlparse(url).path.lstrip('/')}_{run}_template"


def _admin(url):
    import psycopg

    return psycopg.connect(urlparse(url)._replace(path="/postgres").geturl(), autocommit=True)


def _once(folder, name, build):
    """What ``build()`` returns (JSON), made by the first process of the run to ask, under a
    file lock in the run's shared folder; the others wait for it, then read it."""
    folder = Path(folder)
    done = folder / f"{name}.json"
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            done.write_text(json.dumps(build()))
        return json.loads(done.read_text())


def _plain_journal(url):
    """An SQLite template in a plain journal: the copies are made with the backup API, and
    each server's connections set WAL again (settings' init_command)."""
    if url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
            conn.execute("PRAGMA journal_mode=DELETE")


def template(folder, engine):
    """The URL of the run's migrated template database for ``engine`` ("sqlite", or "postgres"
    on DATABASE_URL's server), migrating it if no process of the run has yet."""

    def build():
        if engine == "postgres":
            url = postgres_url()
            name = postgres_template_name(url, folder)
            with _admin(url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
            url = urlparse(url)._replace(path=f"/{name}").geturl()
        else:
            url = f"sqlite:///{Path(folder) / 'template.sqlite3'}"
        _migrate(url)
        _plain_journal(url)
        return url

    return _once(folder, f"template-{engine}", build)


def _migrate(url):
    # Without the system checks (~1 s, with the URLconf's imports): the run's servers and
    # `makemigrations --check` (make test) run them.
    _manage(url, "migrate", "--noinput", "--run-syncdb", "--skip-checks", "-v0")


def _manage(url, *args, **extra_env):
    """Run ``manage.py *args`` on the database ``url`` with the test settings (and the test
    process's keys, in var/); its output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIMAYA_")}
    env.update(HIMAYA_ENV="test", DATABASE_URL=url, **extra_env)
    done = subprocess.run(  # noqa: S603 (this interpreter, the project's manage.py)
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def demo_template(folder, engine, migrated_url):
    """The run's demo deployment for ``engine``: a copy of the migrated template on which
    `manage.py demo` ran (demo mode, the test settings), made by the first process of the run
    to ask. Returns {"url", "output", "elapsed"}: the database, what the command printed and
    the seconds it took."""
    from django.conf import settings

    def build():
        if engine == "postgres":
            name = postgres_demo_name(postgres_url(), folder)
            url, _drop = postgres_copy(migrated_url, name)
        else:
            url = f"sqlite:///{Path(folder) / 'demo.sqlite3'}"
            copy_sqlite(migrated_url, url.removeprefix("sqlite:///"))
        started = time.monotonic()
        # With this process's keys: the tests read the demo's encrypted fields.
        output = _manage(url, "demo", HIMAYA_DEMO="1", HIMAYA_VAR_DIR=str(settings.VAR_DIR))
        elapsed = time.monotonic() - started
        _plain_journal(url)
        return {"url": url, "output": output, "elapsed": elapsed}

    return _once(folder, f"demo-{engine}", build)


# The keys the demo's records were written with (settings.local_secret), which a server of a
# copy of the demo needs too.
KEYS = ("secret", "field", "blind-index")


def copy_keys(target):
    """Copy the test process's keys (in settings.VAR_DIR) into the folder ``target``."""
    from django.conf import settings

    for name in KEYS:
        source = Path(settings.VAR_DIR) / f"{name}.key"
        if source.exists():
            (Path(target) / source.name).write_bytes(source.read_bytes())
            (Path(target) / source.name).chmod(0o600)


def postgres_demo_name(url, folder):
    """The demo template's name on the server of DATABASE_URL, beside the migrated one's."""
    return postgres_template_name(url, folder).removesuffix("_template") + "_demo"


@contextlib.contextmanager
def switched(connection, template_url):
    """Django's ``connection`` on a fresh copy of ``template_url`` while the block runs, then
    back on its own test database, the copy dropped: what the block's tests write stays in the
    copy."""
    own = connection.settings_dict["NAME"]
    with tempfile.TemporaryDirectory(prefix="himaya-demo-") as folder:
        if template_url.startswith("postgres"):
            url, drop = postgres_copy(template_url, f"{own}_demo")
            name = urlparse(url).path[1:]
        else:
            name, drop = str(Path(folder) / "demo.sqlite3"), lambda: None
            copy_sqlite(template_url, name)
        _close(connection)
        connection.settings_dict["NAME"] = name
        try:
            yield
        finally:
            _close(connection)
            connection.settings_dict["NAME"] = own
            drop()


def _close(connection):
    """Close ``connection`` even on the in-memory SQLite test database, whose ``close()`` Django
    ignores (closing its last connection would lose it: ``created_from`` keeps one open)."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    BaseDatabaseWrapper.close(connection)


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


def drop_postgres_template(folder):
    """Drop the run's PostgreSQL templates (the controlling process, once the workers are done)."""
    url = postgres_url()
    if url:
        with _admin(url) as conn:
            for name in (postgres_demo_name(url, folder), postgres_template_name(url, folder)):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
