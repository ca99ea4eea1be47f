"""At phone width (375 px), in Arabic and French: the staff menu is collapsed behind a toggle
that opens it, the main list pages are no wider than the screen (their tables read as cards),
and the emergency numbers on the public pages are tap-to-call links (issue 15, item 19)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import log_in, run_on_server

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
SHOTS = "/tmp/shots/E"

# Rows for the lists to draw: a dossier of Amina's association, a report taken by the hotline,
# an investigation of Tangier's police.
ROWS = """
from himaya.accounts.models import User
from himaya.cases import actions as cases
from himaya.core.models import Code
from himaya.hotline import actions as hotline
from himaya.justice import actions as justice
from himaya.people.models import Person
amina, hiba, karim = (User.objects.get(username=u) for u in ("amina", "hiba", "karim"))
if not Person.objects.filter(given_name_lat="Nadia").exists():
    from himaya.people import actions as people
    org = amina.memberships.get().organisation
    person = people.create_person(acting_user=amina, organisation=org, given_name_lat="Nadia",
        family_name_lat="Benjelloun-Tazi El Ouazzani", given_name_ar="نادية")
    cases.open_dossier(person, acting_user=amina, organisation=org,
        forms=[Code.objects.get(list="exploitation_form", code="domestic_servitude")])
    hotline.record_report(acting_user=hiba, organisation=hiba.memberships.get().organisation,
        channel="call", caller_type="relative", urgency="urgent",
        narrative="Une jeune femme est enfermée dans un appartement à Tanger depuis des mois.")
# Unread notifications for each user, three digits of them: the bell's count must not widen the
# phone's menu bar (it did in French: the toggle wrapped to a second line, 96 px high, once
# another test's hand-offs had left Amina a count).
from himaya.notifications.models import Notification
for user in (amina, hiba, karim):
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    Notification.objects.bulk_create([
        Notification(recipient=user, organisation=user.memberships.get().organisation,
                     kind=Notification._meta.get_field("kind").choices[0][0], reference=f"T-{i}")
        for i in range(max(0, 120 - unread))
    ])
"""

PAGES = {
    "amina": [
        "people:list",
        "cases:list",
        "screening:list",
        "referrals:inbox",
        "referrals:directory",
        "cases:alerts:list",
        "coordination:index",
    ],
    "hiba": ["hotline:list"],
    "karim": ["justice:list"],
}


def overflow(page):
    """How many pixels the page is wider than the screen (0 when nothing sticks out)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.fixture
def phone(browser):
    # Reduced motion: the menu opens without its animation, so no click lands mid-transition.
    context = browser.new_context(
        viewport=PHONE, locale="ar-MA", is_mobile=True, has_touch=True, reduced_motion="reduce"
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("username", list(PAGES))
def test_menu_collapses_and_lists_fit_a_phone(server, phone, username):
    run_on_server(ROWS)
    wide = []
    for lang in ("ar", "fr"):
        if lang == "ar":
            log_in(phone, server, username, language="ar")
        else:
            phone.click("[data-testid=menu-toggle]")
            phone.click("[data-testid=lang-fr]")
            expect(phone.locator("html")).to_have_attribute("lang", "fr")
        expect(phone.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
        # The menu is collapsed: only the brand and the toggle take the top of the screen.
        menu, toggle = (
            phone.locator("[data-testid=main-menu]"),
            phone.locator("[data-testid=menu-toggle]"),
        )
        expect(toggle).to_be_visible()
        expect(menu).to_be_hidden()
        expect(phone.locator("[data-testid=bell-count]")).to_be_visible()
        assert phone.locator("[data-testid=main-nav]").bounding_box()["height"] < 80
        toggle.click()
        expect(menu).to_have_class("navbar-collapse collapse show")
        expect(menu).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        first_link = menu.locator(".nav-link").first
        expect(first_link).to_be_visible()
        toggle.click()
        expect(menu).to_be_hidden()
        for name in PAGES[username]:
            phone.goto(server + reverse(name))
            expect(phone.locator("main")).to_be_visible()
            expect(menu).to_be_hidden()
            if overflow(phone) > 0:
                wide.append((lang, name, overflow(phone)))
            slug = name.replace(":", "-")
            phone.screenshot(path=f"{SHOTS}/phone-{slug}-{lang}.png", full_page=True)
            # A list with rows reads as cards, each cell under its column's name.
            # (A list without rows has a single cell spanning the columns: nothing to label.)
            labelled = phone.locator("main table.table-reflow tbody [data-label]")
            if labelled.count():
                expect(labelled.first).to_be_visible()
                # The header row is left to screen readers (one pixel, clipped).
                head = phone.locator("main table.table-reflow thead").first
                assert head.bounding_box()["height"] <= 1
        # Back to Arabic for the next test's log-in.
        phone.click("[data-testid=menu-toggle]")
        phone.click(f"[data-testid=lang-{'ar' if lang == 'fr' else 'fr'}]")
    assert wide == []


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_public_pages_fit_a_phone_and_numbers_can_be_called(server, phone, lang):
    phone.goto(server + reverse("tips:report"))
    phone.click(f"[data-testid=lang-{lang}]")
    expect(phone.locator("html")).to_have_attribute("lang", lang)
    for name in ("tips:report", "tips:follow_up"):
        phone.goto(server + reverse(name))
        emergency = phone.locator("[data-testid=emergency]")
        expect(emergency.locator("a[href='tel:19']")).to_have_text("19")
        expect(emergency.locator("a[href='tel:177']")).to_have_text("177")
        assert overflow(phone) == 0
        phone.screenshot(path=f"{SHOTS}/phone-{name.replace(':', '-')}-{lang}.png", full_page=True)
    # The follow-up with an unknown code, on a phone.
    phone.fill("#id_code", "ABCD-EFGH-JKLM-NPQR")
    phone.locator("[data-testid=follow-up-form] button[type=submit]").click()
    expect(phone.locator("[data-testid=tip-status-value]")).to_have_attribute(
        "data-status", "unknown"
    )
    assert overflow(phone) == 0
    phone.screenshot(path=f"{SHOTS}/phone-follow-up-unknown-{lang}.png", full_page=True)


def test_without_javascript_the_phone_menu_stays_open(server, browser):
    context = browser.new_context(viewport=PHONE, locale="fr-MA", java_script_enabled=False)
    page = context.new_page()
    log_in(page, server, "grace", language="fr")
    expect(page.locator("[data-testid=menu-toggle]")).to_be_hidden()
    menu = page.locator("[data-testid=main-menu]")
    expect(menu.locator(".nav-link").first).to_be_visible()
    page.goto(server + reverse("cases:list"))
    expect(menu.locator(".nav-link").first).to_be_visible()
    assert overflow(page) == 0
    page.screenshot(path=f"{SHOTS}/phone-nojs-cases-list-fr.png", full_page=True)
    context.close()
