"""End-to-end in headless Chromium (issue 4, "Done when"): the shelter manager describes her
shelter and its beds (Arabic); the international organisation and an NGO describe their services;
a police officer identifies a victim and refers her (recording her consent in the referral form)
to the shelter that shows a free bed, to the international organisation for her return and to
the NGO for psychosocial support (Arabic); the shelter manager accepts, admits (offered only the
beds that fit), later discharges and closes the referral (French), after which the dossier
answers 404 to her; the NGO caseworker records psychosocial sessions (Arabic); the international
organisation organises the return (French)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.browser


def _context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar-MA")
    page = context.new_page()
    foreign = []
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None
        ),
    )
    page.foreign_requests = foreign
    return context, page


def _describe_services(page, server, services):
    page.goto(server + "/services/")
    page.click("[data-testid=my-provider]")
    page.click("[data-testid=edit-provider]")
    expect(page).to_have_url(re.compile(r"/edit/$"))
    for s in services:
        page.check(f"input[name=services][value={s}]")
    page.click("[data-testid=submit]")
    expect(page).to_have_url(re.compile(r"/services/providers/\d+/$"))


def _open_received(page, server, text):
    page.goto(server + "/services/referrals/")
    row = page.locator("[data-testid=received] [data-testid=referral-row]", has_text=text)
    expect(row).to_have_count(1)
    row.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/services/referrals/\d+/$"))


def _switch_to_french(page):
    page.click("[data-testid=lang-fr]")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_referral_to_a_shelter_then_return(server, browser, page, artefacts):
    today = datetime.date.today().isoformat()
    contexts = []
    try:
        latifa = _new_user_page(browser, contexts, server, "latifa")
        _latifa_describes_her_shelter(latifa, server, artefacts)
        grace = _new_user_page(browser, contexts, server, "grace")
        _switch_to_french(grace)
        _describe_services(grace, server, ["return", "reintegration"])
        amina = _new_user_page(browser, contexts, server, "amina")
        _describe_services(amina, server, ["psychosocial"])
        log_in(page, server, "karim")
        dossier_url = _karim_identifies_joy(page, server)
        _karim_reads_the_bed_board(page, server, artefacts)
        _karim_refers_joy_three_times(page, dossier_url, artefacts)
        _switch_to_french(latifa)
        referral_url = _latifa_accepts_and_admits(latifa, server, today, dossier_url, artefacts)
        _latifa_discharges_and_closes(latifa, referral_url, today, dossier_url, artefacts)
        _amina_records_two_sessions(amina, server, today, dossier_url, artefacts)
        _grace_organises_the_return(grace, server, today, dossier_url, artefacts)
        for p in (page, latifa, grace, amina):
            assert p.foreign_requests == []
    finally:
        for ctx in contexts:
            ctx.close()


def _new_user_page(browser, contexts, server, username):
    """A browser context of its own (closed at the end) with the user logged in."""
    ctx, user_page = _context(browser)
    contexts.append(ctx)
    log_in(user_page, server, username)
    return user_page


def _latifa_describes_her_shelter(latifa, server, artefacts):
    """Latifa, shelter manager (Arabic): her shelter's services and a facility with 5 beds for
    women and 2 for children."""
    expect(latifa.locator("html")).to_have_attribute("dir", "rtl")
    _describe_services(latifa, server, ["shelter", "psychosocial"])
    latifa.click("[data-testid=add-facility]")
    latifa.fill("#id_name_ar", "دار الأمان - الرباط")
    latifa.select_option("#id_region", label="الرباط - سلا - القنيطرة")
    latifa.fill("#id_city_ar", "الرباط")
    for group, beds in (("women", "5"), ("men", "0"), ("children", "2"), ("families", "0")):
        latifa.fill(f"#id_beds_{group}", beds)
    latifa.screenshot(path=str(artefacts / "referral-facility-form-ar.png"), full_page=True)
    latifa.click("[data-testid=submit]")
    expect(latifa).to_have_url(re.compile(r"/services/facilities/\d+/$"))
    expect(latifa.locator("[data-testid=facility-beds]")).to_contain_text("5")


def _karim_identifies_joy(page, server):
    """Karim, police investigator (Arabic): Joy Okafor, her dossier (sexual exploitation) and
    his decision that she is a victim. Returns the dossier's URL."""
    page.goto(server + "/people/new/")
    page.fill("#id_given_name_ar", "جوي")
    page.fill("#id_family_name_ar", "أوكافور")
    page.fill("#id_given_name_lat", "Joy")
    page.fill("#id_family_name_lat", "Okafor")
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))
    page.locator("main a[href^='/dossiers/new/']").first.click()
    sexual = page.locator("#id_forms option", has_text="الاستغلال الجنسي").first
    page.select_option("#id_forms", value=sexual.get_attribute("value"))
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/dossiers/\d+/$"))
    dossier_url = page.url
    page.click("[data-testid=decision-new]")
    page.select_option("#id_status", label="ضحية اتجار بالبشر")
    page.fill("#id_reasons", "ثبوت عناصر الاتجار بالبشر بعد الاستماع إلى الضحية")
    page.click("[data-testid=decision-submit]")
    expect(page).to_have_url(dossier_url)
    expect(page.locator(".stage-badge").first).to_have_text("ضحية محددة الهوية")
    return dossier_url


