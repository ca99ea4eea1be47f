"""End-to-end in headless Chromium (issue 15, item 1): on a phone, in Arabic then French, the
dossier's transfer is labelled as a transfer (نقل الملف), its page says what the organisation
loses, refuses to go on unconfirmed while keeping what was typed, and its cancel link leads back
to the dossier unchanged."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in, run_on_server

pytestmark = pytest.mark.browser

SEED = """
from himaya.accounts.models import User
from himaya.testing import factories as f
amina = User.objects.get(username="amina")
org = amina.memberships.get().organisation
d = f.dossier(amina, org, f.person(amina, org, given_name_lat="Transfer", family_name_lat="Flow"))
open(%r, "w").write(str(d.pk))
"""


def test_a_transfer_says_what_is_lost_and_can_be_cancelled(server, browser, artefacts, tmp_path):
    where = tmp_path / "dossier"
    run_on_server(SEED % str(where))
    dossier_url = f"{server}/dossiers/{where.read_text()}/"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar-MA")
    page = context.new_page()
    try:
        log_in(page, server, language="ar")
        for lang in ("ar", "fr"):
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(dossier_url)
            if lang == "fr":  # the language buttons are in the menu bar, folded on a phone
                page.click("[data-testid=lang-fr]")
                expect(page.locator("html")).to_have_attribute("lang", "fr")
            page.set_viewport_size({"width": 375, "height": 812})
            button = page.locator("[data-testid=transfer]")
            expect(button).to_be_visible()
            if lang == "ar":
                expect(button).not_to_have_text(re.compile("إحالة"))
            button.click()
            expect(page.locator("[data-testid=transfer-warning]")).to_be_visible()
            page.fill("#id_reason", "Moved to Fes")
            page.click("[data-testid=transfer-submit]")
            expect(page.locator("#id_reason")).to_have_value("Moved to Fes")
            # the new owner and the confirmation are missing
            expect(page.locator(".invalid-feedback")).to_have_count(2)
            page.screenshot(path=f"/tmp/shots/C/transfer-{lang}-375.png", full_page=True)
            page.screenshot(path=str(artefacts / f"transfer-{lang}-375.png"), full_page=True)
            page.click("[data-testid=transfer-cancel]")
            expect(page).to_have_url(dossier_url)
    finally:
        context.close()
