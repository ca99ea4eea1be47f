"""End-to-end in headless Chromium (issue 12, "Done when"): Imane, focal point of a ministry,
works in Arabic: she moves the measure her ministry leads to "under way" with an evidence file
and records the training her ministry held today. Samira, analyst of the national commission,
works in French: she sees the measure's indicator computed from the trainings figure move from
0 to 1, exports the progress against the recommendations as PDF (rendered to an image and
checked), and the annual report of the year shows the trainings table.

The plan and the recommendation are seeded on the server's database through the actions; the
year is the server's current one, so the flow holds on any day."""

import datetime
import re
from pathlib import Path

import pypdfium2
import pytest
from playwright.sync_api import expect

from .conftest import TOTP_KEY, log_in, run_on_server, run_worker

pytestmark = pytest.mark.browser

YEAR = datetime.date.today().year
EVIDENCE = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

SEED = f"""
import datetime
from himaya.accounts.models import Membership, Organisation, User
from himaya.coordination import actions
from himaya.core.models import Code
from django_otp.plugins.otp_totp.models import TOTPDevice
def code(lst, value):
    return Code.objects.get(list=lst, code=value)
rabat = code("region", "rabat_sale_kenitra")
commission = Organisation.objects.create(name_ar="اللجنة الوطنية للتنسيق",
    name_fr="Commission nationale de coordination", name_en="National coordination commission",
    type=code("org_type", "national_commission"), region=rabat)
ministry = Organisation.objects.create(name_ar="وزارة العدل", name_fr="Ministère de la Justice",
    name_en="Ministry of Justice", type=code("org_type", "central_government"), region=rabat)
people = []
for username, first, last, org, role, lang in [
    ("samira", "Samira", "Alaoui", commission, "analyst", "fr"),
    ("imane", "Imane", "Bennis", ministry, "focal_point", "ar"),
]:
    u = User.objects.create_user(username, password="browser test passphrase 2026",
        first_name=first, last_name=last, preferred_language=lang)
    Membership.objects.create(user=u, organisation=org, role=role)
    TOTPDevice.objects.create(user=u, name="app", confirmed=True, key="{TOTP_KEY}")
    people.append(u)
samira = people[0]
plan = actions.do_create_plan(acting_user=samira, start_year=2023, end_year=2030,
    title_ar="الخطة الوطنية 2023-2030", title_fr="Plan d'action national 2023-2030")
axis = actions.do_add_axis(plan, acting_user=samira, title_ar="التنسيق", title_fr="Coordination")
objective = actions.do_add_objective(axis, acting_user=samira, title_ar="تعزيز القدرات",
    title_fr="Renforcer les capacités")
measure = actions.do_add_measure(objective, acting_user=samira,
    title_ar="تكوين القضاة وضباط الشرطة القضائية",
    title_fr="Former les magistrats et officiers de police judiciaire",
    lead_agency=ministry, budget_line="BG-COO-01", deadline=datetime.date(2026, 12, 31),
    on=datetime.date(2023, 3, 1))
actions.do_add_indicator(measure, acting_user=samira, name_ar="الدورات التكوينية",
    name_fr="Sessions de formation", figure="training_sessions", baseline_year=2022, baseline=0,
    targets={{{YEAR}: 4}})
actions.do_add_recommendation(acting_user=samira, source="tip_report", year=2024, priority=True,
    reference="P3",
    text_ar="تدريب السلطات القضائية وسلطات إنفاذ القانون على تطبيق آلية الاستجابة الوطنية.",
    text_fr="Former les autorités judiciaires et les forces de l'ordre au mécanisme national.",
    text_en="Train judicial and law-enforcement officials on the national referral mechanism.",
    measures=[measure], agencies=[ministry])
"""


def _indicator_cell(page):
    return page.locator(f"[data-testid=indicator-row] td[data-year='{YEAR}'] [data-testid=drill]")


