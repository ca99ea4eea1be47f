"""Shared test fixtures: organisations, named users (one of them an outsider), logged-in
clients, and the figures that security tests print at the end of the run."""

import time

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from himaya.accounts.middleware import SESSION_STARTED_KEY
from himaya.core import codelabels
from himaya.testing import factories as f

# (test id, line) of the figures recorded by this process. Under pytest-xdist each worker sends
# its own to the controller, which prints them all in the order of the tests.
FIGURES = []
TEST_ORDER = []


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):  # an xdist worker
        session.config.workeroutput["himaya_figures"] = FIGURES


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


@pytest.fixture(autouse=True)
def english_by_default(settings):
    """Tests read messages in English unless they choose a language; the product's default
    stays Arabic (tests of right-to-left pages ask for it)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the figures cached per data revision (home page,
    commission panel) and the codes kept per process (core.codelabels) must not outlive the
    test whose rolled-back rows they read."""
    cache.clear()
    codelabels.forget()


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
