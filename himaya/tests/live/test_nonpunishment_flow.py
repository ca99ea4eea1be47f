"""End-to-end in headless Chromium: a police officer of Tangier records an identification decision
and an offence charged against the victim (in Arabic); the prosecutor of Tangier sees the
non-punishment alert on her home page (in Arabic), switches to French, opens the dossier,
resolves the alert, and no longer sees the dossier."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_prosecutor_resolves_a_non_punishment_alert(server, browser, page, artefacts):
    # Karim, police investigator in Tangier, works in Arabic.
    log_in(page, server, "karim")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    dossier_url = _karim_records_the_victim(page, server)
    _karim_records_the_decision(page, dossier_url, artefacts)
    _karim_records_the_offence(page, dossier_url, artefacts)

    # Yasmine, prosecutor in Tangier, in a browser of her own.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar-MA")
    other = context.new_page()
    foreign = []
    other.on(
        "request",
        lambda r: (
            foreign.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None
        ),
    )
    try:
        log_in(other, server, "yasmine")
        _yasmine_sees_the_alert_and_the_dossier(other, dossier_url, artefacts)
        _yasmine_resolves_the_alert(other, server, artefacts)
        # Her organisation's access ended with the alert: the dossier is now a 404.
        response = other.goto(dossier_url)
        assert response.status == 404
        other.goto(server + "/")
        expect(other.locator("[data-testid=home-alert]")).to_have_count(0)
        assert foreign == []
    finally:
        context.close()

    # Karim sees the outcome on his dossier.
    page.reload()
    expect(page.locator("[data-testid=alert-resolved]")).to_be_visible()
    assert page.foreign_requests == []


def _karim_records_the_victim(page, server):
    """Aissata Kone and her dossier (begging, exploited in Tangier). Returns its URL."""
    page.goto(server + "/people/new/")
    page.fill("#id_given_name_ar", "عائشة")
    page.fill("#id_family_name_ar", "كوني")
    page.fill("#id_given_name_lat", "Aissata")
    page.fill("#id_family_name_lat", "Kone")
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))
    page.locator("main a[href^='/dossiers/new/']").first.click()
    begging = page.locator("#id_forms option", has_text="التسول").first.get_attribute("value")
    page.select_option("#id_forms", value=begging)
    page.select_option("#id_exploitation_region", label="طنجة - تطوان - الحسيمة")
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/dossiers/\d+/$"))
    return page.url


def _karim_records_the_decision(page, dossier_url, artefacts):
    """The identification decision: an actual victim, reasons in Arabic."""
    page.click("[data-testid=decision-new]")
    expect(page).to_have_url(re.compile(r"/decisions/new/$"))
    page.select_option("#id_status", label="ضحية اتجار بالبشر")
    page.fill("#id_reasons", "ثبوت عناصر الاتجار بالبشر بعد الاستماع إلى الضحية")
    page.screenshot(path=str(artefacts / "nonpunishment-decision-form-ar.png"), full_page=True)
    page.click("[data-testid=decision-submit]")
    expect(page).to_have_url(dossier_url)
    expect(page.locator("[data-testid=decision]")).to_have_count(1)
    expect(page.locator(".stage-badge").first).to_have_text("ضحية محددة الهوية")


def _karim_records_the_offence(page, dossier_url, artefacts):
    """An offence charged against her: irregular stay, by the prosecution of Tangier; the
    dossier shows the alert open with that prosecution."""
    today = datetime.date.today().isoformat()
    page.click("[data-testid=offence-new]")
    page.select_option("#id_offence_type", value="irregular_entry_stay")
    page.fill("#id_charged_on", today)
    page.select_option("#id_authority", label="النيابة العامة بطنجة")
    page.screenshot(path=str(artefacts / "nonpunishment-offence-form-ar.png"), full_page=True)
    page.click("[data-testid=offence-submit]")
    expect(page).to_have_url(dossier_url)
    expect(page.locator("[data-testid=alert-open]")).to_contain_text("النيابة العامة بطنجة")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.screenshot(path=str(artefacts / "nonpunishment-police-ar.png"), full_page=True)


def _yasmine_sees_the_alert_and_the_dossier(other, dossier_url, artefacts):
    """The alert on her home page (Arabic); in French, the dossier with the person and the
    decision."""
    ohtml = other.locator("html")
    expect(ohtml).to_have_attribute("lang", "ar")
    alert = other.locator("[data-testid=home-alert]")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("HMY-")
    other.screenshot(path=str(artefacts / "nonpunishment-prosecutor-home-ar.png"), full_page=True)

    other.click("[data-testid=lang-fr]")
    expect(ohtml).to_have_attribute("lang", "fr")
    expect(ohtml).to_have_attribute("dir", "ltr")
    other.goto(dossier_url)
    expect(other.locator("[data-testid=person-block]")).to_contain_text("Aissata")
    expect(other.locator("[data-testid=decision]")).to_contain_text("victime de la traite")
    other.screenshot(
        path=str(artefacts / "nonpunishment-prosecutor-dossier-fr.png"), full_page=True
    )


def _yasmine_resolves_the_alert(other, server, artefacts):
    """Non-punishment: the alert leaves her list."""
    other.click("[data-testid=alert-resolve]")
    expect(other).to_have_url(re.compile(r"/dossiers/alerts/\d+/resolve/$"))
    other.check("input[name=outcome][value=non_punishment]")
    other.screenshot(path=str(artefacts / "nonpunishment-resolve-fr.png"), full_page=True)
    other.click("[data-testid=alert-resolve-submit]")
    expect(other).to_have_url(server + "/dossiers/alerts/")
    expect(other.locator("[data-testid=alert-row]")).to_have_count(0)
    other.screenshot(path=str(artefacts / "nonpunishment-resolved-fr.png"), full_page=True)
