"""End-to-end in headless Chromium (issue 11, "Done when"): the Fès police transfer an
investigation (Arabic) and the prosecutor sees her bell count rise and the investigation in her
home list (French); a caseworker refers a victim to a shelter (Arabic), the shelter manager sees
it, accepts (French), and the caseworker is told; the mails the server sent name no one; an
outsider sees none of it."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in, run_on_server, run_worker, sent_mails

pytestmark = pytest.mark.browser

# Organisations and people of their own, so that no other flow's records count here.
SEED = """
import datetime
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from himaya.accounts.models import Membership, Organisation, User
from himaya.core.models import Code
from himaya.justice import actions as ja
from himaya.notifications.actions import set_preference
from himaya.people import actions as pa
from himaya.cases import actions as ca
from himaya.referrals.models import Provider
from himaya.tests.live.conftest import PASSWORD, TOTP_KEY

def code(lst, value):
    return Code.objects.get(list=lst, code=value)

fes = code("region", "fes_meknes")
users = {}
for username, first, last, org_type, name_fr, name_ar, role in [
    ("fouad", "Fouad", "Tazi", "police", "Police de Fès", "أمن فاس", "investigator"),
    ("nawal", "Nawal", "Kettani", "prosecution", "Parquet de Fès", "النيابة العامة بفاس",
     "prosecutor"),
    ("salwa", "Salwa", "Bennis", "ngo", "Association Nour", "جمعية النور", "caseworker"),
    ("hind", "Hind", "Sqalli", "shelter", "Foyer Dar Nour", "دار النور للإيواء",
     "shelter_manager"),
    ("badr", "Badr", "Ouali", "ngo", "Association Amal Fès", "جمعية أمل فاس", "caseworker"),
]:
    org = Organisation.objects.create(name_ar=name_ar, name_fr=name_fr, name_en=name_fr,
        type=code("org_type", org_type), region=fes)
    user = User.objects.create_user(username, password=PASSWORD, first_name=first,
        last_name=last, preferred_language="ar", email=f"{username}@example.org")
    Membership.objects.create(user=user, organisation=org, role=role)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True, key=TOTP_KEY)
    set_preference(user, email="immediate")
    users[username] = (user, org)
Provider.objects.create(organisation=users["hind"][1], services=["shelter"])
salwa, nour = users["salwa"]
person = pa.create_person(acting_user=salwa, organisation=nour, given_name_lat="Zineb",
    family_name_lat="Cherkaoui", given_name_ar="زينب", family_name_ar="الشرقاوي",
    sex=code("sex", "female"), citizenships=[code("country", "MA")])
for purpose in ("services", "sharing"):
    pa.record_consent(person, acting_user=salwa, organisation=nour, purpose=purpose,
        given_on=timezone.localdate(), given_by="person")
ca.open_dossier(person, acting_user=salwa, organisation=nour,
    forms=[code("exploitation_form", "sexual")], opened_on=timezone.localdate())
fouad, police = users["fouad"]
ja.open_investigation(acting_user=fouad, organisation=police,
    opened_on=timezone.localdate() - datetime.timedelta(days=5))
