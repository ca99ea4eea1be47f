"""A real Himaya server in a subprocess, on its own database (SQLite file, or a fresh PostgreSQL
database when DATABASE_URL points to PostgreSQL), driven by Playwright in Debian's Chromium.

A subprocess rather than pytest-django's live_server: the audit trail is append-only down to
database triggers, so the test database cannot be flushed between transactional tests."""

import email
import email.policy
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from himaya.testing import databases

ROOT = Path(__file__).resolve().parents[3]
ARTEFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("HIMAYA_CHROMIUM", "/usr/bin/chromium")
TOTP_KEY = "3132333435363738393031323334353637383930"  # hex; RFC 6238's test secret
PASSWORD = "browser test passphrase 2026"
API_TOKEN = "hmy_concurrency-test-token-0123456789abcdef"

SEED = f"""
from himaya.accounts.models import Membership, Organisation, User
from himaya.core.models import Code
from django_otp.plugins.otp_totp.models import TOTPDevice
org = Organisation.objects.create(name_ar="جمعية الأمل", name_fr="Association Al Amal",
    name_en="Al Amal association", type=Code.objects.get(list="org_type", code="ngo"),
    region=Code.objects.get(list="region", code="casablanca_settat"))
user = User.objects.create_user("amina", password="{PASSWORD}", first_name="Amina",
    last_name="Berrada", preferred_language="ar")
Membership.objects.create(user=user, organisation=org, role="caseworker")
TOTPDevice.objects.create(user=user, name="app", confirmed=True, key="{TOTP_KEY}")
from datetime import timedelta
from django.utils import timezone
from himaya.accounts.models import ApiToken, hash_token
from himaya.people import actions
ApiToken.objects.create(user=user, name="tests", prefix="{API_TOKEN[4:12]}",
    digest=hash_token("{API_TOKEN}"), expires_at=timezone.now() + timedelta(days=1))
actions.create_person(acting_user=user, organisation=org, given_name_lat="Salma",
    family_name_lat="Idrissi")
# The identify flows: a hotline operator, a police officer and a prosecutor of Tangier.
def code(lst, value):
    return Code.objects.get(list=lst, code=value)
tanger = code("region", "tanger_tetouan_al_hoceima")
for username, first, last, org_type, name_fr, name_ar, region, role in [
    ("hiba", "Hiba", "Alami", "hotline", "Ligne d'écoute nationale", "الخط الساخن", None,
     "hotline_operator"),
    ("karim", "Karim", "Lahlou", "police", "Police de Tanger", "أمن طنجة", tanger, "investigator"),
    ("yasmine", "Yasmine", "Fassi", "prosecution", "Parquet de Tanger", "النيابة العامة بطنجة",
     tanger, "prosecutor"),
    ("latifa", "Latifa", "Chraibi", "shelter", "Centre d'hébergement Dar Amane",
     "مركز إيواء دار الأمان", None, "shelter_manager"),
    ("grace", "Grace", "Mensah", "international_organisation", "Organisation internationale",
     "منظمة دولية", None, "caseworker"),
]:
    o = Organisation.objects.create(name_ar=name_ar, name_fr=name_fr, name_en=name_fr,
        type=code("org_type", org_type), region=region or code("region", "rabat_sale_kenitra"))
    u = User.objects.create_user(username, password="{PASSWORD}", first_name=first,
        last_name=last, preferred_language="ar")
    Membership.objects.create(user=u, organisation=o, role=role)
    TOTPDevice.objects.create(user=u, name="app", confirmed=True, key="{TOTP_KEY}")
"""


def free_port():
    """A free port for the server. Under pytest-xdist each worker starts a server of its own, so
    a worker takes only ports equal to its number modulo the number of workers: two workers never
    pick the same port between this check and their server's bind. Ports are drawn below the
    kernel's ephemeral range (32768 and up by default), where outgoing connections take theirs."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index, count = int(worker[2:]), int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    while True:
        port = random.randrange(20000, 32000, count) + index
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port


def browser_database(tmp, migrated):
    """The server's database, a copy of the run's migrated template: an SQLite file, or a
    PostgreSQL database of its own when DATABASE_URL points to PostgreSQL. Its URL, and a
    function that drops it (or None)."""
    if not databases.postgres_url():
        copy = tmp / "browser.sqlite3"
        databases.copy_sqlite(migrated("sqlite"), str(copy))
        return f"sqlite:///{copy}", None
    return databases.postgres_copy(migrated("postgres"), f"himaya_browser_{os.getpid()}")


_SERVER = {}


def run_on_server(code):
    """Run Python code in a shell on the browser tests' database (records dated in past
    years, which no page may write, for the flows that read them)."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "shell", "-c", code], env=_SERVER["env"], check=True, cwd=ROOT)


