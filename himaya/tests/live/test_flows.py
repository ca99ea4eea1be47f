"""End-to-end in headless Chromium: log in with 2FA, register a person with an Arabic name,
open a dossier, read it in Arabic (right-to-left) and in French."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_caseworker_flow_in_arabic_and_french(server, page, artefacts):
    log_in(page, server)
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")

    # Register a person with an Arabic name (and a Latin transliteration).
    page.click("nav >> a[href='/people/']")
    page.click("a[href='/people/new/']")
    page.fill("#id_given_name_ar", "فاطمة الزهراء")
    page.fill("#id_family_name_ar", "العلوي")
    page.fill("#id_given_name_lat", "Fatima Zahra")
    page.fill("#id_family_name_lat", "El Alaoui")
    page.select_option("#id_sex", label="أنثى")
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))
    expect(page.locator("main")).to_contain_text("فاطمة الزهراء")

    # Searching in Latin script finds the Arabic name.
    page.goto(server + "/people/?q=Fatimazahra")
    expect(page.locator("main")).to_contain_text("فاطمة الزهراء")
    page.locator("main a[href^='/people/'][href$='/']").filter(has_text="فاطمة").first.click()

    # Open a dossier for her.
    page.locator("main a[href^='/dossiers/new/']").first.click()
    page.select_option("#id_forms", label="الاستغلال الجنسي")
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/dossiers/\d+/$"))
    expect(page.locator("main")).to_contain_text("HMY-")
    expect(html).to_have_attribute("dir", "rtl")
    page.screenshot(path=str(artefacts / "dossier-ar.png"), full_page=True)

    # Switch to French: the choice is remembered for the account.
    page.click("[data-testid=lang-fr]")
    expect(html).to_have_attribute("dir", "ltr")
    expect(html).to_have_attribute("lang", "fr")
    page.screenshot(path=str(artefacts / "dossier-fr.png"), full_page=True)
    page.goto(server + "/")
    expect(html).to_have_attribute("lang", "fr")
    assert page.foreign_requests == []
