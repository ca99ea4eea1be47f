"""End-to-end in headless Chromium (issue 5, "Done when"): Karim, police investigator in Tangier,
works in Arabic: he records a victim and her dossier, opens an investigation linked to it, adds
two suspects (one a public official) and their arrests, and transfers the case to the
prosecution; an investigation he opened long ago and left alone shows as stalled, with its age.
Yasmine, prosecutor in Tangier, switches to French, charges both suspects under two forms,
records a conviction with its sentence for one and an acquittal for the other."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.browser


def submit(page):
    page.click("[data-testid=form-submit]")


def test_investigation_to_verdict(server, browser, page, artefacts):
    today = datetime.date.today()
    log_in(page, server, "karim")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    reference, labour = _karim_records_the_victim(page, server)
    investigation_url = _karim_opens_the_investigation(page, server, today, labour, reference)
    _karim_adds_two_suspects(page, investigation_url, today, artefacts)
    _karim_records_the_arrests_and_transfers(page, investigation_url, today, artefacts)
    old_reference = _karim_finds_a_stalled_investigation(page, server, today, artefacts)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar-MA")
    other = context.new_page()
    try:
        _yasmine_logs_in_in_french(other, server)
        prosecutions = _yasmine_charges_both_suspects(other, investigation_url)
        _yasmine_records_the_conviction(other, prosecutions["travail forcé"], artefacts)
        _yasmine_records_the_acquittal(other, prosecutions["exploitation sexuelle"], artefacts)
        _yasmine_reads_the_outcome(other, server, investigation_url, old_reference, artefacts)
    finally:
        context.close()
    assert page.foreign_requests == []


def _karim_records_the_victim(page, server):
    """Karim, in Arabic: the victim and her dossier (forced labour). Returns the dossier's
    reference and the forced labour option's value."""
    page.goto(server + "/people/new/")
    page.fill("#id_given_name_ar", "مريم")
    page.fill("#id_family_name_ar", "بنعلي")
    page.fill("#id_given_name_lat", "Meryem")
    page.fill("#id_family_name_lat", "Benali")
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))
    page.locator("main a[href^='/dossiers/new/']").first.click()
    labour = page.locator("#id_forms option", has_text="العمل القسري").first.get_attribute("value")
    page.select_option("#id_forms", value=labour)
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/dossiers/\d+/$"))
    reference = re.search(r"HMY-\d{4}-\d{6}", page.content()).group(0)
    return reference, labour


def _karim_opens_the_investigation(page, server, today, labour, reference):
    """The investigation, suspecting forced labour and sexual exploitation, linked to the
    victim's dossier. Returns its URL."""
    page.goto(server + "/justice/new/")
    page.fill("#id_opened_on", (today - datetime.timedelta(days=3)).isoformat())
    sexual = page.locator("#id_forms option", has_text="الاستغلال الجنسي").first
    page.select_option("#id_forms", value=[labour, sexual.get_attribute("value")])
    submit(page)
    expect(page).to_have_url(re.compile(r"/justice/\d+/$"))
    investigation_url = page.url

    page.click("[data-testid=link-dossier]")
    page.fill("#id_reference", reference)
    submit(page)
    expect(page.locator("[data-testid=linked-dossiers]")).to_contain_text(reference)
    return investigation_url


def _karim_adds_two_suspects(page, investigation_url, today, artefacts):
    """Two suspects, the first a public official; a wrong date first gets a clear error."""
    page.click("[data-testid=suspect-add]")
    page.fill("#id_given_name_ar", "عبد الرحيم")
    page.fill("#id_family_name_ar", "الوزاني")
    page.fill("#id_given_name_lat", "Abderrahim")
    page.fill("#id_family_name_lat", "Ouazzani")
    page.check("#id_public_official")
    page.fill("#id_added_on", (today + datetime.timedelta(days=5)).isoformat())
    submit(page)
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    page.screenshot(path=str(artefacts / "justice-suspect-errors-ar.png"), full_page=True)
    # The body the official belongs to is asked for, and the date fixed.
    page.fill("#id_official_body", "الجماعة الحضرية لطنجة")
    page.fill("#id_added_on", today.isoformat())
    submit(page)
    expect(page).to_have_url(investigation_url)
    page.click("[data-testid=suspect-add]")
    page.fill("#id_given_name_lat", "Chinedu")
    page.fill("#id_family_name_lat", "Nwankwo")
    page.fill("#id_added_on", today.isoformat())
    submit(page)
    expect(page.locator("[data-testid=suspect-row]")).to_have_count(2)
    expect(page.locator("[data-testid=flag-official]")).to_have_count(1)


