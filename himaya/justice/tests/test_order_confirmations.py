"""A confirmation confirms what was warned about, and nothing typed is lost on the way.

- The page's box for an order of dates that registers record (issue 16) binds to the warnings
  it was shown with (``order_warned``, rendered beside it), as an import's confirmation names
  the warnings it listed: ticked while the date is changed to another out-of-order date, it
  asks again (the new warning, the box unticked, nothing written). Every page with the box.
- Choosing an existing suspect from the duplicate hint submits the form: the suspect is added
  with the date typed there, under the same date checks and the same confirmation; the API's
  ``suspect`` path likewise, and what the existing suspect's record cannot take (a register
  number of its own) is refused rather than dropped."""

# ruff: noqa: F811 (the fixtures of test_order_warnings, taken as arguments)

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from himaya.justice import actions as ja
from himaya.justice import models as jm

from .test_order_warnings import (  # noqa: F401 (fixtures)
    BEFORE,
    BEFORE_OPENING,
    BOX,
    OPENING,
    paula,
    private_dir,
    register,
    suspect,
    today,
    warned,
    written,
)

pytestmark = pytest.mark.django_db

EARLIER = datetime.date(2024, 1, 5)  # another out-of-order date, typed after the warning


def box_of(page):
    return page[page.index(BOX) :].split(">", 1)[0]


def _opening_after_an_arrest(users, inv):
    ja.record_suspect_event(
        inv,
        suspect("S11"),
        acting_user=users["paula"],
        kind="arrest",
        on=datetime.date(2024, 1, 15),
    )
    inv.refresh_from_db()


def _pages(orgs, users, inv):
    """Each page with the box: its address, what it posts, the date field, that date's value
    as recorded, and its warning."""
    names = {"given_name_lat": "Youssef", "family_name_lat": "Bennani"}
    return {
        "suspect": (
            reverse("justice:suspect_add", args=[inv.pk]),
            {**names, "birth_date_precision": "unknown"},
            "added_on",
            lambda: inv.suspect_links.latest("pk").added_on,
            BEFORE_OPENING,
        ),
        "event": (
            reverse("justice:event_add", args=[inv.pk]),
            {"suspect": suspect("S12").pk, "kind": "arrest"},
            "on",
            lambda: jm.SuspectEvent.objects.get(suspect=suspect("S12")).on,
            BEFORE_OPENING,
        ),
        "prosecution": (
            reverse("justice:prosecution_create", args=[inv.pk]),
            {"office": orgs["parquet"].pk, "suspect": suspect("S11").pk},
            "started_on",
            lambda: jm.Prosecution.objects.get(suspect=suspect("S11")).started_on,
            "This date is before the investigation (2024-01-12).",
        ),
    }


