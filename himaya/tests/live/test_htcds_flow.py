"""In the browser: an NGO caseworker finds the HTCDS page from the import pages' tabs, uploads
a workbook filled from IOM's template (the way NGOs fill it: labels and value names, stray
spaces, several values in one cell, an Excel serial date, a year of birth alone), reads the dry
run in Arabic and in French, commits it, and finds the cases in the dossier list and on a
dossier's page, in both languages."""

import datetime
import re

import pytest

from himaya.exchange.htcds import fields, reader
from himaya.exchange.tests.test_htcds_helpers import filled

from .conftest import log_in

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook():
    rows = [
        {
            "First Name": "  Awa ",
            "Second Name": "Camara",
            "Birthdate": datetime.datetime(1999, 4, 2),
            "Gender": "Feminine",
            "Citizenship": "Guinea",
            "Trafficking Status": "Actual victim of trafficking",
            # The NGO's own assessment, as NGOs fill the template: imported, not a decision.
            "vic_TraffickinStatusDecisionMakingOrg": "NGO",
            "Type of Exploitation": "Sexual exploitation; forced LABOUR",
            "Type of Sex Exploitation": "Prostitution",
            "Method of Recruitment": "Through online social networks",
            "Methods of Control": "Debt bondage , Withholds documents",
            "Forced Labour Industry": "Agriculture, forestry and fishing",
            "Location of Exploitation": "Tangier, Tanger-Tétouan-Al Hoceïma, Morocco",
            "Incoming Referral Date": 45337,  # an Excel serial: 2024-02-15
            "vic_Vulnerabilities": "Poverty; Migration",
        },
        {
            # Family names no other browser test gives (tests/test_live_names.py): the tests
            # share their worker's server.
            "prs_FirstName": "سكينة",
            "prs_SecondName": "البقالي",
            "prs_Birthdate": "2001",
            "prs_Gender": "Feminine",
            "prs_Citizenship": "MA",
            "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
            "vic_TraffickinStatusDecisionMakingOrg": "CourtOrProsecution",
            "vic_TypeOfExploitation": "Forced begging",
            "vic_MethodsOfControl": "False promises",
            "cas_IncomingReferralDate": "03/03/2024",
        },
        {
            "First Name": "Blessing",
            "Second Name": "Eze",
            "Gender": "Feminine",
            "Citizenship": "Nigeria",
            "Type of Exploitation": "Servitude",
            "Incoming Referral Date": "2024-02-20",
        },
    ]
    return filled(rows, extra_headers=("vic_Vulnerabilities",))


def _fits(page):
    """Nothing sticks out of the window sideways (a cut-off table or form)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _cases(page, server):
    """The dossier list, filtered to the weeks the workbook's cases were opened in."""
    page.goto(server + "/dossiers/")
    page.fill("#id_opened_from", "2024-02-01")
    page.fill("#id_opened_to", "2024-03-31")
    page.click("main form[role=search] button[type=submit]")
    rows = page.locator("[data-testid=dossier-list] tbody tr")
    assert rows.count() == 3
    return rows


def test_an_ngo_imports_its_htcds_workbook(server, page, artefacts):
    from playwright.sync_api import expect

    carried = reader.declared_code_sets() == set(fields.CODE_SETS)
    log_in(page, server, "amina")
    page.goto(server + "/exchange/import/?register=casework")
    page.click("[data-testid=htcds-tab]")
    expect(page).to_have_url(re.compile(r"/exchange/htcds/$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.screenshot(path=str(artefacts / "htcds-page-ar.png"), full_page=True)
    assert _fits(page)

    page.set_input_files(
        "#id_file",
        files=[{"name": "حالات-HTCDS.xlsx", "mimeType": XLSX, "buffer": _workbook()}],
    )
    page.click("[data-testid=htcds-import] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/exchange/import/\d+/$"))
    expect(page.locator("[data-testid=commit]")).to_be_visible()
    counts = page.locator("[data-testid=run-counts]")
    expect(counts).to_be_visible()
    expect(counts).to_contain_text("3")
    expect(page.locator("[data-testid=run-error]")).to_have_count(0)
    page.screenshot(path=str(artefacts / "htcds-dry-run-ar.png"), full_page=True)
    assert _fits(page)
    page.click("[data-testid=lang-fr]")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.screenshot(path=str(artefacts / "htcds-dry-run-fr.png"), full_page=True)
    page.click("[data-testid=commit]")
    expect(page.locator("[data-testid=run-status]")).to_be_visible()
    expect(page.locator("[data-testid=commit]")).to_have_count(0)

    rows = _cases(page, server)
    text = page.locator("[data-testid=dossier-list]").inner_text()
    for name in ("Awa", "Camara", "سكينة", "Blessing Eze"):
        assert name in text
    expect(page.locator("[data-testid=dossier-list]")).to_contain_text("mendicité")
    page.screenshot(path=str(artefacts / "htcds-dossiers-fr.png"), full_page=True)
    assert _fits(page)

    page.click("[data-testid=lang-ar]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    rows = _cases(page, server)
    expect(page.locator("[data-testid=dossier-list]")).to_contain_text("التسول")
    page.screenshot(path=str(artefacts / "htcds-dossiers-ar.png"), full_page=True)
    assert _fits(page)
    rows.filter(has_text="Camara").locator("a").first.click()
    expect(page.locator("[data-testid=person-block]")).to_contain_text("Camara")
    if carried:
        expect(page.locator("[data-testid=control-methods]")).to_be_visible()
        expect(page.locator("[data-testid=vulnerabilities]")).to_be_visible()
        expect(page.locator("[data-testid=industries]")).to_be_visible()
    page.screenshot(path=str(artefacts / "htcds-dossier-ar.png"), full_page=True)
    assert _fits(page)
    page.click("[data-testid=lang-fr]")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    if carried:
        expect(page.locator("[data-testid=control-methods]")).to_contain_text("servitude")
    page.screenshot(path=str(artefacts / "htcds-dossier-fr.png"), full_page=True)
    assert page.foreign_requests == []


def test_a_one_time_archive_is_asked_for_once_when_clicked_twice(server, page):
    """The caseworker exports her cases: the page shows the archive's password once, with a
    button that downloads the archive once. Clicked again once its request is sent, it sends no
    second one, which would have replaced the page with "already downloaded" (or, for an export
    prepared in the background, lost the password shown once)."""
    from playwright.sync_api import expect

    log_in(page, server, "amina")
    page.goto(server + "/exchange/htcds/")
    page.select_option("[data-testid=htcds-export] select[name=format]", "csv")
    page.click("[data-testid=htcds-export] button[type=submit]")
    password = page.locator("[data-testid=export-password]")
    expect(page.locator("[data-testid=export-download]")).to_be_visible()
    shown = password.inner_text()
    posts = []
    page.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and "/download/" in r.url else None,
    )
    button = page.locator("[data-testid=export-download]")
    with page.expect_download() as download:
        with page.expect_request(lambda r: r.method == "POST" and "/download/" in r.url):
            button.click()
        button.click()  # again, as one does when a download seems slow to start
    assert download.value.suggested_filename.endswith(".zip")
    expect(password).to_have_text(shown)
    page.goto(server + "/exchange/htcds/")  # any later request: the second would be sent by now
    assert len(posts) == 1
    assert shown and "-" in shown
