"""End-to-end in headless Chromium (issue 10, "Done when"). The same man, محمد الزياني, was
identified this year by the police of Tangier. Amina, an NGO caseworker working in Arabic,
starts recording "Mohammed Zeyani": she is shown her own organisation's record of him, and only
a notice for the police's record. Omar, of the police of Casablanca, records him again: the
notice offers him the linkage desk, and he sends the pair with a reason. Lina, linkage officer
of the national commission, compares the two identities and links them in Arabic, then reads the
pair in French; the victims identified this year drop by one."""

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from .conftest import _SERVER, PASSWORD, ROOT, TOTP_KEY, log_in

pytestmark = pytest.mark.browser

SEED = f"""
import datetime
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from himaya.accounts.models import Membership, Organisation, User
from himaya.cases import actions as cases_actions
from himaya.cases.actions import record_decision
from himaya.core.models import Code
from himaya.people import actions
def code(lst, value):
    return Code.objects.get(list=lst, code=value)
def user(username, org, role):
    u = User.objects.create_user(username, password="{PASSWORD}", first_name=username.title(),
        last_name="Test", preferred_language="ar")
    Membership.objects.create(user=u, organisation=org, role=role)
    TOTPDevice.objects.create(user=u, name="app", confirmed=True, key="{TOTP_KEY}")
    return u
commission = Organisation.objects.create(name_ar="اللجنة الوطنية - الربط",
    name_fr="Commission nationale - rapprochement", name_en="National commission - linkage",
    type=code("org_type", "national_commission"),
    region=code("region", "rabat_sale_kenitra"))
casa = Organisation.objects.create(name_ar="أمن الدار البيضاء", name_fr="Police de Casablanca",
    name_en="Casablanca police", type=code("org_type", "police"),
    region=code("region", "casablanca_settat"))
user("lina", commission, "linkage_officer")
user("omar", casa, "investigator")
karim = User.objects.get(username="karim")
tanger = karim.memberships.get().organisation
today = timezone.localdate()
male = code("sex", "male")
person = actions.create_person(acting_user=karim, organisation=tanger, given_name_ar="محمد",
    family_name_ar="الزياني", sex=male, birth_date=datetime.date(1990, 1, 1),
    birth_date_precision="year")
dossier = cases_actions.open_dossier(person, acting_user=karim, organisation=tanger,
    forms=[code("exploitation_form", "labour")], opened_on=today)
record_decision(dossier, acting_user=karim, organisation=tanger,
    status=code("trafficking_status", "actual"), decided_on=today,
    reasons="indicateurs")
amina = User.objects.get(username="amina")
actions.create_person(acting_user=amina, organisation=amina.memberships.get().organisation,
    given_name_lat="Mohamed", family_name_lat="Ezzyani", sex=male,
    birth_date=datetime.date(1990, 1, 1), birth_date_precision="year")
"""

# Both decisions are dated today: on any day of the year, both count in this year's figures.
IDENTIFY_OMARS_RECORD = """
import datetime
from django.utils import timezone
from himaya.accounts.models import User
from himaya.cases import actions as cases_actions
from himaya.cases.actions import record_decision
from himaya.core.models import Code
from himaya.people.models import Person
omar = User.objects.get(username="omar")
casa = omar.memberships.get().organisation
person = Person.objects.filter(registered_by=casa).get()
today = timezone.localdate()
dossier = cases_actions.open_dossier(person, acting_user=omar, organisation=casa,
    forms=[Code.objects.get(list="exploitation_form", code="labour")],
    opened_on=today)
record_decision(dossier, acting_user=omar, organisation=casa,
    status=Code.objects.get(list="trafficking_status", code="actual"),
    decided_on=today, reasons="indicateurs")
"""

COUNT = """
from django.utils import timezone
from himaya.statistics import figures
print("identified", figures.victims_identified_total(timezone.localdate().year))
"""


def shell(code):
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=_SERVER["env"],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return out


def identified():
    return int(re.search(r"identified (\d+)", shell(COUNT)).group(1))


