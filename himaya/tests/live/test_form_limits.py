"""In a real browser (issue 15, item 17): a long text pasted into the public tip form is kept
whole, with a counter near the limit and the refusal past it; an impossible date (31/02/2001)
stays in its field with "this is not a date" instead of being sent as nothing; country lists
read alphabetically with Morocco first."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import log_in

SHOTS = Path(os.environ.get("HIMAYA_SHOTS", "/tmp/shots/B"))


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_a_long_tip_is_counted_never_cut(page, server, lang):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(server + "/report/")
    if page.locator("html").get_attribute("lang") != lang:
        page.click(f"[data-testid=lang-{lang}]")
        expect(page.locator("html")).to_have_attribute("lang", lang)
    narrative = page.locator("textarea[name=narrative]")
    assert narrative.get_attribute("maxlength") is None
    counter = page.locator("#id_narrative_count")
    narrative.fill("x" * 100)
    expect(counter).to_be_hidden()
    narrative.fill("x" * 9000)
    expect(counter).to_have_text("9000 / 10000")
    text = "و" * 10050
    narrative.fill(text)  # as a paste: the browser keeps every character
    assert narrative.input_value() == text
    expect(counter).to_have_class("form-text char-count text-danger fw-semibold")
    expect(counter).to_contain_text("10050")
    expect(counter).to_contain_text("10000")
    narrative.scroll_into_view_if_needed()
    shot(page, f"tip-counter-{lang}-375")


def test_an_impossible_date_stays_and_is_named(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    log_in(page, server, language="fr")
    page.goto(server + "/people/new/")
    page.fill("#id_given_name_lat", "Amina")
    page.select_option("#id_birth_date_precision", "exact")
    page.focus("#id_birth_date")
    # Headless Chromium lays the segments out in its own interface language (month, day,
    # year), whatever the page's: 02 31 2001 is 31 February 2001.
    page.keyboard.type("02312001")
    assert page.eval_on_selector("#id_birth_date", "e => [e.value, e.validity.badInput]") == [
        "",
        True,
    ]
    page.click("main button[type=submit]")
    # Not sent: the page stays, the field keeps what was typed and says why.
    expect(page).to_have_url(server + "/people/new/")
    assert page.eval_on_selector("#id_birth_date", "e => e.validity.badInput")
    expect(page.locator("#id_birth_date_not_a_date")).to_be_visible()
    expect(page.locator("#id_birth_date")).to_have_class("form-control is-invalid")
    assert page.input_value("#id_given_name_lat") == "Amina"
    shot(page, "person-bad-date-fr")
    # Mended, the message goes.
    page.fill("#id_birth_date", "2001-02-28")
    page.locator("#id_birth_date").blur()
    expect(page.locator("#id_birth_date_not_a_date")).to_have_count(0)
    # The citizenship list: Morocco first, then in French alphabetical order.
    options = page.locator("#id_citizenships option").all_inner_texts()
    assert options[0] == "Maroc" and "Sahara occidental" not in options
    assert options.index("Égypte") < options.index("Espagne") < options.index("France")
    context.close()