@pytest.mark.parametrize("which", ["suspect", "event", "prosecution"])
def test_a_ticked_box_confirms_only_the_date_it_was_shown_with(paula, orgs, users, register, which):
    url, data, field, recorded, message = _pages(orgs, users, register["1"])[which]
    before = written()
    first = paula.post(url, {**data, field: BEFORE.isoformat()}).content.decode()
    assert message in first and BOX in first and "checked" not in box_of(first)
    # The box ticked, and the date changed at the same time to another out-of-order date.
    r = paula.post(
        url,
        {**data, field: EARLIER.isoformat(), "confirm_order": "on", "order_warned": warned(first)},
    )
    page = r.content.decode()
    assert r.status_code == 400
    assert message in page and BOX in page  # the warning of the date now typed
    assert "checked" not in box_of(page)  # asked again, unticked
    assert f'value="{EARLIER.isoformat()}"' in page  # what was typed is kept
    assert warned(page) != warned(first)
    assert written() == before
    # A box ticked without the warnings it confirms (a plain yes) confirms nothing either.
    r = paula.post(url, {**data, field: EARLIER.isoformat(), "confirm_order": "on"})
    assert r.status_code == 400 and BOX in r.content.decode() and written() == before
    # Confirmed as shown: recorded with the date confirmed.
    r = paula.post(
        url,
        {**data, field: EARLIER.isoformat(), "confirm_order": "on", "order_warned": warned(page)},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert recorded() == EARLIER


def test_a_moved_opening_confirms_only_the_opening_it_was_shown_with(paula, users, register):
    inv = register["1"]
    _opening_after_an_arrest(users, inv)
    url = reverse("justice:edit", args=[inv.pk])
    data = {"region": inv.region_id or "", "version": inv.version}
    before = written()
    first = paula.post(url, {**data, "opened_on": "2024-01-20"}).content.decode()
    assert "An event of this investigation is dated 2024-01-15, before it." in first
    r = paula.post(
        url,
        {**data, "opened_on": "2024-01-25", "confirm_order": "on", "order_warned": warned(first)},
    )
    page = r.content.decode()
    assert r.status_code == 400 and "checked" not in box_of(page) and written() == before
    r = paula.post(
        url,
        {**data, "opened_on": "2024-01-25", "confirm_order": "on", "order_warned": warned(page)},
    )
    assert r.status_code == 302
    inv.refresh_from_db()
    assert inv.opened_on == datetime.date(2024, 1, 25)


def test_a_confirmation_kept_while_another_error_is_fixed(paula, register):
    """Confirmed, with another error of the form: the box stays ticked with its warnings, and
    the next submit with the same date records it."""
    url = reverse("justice:event_add", args=[register["1"].pk])
    data = {"suspect": suspect("S11").pk, "kind": "arrest", "on": BEFORE.isoformat()}
    first = paula.post(url, data).content.decode()
    confirmed = {**data, "confirm_order": "on", "order_warned": warned(first)}
    page = paula.post(url, {**confirmed, "place": "x" * 501}).content.decode()
    assert "checked" in box_of(page) and warned(page) == warned(first)
    assert paula.post(url, confirmed).status_code == 302


# --- The duplicate hint's choice --------------------------------------------------------------

# A suspect of E-1 (K1), whose names are typed again on E-2: the hint offers K1.
KNOWN = {"given_name_lat": "Mustapha", "family_name_lat": "Ouazzani"}
TYPED = {**KNOWN, "birth_date_precision": "unknown"}


@pytest.fixture
def known(users, register):
    return ja.add_suspect(
        register["1"], acting_user=users["paula"], added_on=OPENING, external_ref="K1", **KNOWN
    )


def _hinted(client, inv, added_on):
    r = client.post(
        reverse("justice:suspect_add", args=[inv.pk]), {**TYPED, "added_on": added_on.isoformat()}
    )
    page = r.content.decode()
    assert r.status_code == 409, page[:2000]
    assert f'name="existing" value="{suspect("K1").pk}"' in page
    return page


def test_the_hints_choice_submits_the_form_it_stands_above(paula, register, known):
    page = _hinted(paula, register["2"], datetime.date(2024, 2, 1))
    assert (
        '<form method="post" novalidate class="bg-body p-3 rounded border" id="justice-form">'
        in (page)
    )
    button = re.search(r'<button[^>]*data-testid="add-existing"[^>]*>', page).group(0)
    assert 'form="justice-form"' in button and 'type="submit"' in button
    assert page.count('name="existing"') == 1  # only the button's: no form of its own


def test_the_existing_suspect_is_added_with_the_date_typed(paula, register, known):
    inv = register["2"]
    identified = datetime.date(2024, 2, 1)  # not today, after the opening
    page = _hinted(paula, inv, identified)
    form = {**TYPED, "added_on": identified.isoformat(), "confirm_new": "on"}
    r = paula.post(
        reverse("justice:suspect_add", args=[inv.pk]), {**form, "existing": suspect("K1").pk}
    )
    assert r.status_code == 302, page[:200]
    assert inv.suspect_links.get(suspect=suspect("K1")).added_on == identified
    assert jm.Suspect.objects.filter(links__investigation=inv).count() == 4  # no new record


def test_the_existing_suspect_before_the_opening_is_asked_and_confirmed(paula, register, known):
    inv = register["2"]
    url = reverse("justice:suspect_add", args=[inv.pk])
    _hinted(paula, inv, BEFORE)
    chosen = {**TYPED, "added_on": BEFORE.isoformat(), "confirm_new": "on"}
    chosen["existing"] = suspect("K1").pk
    before = written()
    r = paula.post(url, chosen)
    page = r.content.decode()
    assert r.status_code == 400
    assert BEFORE_OPENING in page and BOX in page and written() == before
    # the hint again, the chosen suspect first, to choose once the order is confirmed
    assert f'name="existing" value="{suspect("K1").pk}"' in page
    # ticked while the date changed to another out-of-order date: asked again
    r = paula.post(
        url,
        {
            **chosen,
            "added_on": EARLIER.isoformat(),
            "confirm_order": "on",
            "order_warned": warned(page),
        },
    )
    page = r.content.decode()
    assert r.status_code == 400 and "checked" not in box_of(page) and written() == before
    r = paula.post(
        url,
        {
            **chosen,
            "added_on": EARLIER.isoformat(),
            "confirm_order": "on",
            "order_warned": warned(page),
        },
    )
    assert r.status_code == 302
    assert inv.suspect_links.get(suspect=suspect("K1")).added_on == EARLIER


def test_the_existing_suspect_with_a_date_to_come_is_refused(paula, register, known):
    inv = register["2"]
    url = reverse("justice:suspect_add", args=[inv.pk])
    before = written()
    chosen = {**TYPED, "added_on": "2025-07-01", "confirm_new": "on", "existing": suspect("K1").pk}
    r = paula.post(url, {**chosen, "confirm_order": "on"})
    page = r.content.decode()
    assert r.status_code == 400 and "This date is in the future." in page
    assert 'value="2025-07-01"' in page and written() == before


def test_the_existing_suspect_through_the_api(paula, register, known):
    inv = register["2"]
    url = f"/api/investigations/{inv.pk}/suspects/"
    before = written()
    payload = {"suspect": suspect("K1").pk, "added_on": BEFORE.isoformat()}
    r = paula.post(url, payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert r.json()["added_on"] == [BEFORE_OPENING] and "confirm_order" in r.json()
    assert written() == before
    # a register number of its own is the new suspect's: refused, never silently dropped
    r = paula.post(
        url,
        {**payload, "confirm_order": True, "external_ref": "S-99"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 400 and "suspect" in r.json() and written() == before
    r = paula.post(url, {**payload, "confirm_order": True}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert inv.suspect_links.get(suspect=suspect("K1")).added_on == BEFORE
    assert OPENING > BEFORE


BASE = "http://127.0.0.1:9/justice/add/"  # served by the route below: nothing leaves the machine


def _browser_submit(html, *, fill, click):
    """Chromium loads the page, the user changes a field then clicks: the request body the
    browser sends. No database access while Playwright's event loop runs in the thread."""
    from playwright.sync_api import sync_playwright

    sent, served = [], []

    def serve(route):
        request = route.request
        if request.method == "POST":
            sent.append(request.post_data)
            route.fulfill(status=200, body="sent")
        elif request.url == BASE:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        elif "/static/" in request.url:  # the page's own styles and scripts, as served
            local = finders.find(request.url.split("/static/", 1)[1].split("?")[0])
            if local:
                served.append(Path(local).name)
                route.fulfill(path=local)
            else:
                route.fulfill(status=404)
        else:
            route.fulfill(status=404)

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"]
        )
        try:
            page = browser.new_page()
            page.route("**/*", serve)
            page.goto(BASE)
            for selector, value in fill.items():
                page.fill(selector, value)
            with page.expect_request(lambda r: r.method == "POST"):
                page.click(click)
        finally:
            browser.close()
    assert "himaya.js" in served  # the page's own script, which watches submits, ran
    return sent[0]


def test_in_the_browser_the_hints_choice_carries_the_date_typed(paula, register, known):
    """The user reads the hint, corrects the date in the form below, and chooses the existing
    suspect: the date typed is the one recorded."""
    from django.http import QueryDict

    inv = register["2"]
    html = _hinted(paula, inv, datetime.date(2024, 2, 1))
    body = _browser_submit(
        html, fill={"#id_added_on": "2024-02-03"}, click='[data-testid="add-existing"]'
    )
    posted = QueryDict(body)
    assert posted["existing"] == str(suspect("K1").pk) and posted["added_on"] == "2024-02-03"
    r = paula.post(reverse("justice:suspect_add", args=[inv.pk]), posted)
    assert r.status_code == 302
    assert inv.suspect_links.get(suspect=suspect("K1")).added_on == datetime.date(2024, 2, 3)


def test_a_new_suspect_is_confirmed_against_the_candidates_it_was_shown(
    paula, users, register, known
):
    """After the hint, the form confirms a new suspect against the suspects it showed: names
    changed meanwhile to match another suspect get that suspect's hint, nothing written."""
    other = ja.add_suspect(
        register["1"],
        acting_user=users["paula"],
        added_on=OPENING,
        external_ref="K2",
        given_name_lat="Hassan",
        family_name_lat="Tazi",
    )
    inv = register["2"]
    url = reverse("justice:suspect_add", args=[inv.pk])
    first = _hinted(paula, inv, datetime.date(2024, 2, 1))
    confirm_new = re.search(r'name="confirm_new" value="([^"]*)"', first).group(1)
    before = written()
    typed = {**TYPED, "given_name_lat": "Hassan", "family_name_lat": "Tazi"}
    typed["added_on"] = "2024-02-01"
    r = paula.post(url, {**typed, "confirm_new": confirm_new})
    page = r.content.decode()
    assert r.status_code == 409 and f'name="existing" value="{other.pk}"' in page
    assert f'name="existing" value="{known.pk}"' not in page
    assert written() == before
    again = re.search(r'name="confirm_new" value="([^"]*)"', page).group(1)
    assert again != confirm_new
    r = paula.post(url, {**typed, "confirm_new": again})
    assert r.status_code == 302
    assert jm.Suspect.objects.count() == before["justice.Suspect"] + 1


@pytest.mark.parametrize("which", ["suspect", "event", "prosecution"])
def test_the_question_read_in_french_is_confirmed_after_switching_to_arabic(
    paula, orgs, users, register, which
):
    """The box bound to the warning's text: a user who read the question in French and
    switched the page to Arabic before ticking it was asked again, for ever in a loop if she
    switched back. It binds to what the warning says in no language now."""
    from .test_order_warnings import speaking

    url, data, field, recorded, _message = _pages(orgs, users, register["1"])[which]
    french = speaking(paula, "fr").post(url, {**data, field: BEFORE.isoformat()}).content.decode()
    assert BOX in french and 'lang="fr"' in french
    arabic = speaking(paula, "ar")
    r = arabic.post(
        url,
        {**data, field: BEFORE.isoformat(), "confirm_order": "on", "order_warned": warned(french)},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert recorded() == BEFORE