def _karim_reads_the_bed_board(page, server, artefacts):
    """The bed board shows the shelter's 7 free beds."""
    page.goto(server + "/services/beds/")
    row = page.locator("[data-testid=facility-row]", has_text="دار الأمان - الرباط")
    expect(row.locator("[data-testid=free]")).to_have_text("7")
    page.screenshot(path=str(artefacts / "referral-bed-board-ar.png"), full_page=True)


def _karim_refers_joy_three_times(page, dossier_url, artefacts):
    """Three referrals from the dossier page: shelter (recording her consent on the way),
    return, psychosocial; the dossier's panel lists the three."""
    for service, org, reason in (
        (
            "shelter",
            "مركز إيواء دار الأمان",
            "تحتاج إلى إيواء آمن بعد خروجها من مكان الاستغلال",
        ),
        ("return", "منظمة دولية", "ترغب في العودة إلى بلدها"),
        ("psychosocial", "جمعية الأمل", "تحتاج إلى دعم نفسي"),
    ):
        page.goto(dossier_url)
        page.click("[data-testid=refer]")
        if service == "shelter":
            _karim_records_consent_in_the_referral_form(page, service, org, reason, artefacts)
        else:
            expect(page.locator("[data-testid=consent-ok]")).to_be_visible()
        page.select_option("#id_service", value=service)
        page.select_option("#id_to_org", label=org)
        if service == "shelter":
            facility = page.locator("#id_facility option", has_text="دار الأمان - الرباط")
            page.select_option("#id_facility", value=facility.get_attribute("value"))
            page.check("#id_urgent")
            page.screenshot(path=str(artefacts / "referral-form-ar.png"), full_page=True)
        page.fill("#id_reason", reason)
        page.click("[data-testid=refer-submit]")
        expect(page).to_have_url(re.compile(r"/services/referrals/\d+/$"))
        expect(page.locator("[data-testid=status]")).to_have_attribute("data-status", "in_progress")
    page.goto(dossier_url)
    expect(page.locator("[data-testid=referrals-panel] li")).to_have_count(3)
    page.screenshot(path=str(artefacts / "referral-dossier-panel-ar.png"), full_page=True)


