"""The walk of issue 15's "done when": every demo role through its main flow, in Arabic and in
French, each page at desktop (1280 px) and phone (375 px) width, on the demo deployment (loaded
by `himaya demo`, logged in with the demo accounts' 2FA codes, the codes `himaya totp` prints).

On every page: no debug page or server error; no US-style date or 12-hour time; at 375 px no
horizontal overflow; on Arabic pages no Latin , ; ? between Arabic words and no English or French
words (himaya/testing/walk.py says what is allowed: references, addresses, acronyms, and the names
of people typed in Latin script; text a user typed, isolated in its own direction, is theirs). On
the analyst's pages every figure with a drill-down equals the number of records the drill-down
says are behind it, and the drill-down lists each of them the analyst may open.

Each role's findings are gathered over the whole walk and reported together, so one run lists
every fault. With HIMAYA_WALK_SHOTS naming a folder, each page's screenshots (both widths, full
page) go there, to be looked at; without it none are taken (the suite's run: they are most of the
walk's time and nobody reads them there)."""

import datetime
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django_otp import oath
from playwright.sync_api import expect

from himaya.testing import databases, walk

from .conftest import CHROMIUM, ROOT, free_port

pytestmark = pytest.mark.browser

PASSWORD = "tanger-oujda-laayoune"  # every demo account's (himaya/demo/loader.py)
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
LANGUAGES = ("ar", "fr")

# The names typed in Latin script on the demo's records (people, suspects, staff), read from the
# database once loaded: on an Arabic page, "Fatima Zahra El Alaoui" is a name, not French.
LATIN_NAMES = """
import json
from himaya.accounts.models import User
from himaya.people.models import Person
from himaya.justice.models import Suspect
words = set()
for u in User.objects.all():
    words.update((u.username, u.first_name, u.last_name))
for model in (Person, Suspect):
    for r in model.objects.all():
        words.update((r.given_name_lat or "", r.family_name_lat or ""))
print(json.dumps(sorted(w for w in words if w)))
"""

