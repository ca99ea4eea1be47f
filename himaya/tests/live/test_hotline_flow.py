"""End-to-end in headless Chromium: the hotline operator takes a call in Arabic and opens a
dossier from it, switches to French and passes an immediate-danger report to the police; the
public sends tips in Arabic and French with JavaScript off, adds information with the receipt
code, and the operator finds the tip in the queue."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.browser

REPORT = re.compile(r"/hotline/\d+/$")


def test_operator_takes_a_call_in_arabic_and_passes_another_to_police_in_french(
    server, page, artefacts
):
    log_in(page, server, "hiba")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # The queue may already hold reports other tests on this server recorded: this test adds two.
    page.goto(server + "/hotline/")
    queued = page.locator("[data-testid=report-row]").count()
    _hiba_records_a_call_in_arabic(page, artefacts)
    _hiba_opens_a_dossier_from_it(page, artefacts)
    _hiba_passes_an_immediate_danger_to_the_police_in_french(page, server, artefacts)
    page.goto(server + "/hotline/")
    expect(page.locator("[data-testid=report-row]")).to_have_count(queued + 2)
    page.screenshot(path=str(artefacts / "hotline-queue-fr.png"), full_page=True)
    assert page.foreign_requests == []


def _hiba_records_a_call_in_arabic(page, artefacts):
    """A relative calls in Arabic: urgency, channel and caller first, then the story."""
    page.click("[data-testid=new-report]")
    page.click("label[for=id_urgency_1]")  # urgent
    page.click("label[for=id_channel_0]")  # phone call
    page.click("label[for=id_caller_type_1]")  # relative
    page.fill("#id_narrative", "أختي تعمل خادمة لدى أسرة في طنجة ولا يسمح لها بالخروج منذ شهور.")
    page.select_option("#id_region", label="طنجة - تطوان - الحسيمة")
    page.fill("#id_city", "طنجة")
    page.select_option("#id_language", label="العربية")
    page.select_option("#id_forms", label="العمل القسري › العبودية المنزلية")
    page.fill("#id_possible_victims", "أخت المتصلة، 19 سنة")
    page.locator("[data-testid=report-form] button[type=submit]").click()
    expect(page).to_have_url(REPORT)
    expect(page.locator("[data-testid=narrative]")).to_contain_text("أختي تعمل خادمة")
    expect(page.locator("[data-testid=status]")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.screenshot(path=str(artefacts / "hotline-report-ar.png"), full_page=True)


def _hiba_opens_a_dossier_from_it(page, artefacts):
    """Triage: open a dossier for the sister, named in Arabic and Latin script."""
    dossier_form = page.locator("[data-testid=triage-dossier]")
    page.locator("details", has=dossier_form).locator("summary").click()
    page.fill("#id_dossier-given_name_ar", "سعاد")
    page.fill("#id_dossier-family_name_ar", "العلمي")
    page.fill("#id_dossier-given_name_lat", "Souad")
    page.fill("#id_dossier-note", "المتصلة توافق على أن نتصل بها.")
    dossier_form.locator("button[type=submit]").click()
    expect(page).to_have_url(REPORT)
    expect(page.locator("[data-testid=outcome]")).to_be_visible()
    expect(page.locator("[data-testid=triage-forms]")).to_have_count(0)
    link = page.locator("[data-testid=dossier-link]")
    expect(link).to_contain_text("HMY-")
    page.screenshot(path=str(artefacts / "hotline-triaged-ar.png"), full_page=True)
    link.click()
    expect(page).to_have_url(re.compile(r"/dossiers/\d+/$"))
    expect(page.locator("main")).to_contain_text("سعاد")


def _hiba_passes_an_immediate_danger_to_the_police_in_french(page, server, artefacts):
    """In French now: a WhatsApp message about someone in immediate danger, passed to the
    Tangier police."""
    html = page.locator("html")
    page.click("[data-testid=lang-fr]")
    expect(html).to_have_attribute("lang", "fr")
    expect(html).to_have_attribute("dir", "ltr")
    page.goto(server + "/hotline/new/")
    page.click("label[for=id_urgency_0]")  # immediate danger
    page.click("label[for=id_channel_1]")  # WhatsApp / SMS
    page.click("label[for=id_caller_type_2]")  # witness
    page.fill(
        "#id_narrative",
        "Une femme crie à l'aide depuis un appartement du quartier Beni Makada, à Tanger.",
    )
    page.select_option("#id_region", label="Tanger-Tétouan-Al Hoceïma")
    page.select_option("#id_forms", label="exploitation sexuelle")
    page.locator("[data-testid=report-form] button[type=submit]").click()
    expect(page).to_have_url(REPORT)
    # Immediate danger: passing to the police is the open choice, the Tangier police suggested.
    police_form = page.locator("[data-testid=triage-police]")
    expect(police_form).to_be_visible()
    expect(police_form.locator("select")).to_have_value(re.compile(r"\d+"))
    police_form.locator("select").select_option(label="Police de Tanger")
    page.fill("#id_police-note", "Transmis par téléphone à la permanence.")
    police_form.locator("button[type=submit]").click()
    expect(page).to_have_url(REPORT)
    expect(page.locator("[data-testid=triage-block]")).to_contain_text("Police de Tanger")
    expect(page.locator("[data-testid=urgency]")).to_be_visible()
    page.screenshot(path=str(artefacts / "hotline-police-fr.png"), full_page=True)


def send_tip(tip, narrative, danger, region, city, at_risk):
    tip.fill("#id_narrative", narrative)
    tip.check(f"input[name=danger][value={danger}]")
    tip.select_option("#id_region", label=region)
    tip.fill("#id_city", city)
    tip.fill("#id_possible_victims", at_risk)
    tip.locator("[data-testid=tip-form] button[type=submit]").click()
    code = tip.locator("[data-testid=receipt-code]")
    expect(code).to_have_text(re.compile(r"^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$"))
    return code.inner_text()


def test_public_tips_without_javascript_and_the_operator_sees_them(
    server, browser, page, artefacts
):
    context = browser.new_context(
        java_script_enabled=False, locale="ar-MA", viewport={"width": 1000, "height": 900}
    )
    tip = context.new_page()
    foreign = []
    tip.on("request", lambda r: foreign.append(r.url) if "127.0.0.1" not in r.url else None)
    code_ar = _a_tip_in_arabic(tip, server, artefacts)
    _a_tip_in_french(tip, server, code_ar, artefacts)
    _the_reporter_adds_information(tip, server, code_ar, artefacts)
    _a_wrong_code_adds_nothing(tip, server)
    assert foreign == []
    context.close()
    _hiba_finds_the_tip_in_the_queue(page, server, artefacts)
    assert page.foreign_requests == []


def _a_tip_in_arabic(tip, server, artefacts):
    """In Arabic (the default): no account, no navigation, an emergency number. Returns the
    receipt code."""
    html = tip.locator("html")
    tip.goto(server + "/report/")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(tip.locator("nav")).to_have_count(0)
    expect(tip.locator("[data-testid=emergency]")).to_be_visible()
    expect(tip.locator("input[name=website]")).not_to_be_in_viewport()  # the spam trap
    tip.screenshot(path=str(artefacts / "tip-form-ar.png"), full_page=True)
    code_ar = send_tip(
        tip,
        "رأيت أطفالا صغارا يتسولون كل يوم قرب المحطة ورجلا يأخذ منهم المال في المساء.",
        "yes",
        "الدار البيضاء - سطات",
        "الدار البيضاء",
        "أربعة أطفال بين 6 و10 سنوات",
    )
    expect(html).to_have_attribute("dir", "rtl")
    tip.screenshot(path=str(artefacts / "tip-receipt-ar.png"), full_page=True)
    return code_ar


def _a_tip_in_french(tip, server, code_ar, artefacts):
    """In French, through the language switch (a plain form: no JavaScript needed): a receipt
    code of its own."""
    html = tip.locator("html")
    tip.goto(server + "/report/")
    tip.click("[data-testid=lang-fr]")
    expect(html).to_have_attribute("lang", "fr")
    expect(html).to_have_attribute("dir", "ltr")
    code_fr = send_tip(
        tip,
        "Des ouvrières agricoles dorment dans un hangar fermé à clé la nuit, à Chtouka.",
        "unsure",
        "Souss-Massa",
        "Chtouka Aït Baha",
        "Une dizaine de femmes",
    )
    assert code_fr != code_ar
    tip.screenshot(path=str(artefacts / "tip-receipt-fr.png"), full_page=True)


def _the_reporter_adds_information(tip, server, code_ar, artefacts):
    """Later: the first reporter adds information with the code, typed loosely; the coarse
    status shows, and the box is emptied for more."""
    tip.goto(server + "/report/follow-up/")
    tip.fill("#id_code", code_ar.lower().replace("-", " "))
    tip.fill("#id_text", "L'homme conduit une camionnette blanche.")
    tip.locator("[data-testid=follow-up-form] button[type=submit]").click()
    expect(tip.locator("[data-testid=follow-up-done]")).to_be_visible()
    expect(tip.locator("[data-testid=tip-status-value]")).to_have_attribute(
        "data-status", "received"
    )
    expect(tip.locator("#id_text")).to_have_value("")
    tip.screenshot(path=str(artefacts / "tip-follow-up-fr.png"), full_page=True)


def _a_wrong_code_adds_nothing(tip, server):
    """A wrong code: a page of the same shape that says only that; the text stays, nothing
    added."""
    tip.goto(server + "/report/follow-up/")
    tip.fill("#id_code", "ABCD-EFGH-JKLM-NPQR")
    tip.fill("#id_text", "Tentative avec un mauvais code.")
    tip.locator("[data-testid=follow-up-form] button[type=submit]").click()
    expect(tip.locator("[data-testid=tip-status-value]")).to_have_attribute(
        "data-status", "unknown"
    )
    expect(tip.locator("[data-testid=follow-up-done]")).to_have_count(0)
    expect(tip.locator("#id_text")).to_have_value("Tentative avec un mauvais code.")


def _hiba_finds_the_tip_in_the_queue(page, server, artefacts):
    """The hotline finds the tip at the top of its queue, with what was added."""
    log_in(page, server, "hiba")
    page.click("[data-testid=lang-ar]")  # whatever the language she left the last time
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.goto(server + "/hotline/?channel=web_tip&status=untriaged")
    rows = page.locator("[data-testid=report-row]")
    expect(rows).to_have_count(2)
    page.screenshot(path=str(artefacts / "tip-queue-ar.png"), full_page=True)
    rows.first.locator("a").click()  # immediate danger first
    expect(page.locator("[data-testid=narrative]")).to_contain_text("أطفالا صغارا يتسولون")
    additions = page.locator("[data-testid=addition]")
    expect(additions).to_have_count(1)
    expect(additions).to_contain_text("camionnette blanche")
    expect(page.locator("main")).not_to_contain_text("mauvais code")
    page.screenshot(path=str(artefacts / "tip-detail-ar.png"), full_page=True)
