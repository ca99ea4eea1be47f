"""Issue 15 in Chromium: Yasmine, prosecutor in Tangier, records a verdict of the Tangier court on
a prosecution filed at the Laâyoune court: she is asked whether the case was transferred, ticks
the box, and the transfer shows on the prosecution; before any verdict, the sentence page says a
verdict comes first and links to it; the investigation list is filtered by a date typed wrong,
then right. In Arabic, then in French on a phone (375 px)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import log_in, run_on_server

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/D2")

SEED = """
import datetime
from django.utils import timezone
from himaya.accounts.models import Organisation, User
from himaya.core.models import Code
from himaya.justice import actions as ja
def code(lst, value):
    return Code.objects.get(list=lst, code=value)
today = timezone.localdate()
days = lambda n: today - datetime.timedelta(days=n)
karim, yasmine = User.objects.get(username="karim"), User.objects.get(username="yasmine")
police = Organisation.objects.get(name_fr="Police de Tanger")
parquet = Organisation.objects.get(name_fr="Parquet de Tanger")
tangier = Organisation.objects.create(name_ar="المحكمة الابتدائية بطنجة",
    name_fr="Tribunal de première instance de Tanger", name_en="Tangier court",
    type=code("org_type", "court"), region=code("region", "tanger_tetouan_al_hoceima"))
laayoune = Organisation.objects.create(name_ar="المحكمة الابتدائية بالعيون",
    name_fr="Tribunal de première instance de Laâyoune", name_en="Laayoune court",
    type=code("org_type", "court"), region=code("region", "laayoune_sakia_el_hamra"))
inv = ja.open_investigation(acting_user=karim, organisation=police, opened_on=days(60),
    external_ref="TRANSFER-FLOW", forms=[code("exploitation_form", "labour")])
s = ja.add_suspect(inv, acting_user=karim, added_on=days(50), given_name_lat="Rachid",
    family_name_lat="Tahiri")
ja.transfer_investigation(inv, acting_user=karim, office=parquet, on=days(40))
p = ja.start_prosecution(inv, s, acting_user=yasmine, office=parquet, started_on=days(30),
    court=laayoune, external_ref="TRANSFER-FLOW")
ja.add_charge(p, acting_user=yasmine, article="448.1", form=code("exploitation_form", "labour"))
"""


def test_verdict_at_another_court_records_the_transfer(server, browser, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    run_on_server(SEED)
    log_in(page, server, "yasmine")
    page.goto(server + "/justice/?opened_from=2024-13-45")
    expect(page.locator("[data-testid=filter-error]")).to_be_visible()
    page.screenshot(path=str(SHOTS / "investigations-filter-error-ar.png"), full_page=True)
    page.fill("#id_opened_from", "")
    page.fill("#id_reference", "transfer-flow")  # the register's number, any case
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("[data-testid=investigation-row]")).to_have_count(1)
    page.locator("[data-testid=investigation-row] a").first.click()
    page.locator("a[href*='/justice/prosecutions/']").first.click()
    prosecution_url = page.url
    assert re.search(r"/justice/prosecutions/\d+/$", prosecution_url)

    # Before any verdict: the sentence page says what comes first, and links to it.
    page.click("[data-testid=sentence-add]")
    expect(page.locator("[data-testid=needs-first]")).to_be_visible()
    page.screenshot(path=str(SHOTS / "sentence-needs-verdict-ar.png"), full_page=True)
    page.click("[data-testid=needs-first-link]")

    # The verdict of the Tangier court on a case filed at Laâyoune: asked, then confirmed.
    page.select_option("#id_charge", index=1)
    page.select_option("#id_outcome", "convicted")
    page.select_option("#id_court", label="المحكمة الابتدائية بطنجة")
    page.click("[data-testid=form-submit]")
    expect(page.locator("#id_confirm_transfer")).to_be_visible()
    page.screenshot(path=str(SHOTS / "decision-transfer-question-ar.png"), full_page=True)
    page.check("#id_confirm_transfer")
    page.click("[data-testid=form-submit]")
    expect(page).to_have_url(prosecution_url)
    expect(page.locator("[data-testid=court-transfer]")).to_contain_text("بالعيون")
    page.screenshot(path=str(SHOTS / "prosecution-transfer-ar.png"), full_page=True)

    # The same page in French on a phone.
    page.click("[data-testid=lang-fr]")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(prosecution_url)
    expect(page.locator("[data-testid=court-transfer]")).to_contain_text("Laâyoune")
    page.screenshot(path=str(SHOTS / "prosecution-transfer-fr-375.png"), full_page=True)
    page.goto(server + "/justice/?opened_from=2024-13-45")
    page.screenshot(path=str(SHOTS / "investigations-filter-error-fr-375.png"), full_page=True)