# The demo accounts' authenticator devices, read with the names: each login's code is computed
# here as `himaya totp` computes it (himaya/accounts/twofactor.py), instead of a `manage.py totp`
# process per login (~2 s of CPU apiece); the fixture checks once that the two agree.
DEVICES = """
import json
from django_otp.plugins.otp_totp.models import TOTPDevice
print(json.dumps({d.user.username: [d.key, d.step, d.t0, d.digits]
    for d in TOTPDevice.objects.filter(confirmed=True, user__is_demo=True).select_related("user")}))
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_template):
    """A server on a copy of the run's demo deployment (himaya/conftest.py: `himaya demo` run
    once, on SQLite; demo mode: known passwords, `himaya totp`), with the keys it was written
    with, shared by the whole walk."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is required for the browser tests ({CHROMIUM})")
    tmp = tmp_path_factory.mktemp("walk-server")
    env = _server_env(tmp)
    manage = [sys.executable, str(ROOT / "manage.py")]

    def run(*args):
        return subprocess.run(
            [*manage, *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout

    databases.copy_sqlite(demo_template("sqlite")["url"], str(tmp / "walk.sqlite3"))
    databases.copy_keys(tmp)
    names_line, devices_line = run("shell", "-c", LATIN_NAMES + DEVICES).strip().splitlines()[-2:]
    names, devices = set(json.loads(names_line)), json.loads(devices_line)

    def totp(user, drift=0):
        key, step, t0, digits = devices[user]
        value = oath.totp(bytes.fromhex(key), step=step, t0=t0, digits=digits, drift=drift)
        return f"{value:0{digits}d}"

    # `himaya totp` itself, once: its code is ours, give or take the 30-second step turning.
    assert run("totp", "police").strip() in {totp("police", d) for d in (-1, 0, 1)}
    log = open(tmp / "server.log", "w")  # noqa: SIM115
    proc, base = _start_server(manage, env, tmp, log)
    shots = os.environ.get("HIMAYA_WALK_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        print(f"\nwalk screenshots: {shots}")
    yield {
        "base": base,
        "totp": totp,
        "names": names,
        "shots": Path(shots) if shots else None,
    }
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def _server_env(tmp):
    """The server's environment: this process's, less its Himaya and Django settings, with the
    demo deployment's own under ``tmp``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HIMAYA_", "DJANGO_"))}
    env.update(
        # The test profile: as development, but passwords hashed at Argon2's least cost
        # (seeding the accounts and each login otherwise cost ~0.2 s of CPU apiece).
        HIMAYA_ENV="test",
        HIMAYA_DEMO="1",
        HIMAYA_VAR_DIR=str(tmp),
        DATABASE_URL=f"sqlite:///{tmp / 'walk.sqlite3'}",
        DEBUG="0",
        PYTHONUNBUFFERED="1",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp / "mail"),
    )
    return env


def _start_server(manage, env, tmp, log):
    """`runserver` on a free port, its output to ``log``, once it answers /health/. Returns
    the process and the server's address."""
    port = free_port()
    proc = subprocess.Popen(
        [*manage, "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/health/", timeout=1)  # noqa: S310
            break
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    else:
        proc.terminate()
        pytest.fail("the server did not start: " + (tmp / "server.log").read_text())
    if proc.poll() is not None:
        pytest.fail("the server did not start: " + (tmp / "server.log").read_text())
    return proc, base


def number(text):
    """The first whole number in a text, in Western or Arabic-Indic digits, grouped or not."""
    digits = text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    m = re.search(r"\d[\d.,\u00a0\u202f\u066c ]*", digits)
    assert m, f"no number in {text!r}"
    return int(re.sub(r"\D", "", m.group(0)))


class Walker:
    """One demo user in one browser context: opens pages, checks each at both widths, takes the
    screenshots, gathers the findings."""

    def __init__(self, browser, demo, username):
        self.demo, self.base, self.user = demo, demo["base"], username
        self.context = browser.new_context(viewport=WIDTHS["desktop"], locale="ar-MA")
        self.page = self.context.new_page()
        self.findings, self.lang, self.step = [], "ar", 0
        self.allowed = set(demo["names"])
        self.page.on("response", self._on_response)

    def _on_response(self, response):
        if response.status >= 500:
            self.findings.append(f"[{self.lang}] server error {response.status}: {response.url}")

    def log_in(self):
        page = self.page
        page.goto(self.base + "/")
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
        page.fill("#id_username", self.user)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        expect(page).to_have_url(re.compile(r"/accounts/login/verify/"))
        page.fill("#id_code", self.demo["totp"](self.user))
        page.click("main button[type=submit]")
        expect(page).to_have_url(self.base + "/")

    def language(self, lang):
        self.lang = lang
        if self.page.locator("html").get_attribute("lang") != lang:
            self.page.click(f"[data-testid=lang-{lang}]")
        expect(self.page.locator("html")).to_have_attribute("lang", lang)
        expect(self.page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")

    def visit(self, path, name):
        response = self.page.goto(self.base + path)
        if response is not None and response.status >= 400:
            self.findings.append(f"[{self.lang}] {path}: answered {response.status}")
        self.check(name)

    def check(self, name):
        """The current page, at desktop then phone width (back to desktop after)."""
        page = self.page
        self.step += 1
        where = f"[{self.lang}] {page.url.removeprefix(self.base)} ({name})"
        text = page.locator("body").inner_text()
        found = walk.debug_page(text) + walk.us_dates(text)
        if self.lang == "ar":
            found += walk.latin_punctuation(text)
            found += walk.foreign_words(self._arabic_text(), self.allowed)
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            if width == "phone":
                overflow = page.evaluate(
                    "() => [document.documentElement.scrollWidth, window.innerWidth]"
                )
                if overflow[0] > overflow[1] + 1:
                    found.append(
                        f"horizontal overflow at 375 px: the page is {overflow[0]} px wide"
                        f" ({self._widest()})"
                    )
            if self.demo["shots"]:
                shot = f"{self.user}-{self.lang}-{self.step:02d}-{name}-{viewport['width']}.png"
                page.screenshot(path=str(self.demo["shots"] / shot), full_page=True)
        page.set_viewport_size(WIDTHS["desktop"])
        self.findings += [f"{where}: {f}" for f in dict.fromkeys(found)]

    def _arabic_text(self):
        """The visible text of an Arabic page, less what is declared to be in another language
        (an element with its own lang, such as the language switch's "Français" or a statement
        given in French beside the Arabic one)."""
        return self.page.evaluate(
            """() => {
            const body = document.body.cloneNode(true);
            // What a user typed is shown isolated in its own direction (<bdi dir="auto">, or a
            // block with dir="auto"): a French note is the writer's, not the interface's.
            body.querySelectorAll(
                '[lang]:not([lang|=ar]), [dir=auto], script, style, template')
                .forEach(e => e.remove());
            // laid out off screen, so that innerText leaves out what CSS hides, as on the page
            body.style.cssText = 'position:absolute;left:-99999px;top:0;width:100%';
            document.documentElement.appendChild(body);
            const text = body.innerText;
            body.remove();
            return text;
            }"""
        )

    def _widest(self):
        return self.page.evaluate(
            """() => {
            const width = window.innerWidth;
            const wide = Array.from(document.querySelectorAll('body *')).filter(e => {
                const r = e.getBoundingClientRect();
                return r.width > 0 && (r.right > width + 1 || r.left < -1);
            });
            const outer = wide.filter(e => !wide.includes(e.parentElement)).slice(0, 3);
            return outer.map(e => e.tagName.toLowerCase() + (e.className ? '.' +
                String(e.className).trim().split(/\\s+/).join('.') : '') +
                ' ' + Math.round(e.getBoundingClientRect().width) + 'px').join(', ');
            }"""
        )

    def typed(self, *words):
        """Values this walk types in Latin script (names), allowed on Arabic pages."""
        for w in words:
            self.allowed.update(w.split())

    def submit(self, button, name):
        self.page.click(button)
        self.page.wait_for_load_state()
        self.check(name)


# --- the flows: each runs once per language, on the language's own records ------------------


def hotline(w, lang):
    """The hotline operator takes a call and sees it in the triage queue."""
    page = w.page
    w.visit("/", "home")
    w.visit("/hotline/new/", "new-report")
    page.click("label[for=id_urgency_1]")
    page.click("label[for=id_channel_0]")
    page.click("label[for=id_caller_type_1]")
    text = {
        "ar": "أختي تعمل خادمة لدى أسرة في طنجة ولا يسمح لها بالخروج منذ شهور.",
        "fr": "Ma sœur travaille comme domestique à Tanger et ne peut pas sortir depuis des mois.",
    }[lang]
    page.fill("#id_narrative", text)
    page.select_option("#id_region", index=1)
    w.submit("[data-testid=report-form] button[type=submit]", "report")
    expect(page).to_have_url(re.compile(r"/hotline/\d+/$"))
    expect(page.locator("[data-testid=narrative]")).to_contain_text(text[:20])
    w.visit("/hotline/", "queue")


def police(w, lang):
    """The investigator screens someone met in an operation, then opens an investigation."""
    page = w.page
    w.visit("/", "home")
    w.visit("/screening/", "screenings")
    w.visit("/screening/new/", "new-screening")
    page.locator(".questionnaire-choice label").first.click()
    page.fill("#id_alias", {"ar": "شاب من غينيا، المحطة الطرقية", "fr": "Jeune homme, gare"}[lang])
    page.select_option("#id_region", index=1)
    w.submit("[data-testid=start]", "screening-step1")
    expect(page).to_have_url(re.compile(r"/screening/\d+/step/1/$"))
    w.visit("/justice/", "investigations")
    w.visit("/justice/new/", "new-investigation")
    page.fill("#id_opened_on", datetime.date.today().isoformat())
    w.submit("[data-testid=form-submit]", "investigation")
    expect(page).to_have_url(re.compile(r"/justice/\d+/$"))
    w.visit("/justice/stalled/", "stalled")


def caseworker(w, lang):
    """The caseworker registers a person, records her consents, opens a dossier, refers her."""
    page = w.page
    w.visit("/", "home")
    w.visit("/people/new/", "new-person")
    given, family = {"ar": ("Hind", "Sabri"), "fr": ("Rokia", "Traoré")}[lang]
    w.typed(given, family)
    page.fill("#id_given_name_ar", {"ar": "هند", "fr": "روكيا"}[lang])
    page.fill("#id_family_name_ar", {"ar": "صبري", "fr": "تراوري"}[lang])
    page.fill("#id_given_name_lat", given)
    page.fill("#id_family_name_lat", family)
    w.submit("main form button[type=submit] >> nth=-1", "person")
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))
    person_url = page.url.removeprefix(w.base)
    for purpose in ("services", "sharing"):
        page.goto(w.base + person_url)
        form = page.locator("form[action$='/consents/add/']")
        form.evaluate("f => f.closest('details') && (f.closest('details').open = true)")
        page.select_option("#id_consent-purpose", value=purpose)
        page.select_option("#id_consent-given_by", value="person")
        form.locator("button[type=submit]").click()
        expect(page).to_have_url(w.base + person_url)
    w.check("person-consents")
    page.locator("main a[href^='/dossiers/new/']").first.click()
    w.check("new-dossier")
    page.select_option("#id_forms", index=0)
    w.submit("main form button[type=submit] >> nth=-1", "dossier")
    expect(page).to_have_url(re.compile(r"/dossiers/\d+/$"))
    page.click("[data-testid=refer]")
    w.check("refer")
    page.select_option("#id_service", value="psychosocial")
    page.locator("#id_to_org option[value]:not([value=''])").first.wait_for(state="attached")
    page.select_option("#id_to_org", index=1)
    page.fill("#id_reason", {"ar": "تحتاج إلى دعم نفسي", "fr": "Besoin d'un soutien"}[lang])
    w.submit("[data-testid=refer-submit]", "referral")
    expect(page).to_have_url(re.compile(r"/services/referrals/\d+/$"))
    w.visit("/dossiers/", "dossiers")
    w.visit("/services/referrals/", "referrals")


def shelter(w, lang):
    """The shelter manager accepts a referral waiting for her answer and admits the person."""
    page = w.page
    w.visit("/", "home")
    w.visit("/services/referrals/", "referrals")
    links = page.locator("[data-testid=received] [data-testid=referral-row] a").all()
    hrefs = [a.get_attribute("href") for a in links]
    for href in hrefs:
        page.goto(w.base + href)
        if page.locator("[data-testid=accept]").count():
            break
    else:
        pytest.fail("no referral waits for the shelter's answer in the demo")
    w.check("referral-received")
    w.submit("[data-testid=accept]", "referral-accepted")
    expect(page.locator("[data-testid=status]")).to_have_attribute("data-status", "accepted")
    if page.locator("[data-testid=admit]").count():
        form = page.locator("form[action*='/admit/']")
        for select in form.locator("select").all():
            if not select.input_value():
                select.select_option(index=1)
        for date in form.locator("input[type=date]").all():
            date.fill(datetime.date.today().isoformat())
        w.submit("[data-testid=admit]", "admitted")
        expect(page.locator("[data-testid=stay]").first).to_be_visible()
    w.visit("/services/beds/", "beds")


def prosecutor(w, lang):
    """The prosecutor reads the investigations transferred to the office, a prosecution, and
    the non-punishment alerts."""
    page = w.page
    w.visit("/", "home")
    w.visit("/justice/", "investigations")
    page.locator("main a[href^='/justice/'][href$='/']").filter(
        has_text=re.compile(r"ENQ-")
    ).first.click()
    w.check("investigation")
    prosecution = page.locator("main a[href*='/justice/prosecutions/']")
    if prosecution.count():
        prosecution.first.click()
        w.check("prosecution")
    w.visit("/dossiers/alerts/", "alerts")


def analyst(w, lang):
    """The analyst reads the home figures, the annual report and the records behind figures:
    every figure equals the number of records its drill-down says are behind it, and the
    drill-down lists every one of them the analyst may open."""
    page = w.page
    w.visit("/", "home")
    cards = page.locator("main a.card[href*='?stage=']")
    stages = [
        (c.get_attribute("href"), number(c.locator(".fs-4").inner_text())) for c in cards.all()
    ]
    assert stages, "the analyst's home shows the dossiers by stage"
    for href, figure in stages[:3]:
        w.visit(href, "dossiers-by-stage")
        listed = number(page.locator("main p.text-muted.small").first.inner_text())
        if listed != figure:
            w.findings.append(
                f"[{lang}] home figure {figure} for {href} but the list says {listed} dossiers"
            )
    w.visit("/figures/report/", "report")
    drills = []
    for link in page.locator("main tr[data-key] a[href*='/records/']").all():
        row = link.locator("xpath=ancestor::tr[1]")
        drills.append((link.get_attribute("href"), number(row.locator("td").first.inner_text())))
    assert len(drills) >= 6, "the report offers the records behind its figures"
    report_url = page.url.removeprefix(w.base)
    for href, figure in drills:
        w.visit(href, "records")
        summary = page.locator("[data-testid=records-summary]")
        total = number(summary.inner_text())
        # The records the analyst's role opens are listed; the others are counted, never shown
        # (their existence elsewhere is itself sensitive): the page says how many of each.
        visible = int(summary.get_attribute("data-visible"))
        listed = page.locator("[data-testid=records] li").count()
        if total != figure or int(summary.get_attribute("data-total")) != figure:
            w.findings.append(
                f"[{lang}] {report_url}: figure {figure}, but {href} says {total} records"
            )
        if listed != min(visible, 200) or visible > total:
            w.findings.append(
                f"[{lang}] {report_url}: {href} lists {listed} records, says {visible} open"
            )
    w.visit("/justice/oversight/", "justice-oversight")


def focal(w, lang):
    """The focal point reports the progress of a measure of the action plan."""
    page = w.page
    w.visit("/", "home")
    w.visit("/coordination/", "plan")
    rows = page.locator("[data-testid=measure-row] a")
    if rows.count():
        rows.first.click()
        w.check("measure")
        status = page.locator("[data-testid=status-form] select[name=status]")
        if status.count():
            current = status.input_value()
            values = [o.get_attribute("value") for o in status.locator("option").all()]
            status.select_option([v for v in values if v and v != current][0])
            page.fill(
                "[data-testid=status-form] input[name=note]",
                {"ar": "انطلاق الدورات الأولى", "fr": "Premières sessions lancées"}[lang],
            )
            w.submit("[data-testid=status-submit]", "measure-status")
    w.visit("/coordination/dashboard/", "dashboard")


def linkage(w, lang):
    """The linkage officer opens the desk and a candidate pair."""
    page = w.page
    w.visit("/", "home")
    w.visit("/linkage/", "desk")
    pair = page.locator("main a[href^='/linkage/pairs/']")
    if pair.count():
        pair.first.click()
        w.check("pair")
    w.visit("/subject-rights/", "subject-rights")


def admin(w, lang):
    """The system administrator manages organisations and users."""
    page = w.page
    w.visit("/", "home")
    w.visit("/organisations/", "organisations")
    page.locator("main a[href^='/organisations/'][href$='/']").filter(
        has_not_text=re.compile("^$")
    ).nth(1).click()
    w.check("organisation")
    user = page.locator("main a[href*='/organisations/users/']")
    if user.count():
        user.first.click()
        w.check("user")
    w.visit("/organisations/new/", "new-organisation")


def orgadmin(w, lang):
    """The organisation admin manages the users of her organisation."""
    page = w.page
    w.visit("/", "home")
    w.visit("/organisations/", "organisations")
    page.locator("main a[href^='/organisations/'][href$='/']").first.click()
    w.check("organisation")
    add = page.locator("main a[href$='/members/add/']")
    if add.count():
        add.first.click()
        w.check("add-member")


FLOWS = {
    "hotline": hotline,
    "police": police,
    "caseworker": caseworker,
    "shelter": shelter,
    "prosecutor": prosecutor,
    "analyst": analyst,
    "focal": focal,
    "linkage": linkage,
    "admin": admin,
    "orgadmin": orgadmin,
}


@pytest.mark.parametrize("username", FLOWS)
def test_walk(demo, browser, username):
    w = Walker(browser, demo, username)
    try:
        w.log_in()
        for lang in LANGUAGES:
            w.language(lang)
            FLOWS[username](w, lang)
    finally:
        w.context.close()
    if demo["shots"]:
        (demo["shots"] / f"{username}-findings.txt").write_text("\n".join(w.findings) + "\n")
    if w.findings:
        pytest.fail(f"{username}: {len(w.findings)} findings\n" + "\n".join(w.findings), False)


# --- the checks catch what they are for -----------------------------------------------------


def test_the_checks_catch_the_faults_the_walk_found():
    today = datetime.date(2026, 12, 6)
    assert walk.us_dates("12/06/2026 12:16 ص", today)  # 6 December, month first, 12-hour
    assert walk.us_dates("le 12/25/2026", today)
    assert walk.us_dates("at 3:05 PM", today)
    assert not walk.us_dates("06/12/2026 14:16 · 25/12/2026 · 6 دجنبر 2026", today)
    assert walk.latin_punctuation("3 ساعات, 13 دقيقة")
    assert walk.latin_punctuation("هل تريد المتابعة?")
    assert not walk.latin_punctuation("3 ساعات، 13 دقيقة؛ HMY-1, HMY-2")
    assert walk.foreign_words("الرسمية: Enquêtes ouvertes, personnes poursuivies")
    assert walk.foreign_words("كلمة المرور: Your password must contain at least 12 characters")
    assert walk.foreign_words("مركز Centre d'hébergement Assalam")
    assert walk.foreign_words("نسخة البيانات de9ca83a20cf9e33: Excel (one sheet per table)")
    assert not walk.foreign_words("نسخة البيانات de9ca83a20cf9e33، Excel، WhatsApp / SMS")
    assert not walk.foreign_words(
        "الملف HMY-2026-000012 (PDF) · Fatima Zahra El Alaoui · amina@example.org · BG-PRV-01",
        {"Fatima", "Zahra", "El", "Alaoui"},
    )
    assert walk.debug_page("Page not found (404)\nDjango tried these URL patterns, in this order")
