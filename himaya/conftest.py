"""Shared test fixtures: organisations, named users (one of them an outsider), logged-in
clients, and the figures that security tests print at the end of the run."""

import collections
import contextlib
import os
import sys
import time

import factory.random
import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from himaya.accounts.middleware import SESSION_STARTED_KEY
from himaya.core import codelabels
from himaya.statistics import revision
from himaya.testing import databases
from himaya.testing import factories as f

# Python's bytecode is written and read again, by this process and the subprocesses the tests
# start (`manage.py` servers, shells, imports, migrate, demo), even where the environment says
# PYTHONDONTWRITEBYTECODE (Python's container images do). Without it each pytest process
# rewrote and compiled the test modules' assertions on every run (collecting the suite: 18.7 s,
# 6.1 s with them cached), and each `manage.py` process the tests start (servers, shells,
# imports, migrate, demo) compiled Himaya from source (up to 1 s more to start).
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# (test id, line) of the figures recorded by this process. Under pytest-xdist each worker sends
# its own to the controller, which prints them all in the order of the tests.
FIGURES = []
TEST_ORDER = []


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):  # an xdist worker
        session.config.workeroutput["himaya_figures"] = FIGURES
    else:  # the process that started the run: the workers are done with the template
        databases.drop_postgres_template(databases.shared_folder(session.config._tmp_path_factory))


# The files that take longest, started first: pytest-xdist (--dist loadfile) hands out whole
# files in the order of its queue, so a long file handed out last ran alone on one worker at the
# end of the run while the other worker sat idle. First the walk, the fuzzing and the access
# rules compared over random caseloads (each 20 to 170 s); then the other browser tests (a flow
# of 10 to 40 s, most a file of one test); then the files that start `manage.py` processes or
# read the whole demo; then the rest. Within a rank, the files with most tests first (as
# pytest-xdist had them). Each file's tests keep their order. In one process (-n 0) only
# LONGEST_FIRST moves: the other tests keep pytest-django's order (the transactional ones last).
LONGEST_FIRST = (
    "himaya/tests/live/test_walk.py",
    "himaya/tests/test_api_schema.py",
    "himaya/core/tests/test_access_policies.py",
    "himaya/core/tests/test_access_union.py",
)
BROWSER_FIXTURES = {"browser", "server"}
DEMO_FIXTURES = {"demo_database"}  # anywhere among the fixtures a test uses
PROCESS_FIXTURES = {"migrated"}  # asked for by the test itself (every database test uses it)


def pytest_configure(config):
    # pytest-xdist's own order (--loadscope-reorder, on by default) sorts the files by their
    # number of tests: the browser flows, one long test each, came last.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config, items):
    if not hasattr(config, "workerinput"):  # in one process, pytest-django's order after these
        first = {path: i for i, path in enumerate(LONGEST_FIRST)}
        items.sort(key=lambda item: first.get(item.nodeid.split("::")[0], len(first)))
        return
    files = collections.defaultdict(lambda: {"tests": 0, "fixtures": set()})
    for item in items:
        file = files[item.nodeid.split("::")[0]]
        file["tests"] += 1
        file["fixtures"].update(set(getattr(item, "fixturenames", ())) & DEMO_FIXTURES)
        file["fixtures"].update(set(getattr(item, "fixturenames", ())) & BROWSER_FIXTURES)
        info = getattr(item, "_fixtureinfo", None)
        file["fixtures"].update(set(info.argnames if info else ()) & PROCESS_FIXTURES)

    def rank(path):
        if path in LONGEST_FIRST:
            return (0, LONGEST_FIRST.index(path))
        if files[path]["fixtures"] & BROWSER_FIXTURES:
            # Most tests first here too, as pytest-xdist had them. (test_phone.py once passed
            # only before test_notification_flow.py on the worker's one server: the bell's
            # count widened the phone's menu bar; the count now takes no width, and test_phone
            # gives its users a count of its own.)
            return (1, -files[path]["tests"])
        if files[path]["fixtures"] & (DEMO_FIXTURES | PROCESS_FIXTURES):
            return (2, -files[path]["tests"])
        return (3, -files[path]["tests"])

    items.sort(key=lambda item: rank(item.nodeid.split("::")[0]))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    if not TEST_ORDER:
        TEST_ORDER.extend(ids)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    FIGURES.extend(tuple(f) for f in getattr(node, "workeroutput", {}).get("himaya_figures", []))


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        # Serially FIGURES is already in test order; from workers, sort it back (stable, so a
        # test's own lines keep their order).
        index = {nodeid: i for i, nodeid in enumerate(TEST_ORDER)}
        terminalreporter.section("Himaya security and quality figures")
        for _nodeid, line in sorted(FIGURES, key=lambda f: index.get(f[0], -1)):
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """The run's migrated template database: ``migrated("sqlite")`` or ``migrated("postgres")``
    is its URL (himaya/testing/databases.py). Test databases and the browser tests' servers are
    copies of it."""
    folder = databases.shared_folder(tmp_path_factory)
    return lambda engine: databases.template(folder, engine)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, migrated):
    """The run's demo deployment: ``demo_template("sqlite")`` (or "postgres") is a dict with the
    URL of a migrated database on which `manage.py demo` ran once for the whole run, the
    command's output and the seconds it took (himaya/testing/databases.py)."""
    folder = databases.shared_folder(tmp_path_factory)
    return lambda engine: databases.demo_template(folder, engine, migrated(engine))


