"""End-to-end in headless Chromium (issue 6, "Done when"): Nadia, analyst of the national
commission, opens the 2023 annual report in Arabic, reads the statement, downloads the PDF and
the Excel workbook, reads the statement in French, and freezes the report as the official
submission. The 2023 and 2022 records are written beforehand on the server's database (no page
may date a record in a past year)."""

import io
import re
from pathlib import Path

import openpyxl
import pypdfium2
import pytest
from playwright.sync_api import expect

from .conftest import TOTP_KEY, log_in, run_on_server

pytestmark = pytest.mark.browser

SEED_2023 = f"""
import datetime
from django.db.models import Q
from himaya.accounts.models import Membership, Organisation, User
from himaya.cases import actions as cases
from himaya.cases.actions import record_decision
from himaya.core.models import Code
from himaya.justice import actions as ja
from himaya.people import actions as people
from django_otp.plugins.otp_totp.models import TOTPDevice
D = datetime.date
def code(lst, value):
    return Code.objects.get(list=lst, code=value)
commission = Organisation.objects.create(name_ar="اللجنة الوطنية", name_fr="Commission nationale",
    name_en="National commission", type=code("org_type", "national_commission"),
    region=code("region", "rabat_sale_kenitra"))
nadia = User.objects.create_user("nadia", password="browser test passphrase 2026",
    first_name="Nadia", last_name="Bennani", preferred_language="ar")
Membership.objects.create(user=nadia, organisation=commission, role="analyst")
TOTPDevice.objects.create(user=nadia, name="app", confirmed=True, key="{TOTP_KEY}")
karim = User.objects.get(username="karim")
police = karim.memberships.get().organisation
yasmine = User.objects.get(username="yasmine")
parquet = yasmine.memberships.get().organisation
victims = [("female", "NG", "sexual", D(2023, 3, 1)), ("female", "MA", "labour", D(2023, 5, 2)),
    ("male", "CI", "labour", D(2023, 12, 31)), ("female", "MA", "sexual", D(2022, 6, 1))]
for i, (sex, country, form, on) in enumerate(victims):
    p = people.create_person(acting_user=karim, organisation=police, given_name_lat=f"V{{i}}",
        sex=code("sex", sex), birth_date=D(1996, 1, 1), birth_date_precision="exact",
        citizenships=[code("country", country)])
    d = cases.open_dossier(p, acting_user=karim, organisation=police,
        forms=[code("exploitation_form", form)], opened_on=D(2022, 1, 10))
    record_decision(d, acting_user=karim, organisation=police,
        status=code("trafficking_status", "possible"), decided_on=on, reasons="indicateurs")
for opened in (D(2022, 4, 1), D(2023, 2, 1), D(2023, 9, 1)):
    inv = ja.open_investigation(acting_user=karim, organisation=police, opened_on=opened)
    s = ja.add_suspect(inv, acting_user=karim, added_on=opened, given_name_lat="S",
        sex=code("sex", "male"))
    ja.record_suspect_event(inv, s, acting_user=karim, kind="arrest",
        on=opened + datetime.timedelta(days=3))
    ja.transfer_investigation(inv, acting_user=karim, office=parquet,
        on=opened + datetime.timedelta(days=10))
    p = ja.start_prosecution(inv, s, acting_user=yasmine, office=parquet,
        started_on=opened + datetime.timedelta(days=20))
    ja.add_charge(p, acting_user=yasmine, article="448.1",
        form=code("exploitation_form", "sexual"))
"""


def test_analyst_reads_downloads_and_freezes_the_2023_report(server, page, artefacts):
    run_on_server(SEED_2023)
    log_in(page, server, "nadia", language="ar")
    _nadia_reads_the_2023_report_in_arabic(page, server, artefacts)
    _nadia_downloads_the_pdf(page, artefacts)
    _nadia_downloads_the_workbook(page)
    _nadia_freezes_the_report_in_french(page, artefacts)
    _the_report_pages_fit_a_phone(page, server)
    assert not page.foreign_requests