def _render(data, path):
    document = pypdfium2.PdfDocument(data)
    image = document[0].render(scale=1.2).to_pil()
    image.save(path)
    grey = image.convert("L")
    assert grey.getextrema()[0] < 100  # something is printed on the page
    # the table spans the page: dark pixels in its left and right halves
    width, height = grey.size
    left = grey.crop((0, 0, width // 2, height)).getextrema()[0]
    right = grey.crop((width // 2, 0, width, height)).getextrema()[0]
    assert left < 100 and right < 100
    return len(document)


def test_focal_point_and_commission_follow_the_plan(server, browser, page, artefacts, tmp_path):
    run_on_server(SEED)
    # --- Imane, focal point of the ministry, in Arabic ----------------------------------------
    log_in(page, server, "imane", language="ar")
    measure_url = _imane_reports_progress_on_a_measure(page, server, artefacts, tmp_path)
    _imane_records_a_training(page, server, artefacts)
    # --- Samira, analyst of the commission, in French ------------------------------------------
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-MA")
    analyst = context.new_page()
    log_in(analyst, server, "samira", language="fr")
    _samira_reads_the_measure_and_notes(analyst, measure_url, artefacts)
    _samira_downloads_the_progress_report(analyst, server, artefacts)
    _samira_reads_the_trainings_in_the_annual_report(analyst, server, artefacts)
    assert not page.foreign_requests
    context.close()


def _imane_reports_progress_on_a_measure(page, server, artefacts, tmp_path):
    """The measure (training judges) is under way, with an attendance list as evidence.
    Returns the measure's URL."""
    page.goto(server + "/coordination/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("[data-testid=measure-row] a").first.click()
    expect(page.locator("[data-testid=measure-title]")).to_contain_text("تكوين القضاة")
    expect(_indicator_cell(page)).to_have_text("0")
    measure_url = page.url
    page.select_option("[data-testid=status-form] select[name=status]", "under_way")
    page.fill("[data-testid=status-form] input[name=note]", "انطلاق الدورات الأولى")
    page.click("[data-testid=status-submit]")
    expect(page.locator("[data-testid=measure-status] [data-status]")).to_have_attribute(
        "data-status", "under_way"
    )
    evidence = tmp_path / "liste-de-presence.pdf"
    evidence.write_bytes(EVIDENCE)
    page.set_input_files("input[name=file]", str(evidence))
    page.fill("input[name=description]", "لائحة الحضور")
    page.click("[data-testid=evidence-submit]")
    expect(page.locator("[data-testid=evidence]")).to_contain_text("liste-de-presence.pdf")
    page.screenshot(path=str(artefacts / "coordination-measure-ar.png"), full_page=True)
    return measure_url


def _imane_records_a_training(page, server, artefacts):
    """A training on identification for 12 prosecutors (5 women, 7 men), today."""
    page.goto(server + "/coordination/trainings/new/")
    today = datetime.date.today().isoformat()
    page.select_option("select[name=topic]", "identification")
    page.fill("input[name=title]", "تحديد هوية الضحايا لفائدة القضاة")
    page.fill("input[name=starts_on]", today)
    page.fill("input[name=ends_on]", today)
    page.fill("input[name=place]", "الرباط")
    page.select_option("select[name=organiser]", index=1)  # her ministry, the only choice
    page.fill("input[name=aud_prosecution_women]", "5")
    page.fill("input[name=aud_prosecution_men]", "7")
    page.click("[data-testid=submit]")
    expect(page).to_have_url(re.compile(r"/coordination/trainings/$"))
    expect(page.locator("[data-testid=training-row]")).to_contain_text("تحديد هوية الضحايا")
    page.screenshot(path=str(artefacts / "coordination-trainings-ar.png"), full_page=True)


def _samira_reads_the_measure_and_notes(analyst, measure_url, artefacts):
    """The measure's status, indicator and evidence as Imane left them; Samira adds a note."""
    analyst.goto(measure_url)
    expect(analyst.locator("html")).to_have_attribute("dir", "ltr")
    expect(analyst.locator("[data-testid=measure-status] [data-status]")).to_have_attribute(
        "data-status", "under_way"
    )
    expect(_indicator_cell(analyst)).to_have_text("1")  # the training recorded above
    expect(analyst.locator("[data-testid=evidence]")).to_contain_text("liste-de-presence.pdf")
    analyst.fill("textarea[name=text]", "Merci, joindre le programme de la formation.")
    analyst.click("[data-testid=note-submit]")
    expect(analyst.locator("[data-testid=note]").first).to_contain_text("joindre le programme")
    analyst.screenshot(path=str(artefacts / "coordination-measure-fr.png"), full_page=True)


def _samira_downloads_the_progress_report(analyst, server, artefacts):
    """The recommendations of 2024, and their progress as a PDF in French and in Arabic."""
    analyst.goto(server + "/coordination/recommendations/?year=2024")
    expect(analyst.locator("[data-testid=recommendation-row]")).to_contain_text("Former")
    for lang in ("fr", "ar"):
        with analyst.expect_download() as download:
            analyst.click(f"[data-testid=export-pdf-{lang}]")
        assert download.value.suggested_filename == f"himaya-recommendations-2024-{lang}.pdf"
        data = Path(download.value.path()).read_bytes()
        assert data.startswith(b"%PDF")
        _render(data, artefacts / f"coordination-progress-2024-{lang}.png")


def _samira_reads_the_trainings_in_the_annual_report(analyst, server, artefacts):
    """The annual report's trainings table counts the session and its 12 participants."""
    analyst.goto(f"{server}/figures/report/{YEAR}/")
    table = analyst.locator("[data-testid=table-trainings]")
    if not table.count():  # the report is being built in the background: run the worker
        run_worker()
        analyst.goto(f"{server}/figures/report/{YEAR}/")
    expect(table).to_be_visible()
    expect(analyst.locator("[data-testid=cell-trainings-sessions]")).to_have_text("1")
    expect(analyst.locator("[data-testid=cell-trainings-participants]")).to_have_text("12")
    table.scroll_into_view_if_needed()
    analyst.screenshot(path=str(artefacts / "coordination-report-trainings-fr.png"))