def run_worker():
    """Run the background tasks queued by the server (django-tasks' database queue), as
    `himaya db_worker` does in production, then stop."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(
        [*manage, "db_worker", "--batch", "--no-startup-delay"],
        env=_SERVER["env"],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )


def sent_mails():
    """The mails the server sent (EMAIL_FILE_PATH), as (recipients line, whole text)."""
    folder = Path(_SERVER["env"]["EMAIL_FILE_PATH"])
    if not folder.exists():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        for raw in path.read_text().split("-" * 79):
            if raw.strip():
                message = email.message_from_string(raw.strip(), policy=email.policy.default)
                text = f"{message['Subject']}\n{message.get_content()}"
                out.append((str(message["To"]), text))
    return out


@pytest.fixture(scope="session")
def server(tmp_path_factory, migrated):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is required for the browser tests ({CHROMIUM}); "
            "install Debian's chromium package (.ci/run does)"
        )
    tmp = tmp_path_factory.mktemp("server")
    db_url, drop = browser_database(tmp, migrated)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HIMAYA_", "DJANGO_"))}
    env.update(
        # The test profile: as development, but passwords hashed at Argon2's least cost
        # (seeding the accounts and each login otherwise cost ~0.2 s of CPU apiece).
        HIMAYA_ENV="test",
        HIMAYA_VAR_DIR=str(tmp),
        DATABASE_URL=db_url,
        DEBUG="0",
        PYTHONUNBUFFERED="1",
        # Mails are written to files the tests read (the server's own outbox).
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp / "mail"),
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "shell", "-c", SEED], env=env, check=True, cwd=ROOT)
    _SERVER["env"] = env
    log = open(tmp / "server.log", "w")  # noqa: SIM115
    for _attempt in range(3):
        port = free_port()
        proc = subprocess.Popen(
            [*manage, "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )
        base = f"http://127.0.0.1:{port}"
        answered = False
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health/", timeout=1)  # noqa: S310
                answered = True
                break
            except OSError:
                if proc.poll() is not None:
                    break  # it could not serve, e.g. the port was taken meanwhile: another one
                time.sleep(0.2)
        if answered or proc.poll() is None:
            break
    if not answered:
        proc.terminate()
        pytest.fail("the server did not start: " + (tmp / "server.log").read_text())
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()
    if drop:
        drop()


@pytest.fixture(scope="module")
def browser():
    """Chromium, for the tests of one file. Not for the whole session: while Playwright runs,
    its event loop runs in the thread, and Django refuses database access from there
    (SynchronousOnlyOperation); under pytest-xdist a worker goes on to database tests after a
    file of browser tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar-MA")
    page = context.new_page()
    # No request may leave the machine: every asset is served by Himaya itself.
    foreign = []
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None
        ),
    )
    page.foreign_requests = foreign
    yield page
    context.close()


@pytest.fixture(scope="session")
def artefacts():
    ARTEFACTS.mkdir(exist_ok=True)
    return ARTEFACTS


# username -> (the 30-second step whose code last logged them in, the test's step then)
_LAST_LOGIN = {}


def log_in(page, server, username="amina", language="ar"):
    """Password then TOTP code. Each seeded user has a device of its own, so one code can log in
    several users. A code works once; ``unused_code`` picks one the server accepts without
    waiting for the next 30-second window."""
    from playwright.sync_api import expect

    page.goto(server + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page).to_have_url(re.compile(r"/accounts/login/verify/"))
    page.fill("#id_code", unused_code(username))
    page.click("main button[type=submit]")
    expect(page).to_have_url(server + "/")
    # Tests share one server, and a user's language choice is remembered: start each flow in
    # the language it expects (Arabic unless it says otherwise).
    if language and page.locator("html").get_attribute("lang") != language:
        page.click(f"[data-testid=lang-{language}]")
        expect(page.locator("html")).to_have_attribute("lang", language)


def unused_code(username):
    """A code ``username`` has not logged in with, which the server accepts at once.

    django-otp accepts the code of a step within one of the device's clock (its time plus its
    drift), later than the last step accepted, and then, OTP_TOTP_SYNC being on (its default),
    sets the drift so that the step accepted is the device's present. So right after a login
    the step accepted is the device's centre, and it moves with the clock: the next code is
    the step after the last one, moved on by the windows passed since (at least one). The
    server's clock may have crossed into the next window after ours (one step either way),
    which the tolerance of one step absorbs. A user's first code is the present step's."""
    now = int(time.time() // 30)
    if username in _LAST_LOGIN:
        last_step, last_now = _LAST_LOGIN[username]
        step = last_step + max(1, now - last_now)
    else:
        step = now
    _LAST_LOGIN[username] = (step, now)
    return current_code(drift=step - now)


def current_code(drift=0):
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(TOTP_KEY), drift=drift):06d}"


_ = shutil