def _karim_records_the_arrests_and_transfers(page, investigation_url, today, artefacts):
    """Both suspects arrested today, and the case transferred to the prosecution."""
    for index in (1, 2):
        page.click("[data-testid=event-add]")
        page.select_option("#id_suspect", index=index)
        page.select_option("#id_kind", value="arrest")
        page.fill("#id_on", today.isoformat())
        page.fill("#id_place", "طنجة، بني مكادة")
        submit(page)
        expect(page).to_have_url(investigation_url)
    expect(page.locator("[data-testid=suspect-list] [data-kind=arrest]")).to_have_count(2)

    page.click("[data-testid=transfer]")
    page.select_option("#id_office", label="النيابة العامة بطنجة")
    submit(page)
    expect(page).to_have_url(investigation_url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.screenshot(path=str(artefacts / "justice-investigation-ar.png"), full_page=True)


def _karim_finds_a_stalled_investigation(page, server, today, artefacts):
    """An investigation opened 400 days ago and left alone: stalled, with its age. Returns its
    reference."""
    page.goto(server + "/justice/new/")
    page.fill("#id_opened_on", (today - datetime.timedelta(days=400)).isoformat())
    submit(page)
    expect(page).to_have_url(re.compile(r"/justice/\d+/$"))
    old_reference = re.search(r"ENQ-\d{4}-\d{6}", page.content()).group(0)
    page.goto(server + "/justice/stalled/")
    row = page.locator("[data-testid=stalled-row]", has_text=old_reference)
    expect(row).to_have_count(1)
    expect(row.locator("[data-testid=stalled-age]")).to_contain_text("400")
    page.screenshot(path=str(artefacts / "justice-stalled-ar.png"), full_page=True)
    return old_reference


def _yasmine_logs_in_in_french(other, server):
    """Yasmine, prosecutor in Tangier, switches to French."""
    log_in(other, server, "yasmine")
    ohtml = other.locator("html")
    other.click("[data-testid=lang-fr]")
    expect(ohtml).to_have_attribute("lang", "fr")
    expect(ohtml).to_have_attribute("dir", "ltr")


def _yasmine_charges_both_suspects(other, investigation_url):
    """A prosecution of each suspect, charged under article 448.1, one for forced labour and
    one for sexual exploitation. Returns their URLs by form."""
    other.goto(investigation_url)
    expect(other.locator("[data-testid=suspect-row]")).to_have_count(2)
    prosecutions = {}
    for index, form in ((1, "travail forcé"), (1, "exploitation sexuelle")):
        other.goto(investigation_url)
        other.click("[data-testid=prosecution-new]")
        other.select_option("#id_suspect", index=index)
        submit(other)
        expect(other).to_have_url(re.compile(r"/justice/prosecutions/\d+/$"))
        prosecutions[form] = other.url
        other.click("[data-testid=charge-add]")
        other.select_option("#id_article", value="448.1")
        value = other.locator("#id_form option", has_text=form).first.get_attribute("value")
        other.select_option("#id_form", value=value)
        submit(other)
        expect(other.locator("[data-testid=charge-row]")).to_contain_text(form)
    return prosecutions


def _yasmine_records_the_conviction(other, prosecution_url, artefacts):
    """The official is convicted of forced labour and sentenced."""
    other.goto(prosecution_url)
    expect(other.locator("[data-testid=defendant]")).to_contain_text("Abderrahim")
    other.click("[data-testid=decision-add]")
    other.select_option("#id_charge", index=1)
    other.select_option("#id_outcome", value="convicted")
    submit(other)
    # No court was named: the form says so and keeps what was typed.
    expect(other.locator(".invalid-feedback").first).to_be_visible()
    expect(other.locator("#id_outcome")).to_have_value("convicted")
    other.screenshot(path=str(artefacts / "justice-decision-error-fr.png"), full_page=True)
    other.fill("#id_court_name", "Tribunal de première instance de Tanger")
    submit(other)
    expect(other.locator("[data-testid=decision]")).to_have_attribute("data-outcome", "convicted")
    other.click("[data-testid=sentence-add]")
    other.select_option("#id_decision", index=1)
    other.fill("#id_prison_months", "60")
    other.fill("#id_suspended_months", "12")
    other.fill("#id_fine_mad", "50000")
    submit(other)
    expect(other.locator("[data-testid=sentence]")).to_contain_text("60")
    expect(other.locator("[data-testid=prosecution-status]")).to_have_attribute(
        "data-status", "decided"
    )
    other.screenshot(path=str(artefacts / "justice-conviction-fr.png"), full_page=True)


def _yasmine_records_the_acquittal(other, prosecution_url, artefacts):
    """The other suspect is acquitted."""
    other.goto(prosecution_url)
    expect(other.locator("[data-testid=defendant]")).to_contain_text("Chinedu")
    other.click("[data-testid=decision-add]")
    other.select_option("#id_charge", index=1)
    other.select_option("#id_outcome", value="acquitted")
    other.fill("#id_court_name", "Tribunal de première instance de Tanger")
    submit(other)
    expect(other.locator("[data-testid=decision]")).to_have_attribute("data-outcome", "acquitted")
    other.screenshot(path=str(artefacts / "justice-acquittal-fr.png"), full_page=True)


def _yasmine_reads_the_outcome(other, server, investigation_url, old_reference, artefacts):
    """The investigation shows both prosecutions; the stalled investigation was not transferred
    to her office: she does not see it."""
    other.goto(investigation_url)
    expect(other.locator("[data-testid=prosecution-link]")).to_have_count(2)
    other.screenshot(path=str(artefacts / "justice-investigation-fr.png"), full_page=True)
    other.goto(server + "/justice/stalled/")
    expect(other.locator("[data-testid=stalled-row]", has_text=old_reference)).to_have_count(0)