"""
NAMES = ["Zineb", "Cherkaoui", "زينب", "الشرقاوي"]


def _context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar-MA")
    return context, context.new_page()


def _bell(page):
    return page.locator("[data-testid=bell-count]")


def test_handoffs_reach_the_receiving_organisation(server, browser, artefacts):
    run_on_server(SEED)
    contexts = []
    try:
        # Nawal (prosecutor, French) logs in: nothing waits for her.
        nawal = _logged_in(browser, contexts, server, "nawal", language="fr")
        expect(nawal.locator("[data-testid=bell]")).to_be_visible()
        expect(_bell(nawal)).to_have_count(0)
        fouad = _logged_in(browser, contexts, server, "fouad")
        reference = _fouad_transfers_his_investigation(fouad, server)
        _nawal_is_told_of_the_transfer(nawal, server, reference, artefacts)
        salwa = _logged_in(browser, contexts, server, "salwa")
        dossier = _salwa_refers_zineb_to_the_shelter(salwa, server)
        hind = _logged_in(browser, contexts, server, "hind", language="fr")
        _hind_accepts_the_referral(hind, dossier)
        _salwa_is_told_in_arabic(salwa, server, dossier, artefacts)
        told = _the_mails_name_no_one(reference, dossier)
        badr = _logged_in(browser, contexts, server, "badr", language="fr")
        _badr_sees_none_of_it(badr, server, told)
    finally:
        for ctx in contexts:
            ctx.close()


def _logged_in(browser, contexts, server, username, **kw):
    """A browser context of its own (closed at the end) with the user logged in."""
    ctx, user_page = _context(browser)
    contexts.append(ctx)
    log_in(user_page, server, username, **kw)
    return user_page


def _fouad_transfers_his_investigation(fouad, server):
    """Fouad (police, Arabic) transfers his investigation to the Fès prosecution. Returns its
    reference."""
    fouad.goto(server + "/justice/")
    fouad.locator("main a", has_text=re.compile(r"ENQ-\d{4}-\d{6}")).first.click()
    expect(fouad).to_have_url(re.compile(r"/justice/\d+/$"))
    reference = re.search(r"ENQ-\d{4}-\d{6}", fouad.content()).group(0)
    fouad.click("[data-testid=transfer]")
    fouad.select_option("#id_office", label="النيابة العامة بفاس")
    fouad.locator("main form button[type=submit]").last.click()
    expect(fouad).to_have_url(re.compile(r"/justice/\d+/$"))
    return reference


def _nawal_is_told_of_the_transfer(nawal, server, reference, artefacts):
    """Nawal's bell counts it where she is, without reloading the page (htmx asks the server
    every minute; the test asks at once), with no script error under the CSP. Her home lists
    it; the inbox item opens it."""
    errors = []
    nawal.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    nawal.on("pageerror", lambda e: errors.append(str(e)))
    nawal.evaluate("htmx.trigger(document.body, 'himaya:refresh')")
    expect(_bell(nawal)).to_have_text("1")
    assert errors == []
    nawal.goto(server + "/")
    expect(_bell(nawal)).to_have_text("1")
    incoming = nawal.locator("[data-testid=justice-incoming-row]", has_text=reference)
    expect(incoming).to_have_count(1)
    nawal.screenshot(path=str(artefacts / "notifications-prosecutor-home-fr.png"))
    nawal.click("[data-testid=bell]")
    item = nawal.locator("[data-testid=notification]", has_text=reference)
    expect(item).to_have_count(1)
    expect(item).to_contain_text("transférée")
    nawal.screenshot(path=str(artefacts / "notifications-inbox-fr.png"), full_page=True)
    item.locator("[data-testid=notification-open]").click()
    expect(nawal).to_have_url(re.compile(r"/justice/\d+/$"))
    expect(_bell(nawal)).to_have_count(0)


def _salwa_refers_zineb_to_the_shelter(salwa, server):
    """Salwa (NGO, Arabic) refers Zineb to the shelter, urgently. Returns the dossier's
    reference."""
    salwa.goto(server + "/dossiers/")
    salwa.locator("main a", has_text=re.compile(r"HMY-\d{4}-\d{6}")).first.click()
    dossier = re.search(r"HMY-\d{4}-\d{6}", salwa.content()).group(0)
    salwa.click("[data-testid=refer]")
    salwa.select_option("#id_service", value="shelter")
    salwa.select_option("#id_to_org", label="دار النور للإيواء")
    salwa.check("#id_urgent")
    salwa.fill("#id_reason", "تحتاج إلى مأوى آمن")
    salwa.click("[data-testid=refer-submit]")
    expect(salwa).to_have_url(re.compile(r"/services/referrals/\d+/$"))
    return dossier


def _hind_accepts_the_referral(hind, dossier):
    """Hind (shelter, French) sees it on her bell and her home, and accepts."""
    expect(_bell(hind)).to_have_text("1")
    expect(hind.locator("[data-testid=home-referral]", has_text=dossier)).to_have_count(1)
    hind.click("[data-testid=bell]")
    item = hind.locator("[data-testid=notification]", has_text=dossier)
    expect(item).to_contain_text("urgent")
    item.locator("[data-testid=notification-open]").click()
    hind.click("[data-testid=accept]")
    expect(hind.locator("[data-testid=status]")).to_have_attribute("data-status", "accepted")


def _salwa_is_told_in_arabic(salwa, server, dossier, artefacts):
    """Salwa is told, in Arabic, and the page reads right to left. The item opens the
    referral; the dossier's next-step panel says what comes next."""
    salwa.goto(server + "/")
    expect(salwa.locator("html")).to_have_attribute("dir", "rtl")
    expect(_bell(salwa)).to_have_text("1")
    salwa.click("[data-testid=bell]")
    expect(salwa.locator("[data-testid=notification]", has_text=dossier)).to_have_count(1)
    salwa.screenshot(path=str(artefacts / "notifications-inbox-ar.png"), full_page=True)
    assert not [n for n in NAMES if n in salwa.content()]
    salwa.locator("[data-testid=notification-open]").first.click()
    expect(salwa).to_have_url(re.compile(r"/services/referrals/\d+/$"))
    salwa.goto(server + "/dossiers/")
    salwa.locator("main a", has_text=dossier).first.click()
    expect(salwa.locator("[data-testid=next-step-panel]")).to_be_visible()
    expect(salwa.locator("[data-testid=next-step]").first).to_be_visible()
    salwa.screenshot(path=str(artefacts / "notifications-dossier-next-step-ar.png"), full_page=True)


def _the_mails_name_no_one(reference, dossier):
    """The worker mails each of them at once; no mail names Zineb nor any record. Returns the
    addresses mailed."""
    run_worker()
    mails = sent_mails()
    told = {to for to, _text in mails}
    assert {"nawal@example.org", "hind@example.org", "salwa@example.org"} <= told
    texts = [text for _to, text in mails]
    assert not [n for n in NAMES + [reference, dossier] for t in texts if n in t]
    assert all("/notifications/" in t for t in texts)
    return told


def _badr_sees_none_of_it(badr, server, told):
    """Badr, at another NGO, sees none of it, and was mailed nothing."""
    expect(_bell(badr)).to_have_count(0)
    badr.goto(server + "/notifications/?state=all")
    expect(badr.locator("[data-testid=notification]")).to_have_count(0)
    assert "badr@example.org" not in told