def _nadia_reads_the_2023_report_in_arabic(page, server, artefacts):
    """From her home, the report of 2023 in Arabic: its statement and figures."""
    expect(page.locator("[data-testid=home-commission]")).to_be_visible()
    page.locator("nav a[href='/figures/report/']").click()
    page.goto(server + "/figures/report/2023/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    statement = page.locator("[data-testid=statement]")
    # 2 investigations against 1 in 2022, 3 victims against 1: Arabic agreement (3 → plural)
    expect(statement).to_contain_text("في سنة 2023")
    expect(statement).to_contain_text("3 ضحايا")
    expect(page.locator("[data-testid=cell-victims-victims]")).to_have_text("3")
    expect(page.locator("[data-testid=cell-law_enforcement-investigations]")).to_have_text("2")
    page.screenshot(path=str(artefacts / "report-ar.png"), full_page=True)


def _nadia_downloads_the_pdf(page, artefacts):
    """The Arabic PDF: two pages at least, something printed on the first."""
    with page.expect_download() as pdf_download:
        page.click("[data-testid=export-pdf]")
    pdf = pdf_download.value
    assert pdf.suggested_filename == "himaya-report-2023-ar.pdf"
    data = Path(pdf.path()).read_bytes()
    assert data.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(data)
    assert len(document) >= 2
    image = document[0].render(scale=1.2).to_pil()
    image.save(artefacts / "report-2023-ar-page1.png")
    assert image.convert("L").getextrema()[0] < 100  # something is printed on the page


def _nadia_downloads_the_workbook(page):
    """The workbook: ten sheets at least, written right to left."""
    with page.expect_download() as xlsx_download:
        page.click("[data-testid=export-xlsx]")
    book = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert len(book.sheetnames) >= 10
    assert any(ws.sheet_view.rightToLeft for ws in book.worksheets)


def _nadia_freezes_the_report_in_french(page, artefacts):
    """The French statement, by switching the interface to French; then the report frozen as
    version 1, by her."""
    page.click("[data-testid=lang-fr]")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("[data-testid=statement]")).to_contain_text("En 2023")
    expect(page.locator("[data-testid=statement]")).to_contain_text("3 victimes")

    page.fill("#id_note", "Soumission au rapport international")
    page.locator("[data-testid=freeze-form] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/figures/report/2023/\?version=1$"))
    expect(page.locator("[data-testid=frozen-banner]")).to_contain_text("1")
    expect(page.locator("[data-testid=versions]")).to_contain_text("nadia")
    expect(page.locator("[data-testid=cell-victims-victims]")).to_have_text("3")
    page.screenshot(path=str(artefacts / "report-fr-frozen.png"), full_page=True)


def _the_report_pages_fit_a_phone(page, server):
    """Issue 15: only years with records are offered, the running year marked as such; its
    page says how far its figures go; dates day first; on a phone, in Arabic and French."""
    html = page.locator("html")
    shots = Path("/tmp/shots/A")
    shots.mkdir(parents=True, exist_ok=True)
    years = page.locator("[data-testid=report-years] a")
    offered = years.all_inner_texts()
    assert not any(y.strip().startswith(("2019", "2020", "2021")) for y in offered), offered
    assert any("(en cours)" in y or "(in progress)" in y for y in offered), offered
    for lang in ("fr", "ar"):
        page.set_viewport_size({"width": 1280, "height": 900})  # the language menu is open
        if html.get_attribute("lang") != lang:
            page.click(f"[data-testid=lang-{lang}]")
            expect(html).to_have_attribute("lang", lang)
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(server + "/figures/report/2023/?version=1")
        banner = page.locator("[data-testid=frozen-banner]").inner_text()
        assert re.search(r"\d{1,2}\u200f?/\d{1,2}\u200f?/\d{4}", banner), banner
        assert not re.search(r"\d:\d\d\s?(AM|PM|ص|م)(?!\w)", banner), banner
        page.screenshot(path=str(shots / f"report-2023-frozen-{lang}-375.png"), full_page=True)
        page.locator("[data-testid=report-years] a").first.click()
        expect(page.locator("[data-testid=in-progress]")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375 + 1, width  # nothing runs off a phone's screen
        page.screenshot(path=str(shots / f"report-running-{lang}-375.png"), full_page=False)