@pytest.fixture(scope="module")
def demo_database(django_db_setup, django_db_blocker, demo_template):
    """The whole demo deployment (300 persons, every part) under this module's tests: a fresh
    copy of the run's demo for the module, dropped after it, so what its tests write reaches no
    other module. Yields what ``demo_template`` returns."""
    from django.db import connection

    info = demo_template("postgres" if databases.postgres_url() else "sqlite")
    with django_db_blocker.unblock(), databases.switched(connection, info["url"]):
        yield info


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
    migrated,
):
    """pytest-django's, but each worker's test database is a copy of the run's migrated
    template instead of migrated again (not with --reuse-db or --nomigrations, which keep
    pytest-django's own way)."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    keepdb = django_db_keepdb and not django_db_createdb
    if not django_db_use_migrations:
        _disable_migrations()
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    if keepdb or not django_db_use_migrations:
        copied = contextlib.nullcontext()
    else:
        engine = "postgres" if databases.postgres_url() else "sqlite"
        copied = databases.created_from(migrated(engine), connection)
    with django_db_blocker.unblock(), copied:
        db_cfg = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=keepdb,
        )
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(db_cfg, verbosity=request.config.option.verbose)


@pytest.fixture
def work(django_capture_on_commit_callbacks, monkeypatch):
    """Run the background queue's tasks with the worker's real command (``himaya db_worker``),
    sharing the test's connection and its transaction (kept open); the notifications they send
    are delivered as when their transaction commits."""
    from django.core.management import call_command

    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run_queue():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("db_worker", "--batch", "--interval", "0")

    return run_queue


@pytest.fixture(autouse=True)
def english_by_default(settings):
    """Tests read messages in English unless they choose a language; the product's default
    stays Arabic (tests of right-to-left pages ask for it)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def same_draws(request):
    """Faker (in the factories) draws the same names for a test on every run, whatever ran
    before it on its worker: a test must never depend on a random draw."""
    factory.random.reseed_random(request.node.nodeid)


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch):
    """Each test starts with an empty cache: the figures cached per data revision (home page,
    commission panel, and those kept in the process: statistics.revision.forget) and the codes
    kept per process (core.codelabels) must not outlive the test whose rolled-back rows they
    read (the next test's revisions repeat its numbers: a query-count test once read the
    figures another test had left). The codes' clock stands still during the test: a test
    slowed past codelabels.SECONDS by a loaded machine would otherwise read them again (a
    statistics query-count test failed so in a full run)."""
    cache.clear()
    codelabels.forget()
    revision.forget()
    started = codelabels.clock()
    monkeypatch.setattr(codelabels, "clock", lambda: started)


@pytest.fixture
def figure(request):
    """Record a figure line, printed in the test run's summary."""

    def record(line):
        FIGURES.append((request.node.nodeid, line))
        print(line)

    return record


@pytest.fixture
def orgs(db):
    return f.standard_organisations()


@pytest.fixture
def users(orgs):
    """alice: caseworker at NGO A; bob: caseworker at NGO B; carol: investigator at police;
    ana: analyst at the national commission; olivia: organisation admin at NGO A;
    harry: hotline operator at the hotline; paula: prosecutor at the prosecution of the police's
    region; sam: shelter manager at a shelter (Casablanca); ivy: caseworker at an international
    organisation; cole: a court clerk (prosecutor role) at the court of the police's region;
    root: system administrator with no membership; charlie: an account with no membership."""
    return f.standard_users(orgs)


def verified_client(user):
    client = Client()
    client.force_login(user)
    device = user.totpdevice_set.filter(confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session[SESSION_STARTED_KEY] = int(time.time())
    session.save()
    return client


@pytest.fixture
def login():
    return verified_client