def _karim_records_consent_in_the_referral_form(page, service, org, reason, artefacts):
    """No consent yet: he records it inside the referral form (issue 15), once for both
    purposes; a first try without it keeps every word he typed."""
    expect(page.locator("[data-testid=consent-missing]")).to_be_visible()
    page.select_option("#id_service", value=service)
    page.select_option("#id_to_org", label=org)
    page.fill("#id_reason", reason)
    page.click("[data-testid=refer-submit]")
    expect(page.locator("#id_reason")).to_have_value(reason)
    page.check("#id_consent_now")
    page.select_option("#id_consent_given_by", value="person")
    page.screenshot(path=str(artefacts / "referral-consent-ar.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(artefacts / "referral-consent-ar-375.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _latifa_accepts_and_admits(latifa, server, today, dossier_url, artefacts):
    """Latifa, now in French, accepts the shelter referral and admits Joy, offered only the
    beds that fit her; the dossier is open to her and the board shows one bed fewer. Returns
    the referral's URL."""
    _open_received(latifa, server, "")
    latifa.click("[data-testid=accept]")
    expect(latifa.locator("[data-testid=status]")).to_have_attribute("data-status", "accepted")
    expect(latifa.locator("[data-testid=reason]")).to_contain_text("إيواء آمن")
    # Only the beds that fit her are offered, each with its facility and free beds.
    women = latifa.locator("#id_bed option[value$=':women']")
    expect(women).to_contain_text("دار الأمان - الرباط")
    latifa.select_option("#id_bed", value=women.get_attribute("value"))
    latifa.fill("#id_admitted_on", today)
    latifa.screenshot(path=str(artefacts / "referral-accepted-fr.png"), full_page=True)
    latifa.set_viewport_size({"width": 375, "height": 800})
    latifa.screenshot(path=str(artefacts / "referral-accepted-fr-375.png"), full_page=True)
    latifa.set_viewport_size({"width": 1280, "height": 900})
    latifa.click("[data-testid=admit]")
    expect(latifa.locator("[data-testid=stay]")).to_have_count(1)
    referral_url = latifa.url
    # The dossier is open to her while the referral is; the owner's data is there.
    assert latifa.goto(dossier_url).status == 200
    expect(latifa.locator("[data-testid=person-block]")).to_contain_text("Joy")
    latifa.goto(server + "/services/beds/")
    row = latifa.locator("[data-testid=facility-row]", has_text="دار الأمان - الرباط")
    expect(row.locator("[data-testid=free]")).to_have_text("6")
    latifa.screenshot(path=str(artefacts / "referral-bed-board-fr.png"), full_page=True)
    return referral_url


def _latifa_discharges_and_closes(latifa, referral_url, today, dossier_url, artefacts):
    """Latifa discharges Joy and closes the referral; her organisation's access to the
    dossier ends with it."""
    latifa.goto(referral_url)
    latifa.fill("#id_discharged_on", today)
    latifa.select_option("#id_discharge_reason", value="plan_completed")
    latifa.click("[data-testid=discharge]")
    expect(latifa.locator("[data-testid=stay]")).to_have_attribute("data-discharged", "yes")
    latifa.click("[data-testid=done]")
    expect(latifa.locator("[data-testid=status]")).to_have_attribute("data-status", "done")
    latifa.screenshot(path=str(artefacts / "referral-done-fr.png"), full_page=True)
    assert latifa.goto(dossier_url).status == 404


def _amina_records_two_sessions(amina, server, today, dossier_url, artefacts):
    """Amina (NGO, Arabic) accepts the psychosocial referral and records two sessions."""
    _open_received(amina, server, "")
    amina.click("[data-testid=accept]")
    amina.goto(dossier_url.replace("/dossiers/", "/services/dossiers/"))
    for note in ("الجلسة الأولى: تقييم الحالة", "الجلسة الثانية: تحسن في النوم"):
        amina.select_option("#id_kind", value="psychosocial")
        amina.fill("#id_on", today)
        amina.fill("#id_note", note)
        amina.click("[data-testid=session-submit]")
        expect(amina).to_have_url(re.compile(r"/services/dossiers/\d+/$"))
    expect(amina.locator("[data-testid=session]")).to_have_count(2)
    expect(amina.locator("html")).to_have_attribute("dir", "rtl")
    amina.screenshot(path=str(artefacts / "referral-sessions-ar.png"), full_page=True)


def _grace_organises_the_return(grace, server, today, dossier_url, artefacts):
    """Grace (French) accepts the return referral and organises the return to Nigeria."""
    _open_received(grace, server, "")
    grace.click("[data-testid=accept]")
    grace.goto(dossier_url.replace("/dossiers/", "/services/dossiers/"))
    grace.select_option("#id_destination", label="Nigeria")
    grace.select_option("#id_partner", label="Organisation internationale")
    grace.fill("#id_partner_other", "Ambassade du Nigeria à Rabat")
    grace.fill("#id_travel_on", today)
    grace.fill("#id_followup", "Suivi de réintégration à Lagos pendant trois mois.")
    grace.click("[data-testid=return-submit]")
    expect(grace.locator("[data-testid=return]")).to_contain_text("Nigeria")
    grace.screenshot(path=str(artefacts / "referral-return-fr.png"), full_page=True)