def record_zeyani(page, server, *, male):
    """Start recording Mohammed Zeyani, a man born in 1990 (``male``: the sex's label in the
    page's language), and submit."""
    page.goto(server + "/people/new/")
    value = page.locator("#id_sex option", has_text=male).first.get_attribute("value")
    page.fill("#id_given_name_lat", "Mohammed")
    page.fill("#id_family_name_lat", "Zeyani")
    page.select_option("#id_sex", value=value)
    page.select_option("#id_birth_date_precision", value="year")
    page.fill("#id_birth_year", "1990")
    page.locator("main form button[type=submit]").last.click()


def test_one_person_across_agencies(server, browser, page, artefacts):
    shell(SEED)
    _amina_finds_her_own_record(page, server, artefacts)
    page.context.clear_cookies()
    _omar_sends_the_possible_match_to_the_desk(page, server)
    shell(IDENTIFY_OMARS_RECORD)
    before = identified()
    page.context.clear_cookies()
    _lina_links_the_two_identities(page, server, artefacts)
    assert identified() == before - 1
    _lina_reads_the_same_pair_in_french(page, artefacts)
    assert page.foreign_requests == []


def _amina_finds_her_own_record(page, server, artefacts):
    """Amina, NGO caseworker, in Arabic: her own record is shown, the police's only as a
    notice. It is her own record: she opens it instead of recording him again."""
    log_in(page, server, "amina")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    record_zeyani(page, server, male="ذكر")
    panel = page.locator("#entry-candidates")
    expect(panel).to_be_visible()
    expect(panel.locator(".candidate")).to_have_count(1)
    expect(panel.locator(".candidate")).to_contain_text("Ezzyani")
    expect(panel.locator("[data-testid=hidden-match]")).to_be_visible()
    text = page.content()
    assert "الزياني" not in text and "أمن طنجة" not in text and "Police de Tanger" not in text
    page.screenshot(path=str(artefacts / "linkage-entry-ar.png"), full_page=True)
    panel.locator(".candidate a").first.click()
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))
    expect(page.locator("main")).to_contain_text("Ezzyani")


def _omar_sends_the_possible_match_to_the_desk(page, server):
    """Omar, police of Casablanca, records him; he sends the possible match to the desk."""
    log_in(page, server, "omar", language="fr")
    record_zeyani(page, server, male="masculin")
    panel = page.locator("#entry-candidates")
    expect(panel).to_be_visible()
    expect(panel.locator(".candidate")).to_have_count(0)
    expect(panel.locator("[data-testid=hidden-match]")).to_be_visible()
    assert "الزياني" not in page.content()
    page.check("#id_send_to_desk")
    page.fill("#id_desk_reason", "Dit avoir été entendu par la police de Tanger en octobre.")
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))


def _lina_links_the_two_identities(page, server, artefacts):
    """Lina, linkage officer, in Arabic: the two identities side by side; she links them."""
    log_in(page, server, "lina")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.goto(server + "/linkage/")
    links = page.locator("main table a[href*='/linkage/pairs/']")
    # Omar's record met two records he could not see: the police's and the NGO's.
    expect(links).to_have_count(2)
    urls = [links.nth(i).get_attribute("href") for i in range(2)]
    sides = page.locator("[data-testid=pair-sides]")
    for url in urls:
        page.goto(server + url)
        if "الزياني" in sides.inner_text():
            break
    expect(sides).to_contain_text("الزياني")
    expect(sides).to_contain_text("Zeyani")
    page.screenshot(path=str(artefacts / "linkage-desk-ar.png"), full_page=True)
    page.locator("button[name=decision][value=link]").click()
    expect(page.locator(".alert-success")).to_be_visible()


def _lina_reads_the_same_pair_in_french(page, artefacts):
    """The same pair in French, linked: it offers to undo the link, in French."""
    page.click("[data-testid=lang-fr]")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("button[name=decision][value=unlink]")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Undo the link")
    page.screenshot(path=str(artefacts / "linkage-desk-fr.png"), full_page=True)
