"""End-to-end on a phone-sized screen (375 × 740) in headless Chromium: the police officer
karim screens a migrant in Arabic, group by group; the connection drops on a step and nothing
is lost; the result is a strong indication; he opens a dossier from it, then reads the result
in French."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}
INDEX = {"yes": 0, "no": 1, "unknown": 2}


def log_in_karim(page, server):
    log_in(page, server, "karim")


def answer(page, key, value):
    page.click(f'label[for="id_{key}_{INDEX[value]}"]')


def checked(page, key, value):
    return page.locator(f'input[name="{key}"][value="{value}"]').is_checked()


def fits_the_screen(page):
    """The page's content is laid out within the phone's width: nothing in it overflows its
    column, and in Arabic (shorter navigation labels) the whole page is 375 px wide. Measured once
    the page has loaded: until layout.js has turned a list's table into cards, the table scrolls
    in its own box and its cells lie beyond the column (a language switch answers before that)."""
    page.wait_for_load_state("load")
    return page.evaluate(
        """(width) => {
        const main = document.querySelector('main');
        const inside = Array.from(main.querySelectorAll('*')).every(
            e => e.getBoundingClientRect().right <= main.getBoundingClientRect().right + 1
              && e.getBoundingClientRect().left >= main.getBoundingClientRect().left - 1);
        const rtl = document.documentElement.dir === 'rtl';
        return inside && main.scrollWidth <= main.clientWidth + 1
            && (!rtl || document.documentElement.scrollWidth <= width);
        }""",
        PHONE["width"],
    )


def step_url(server, pk, n):
    return re.compile(rf"/screening/{pk}/step/{n}/$")


def test_police_officer_screens_a_migrant_on_a_phone(server, browser, artefacts):
    context = browser.new_context(
        viewport=PHONE, locale="ar-MA", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    foreign = []
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None
        ),
    )
    try:
        log_in_karim(page, server)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        pk = _karim_starts_a_screening(page, server, artefacts)
        _karim_answers_the_recruitment_steps(page, server, pk, artefacts)
        _the_connection_drops_on_step_3(page, context, server, pk, artefacts)
        _karim_answers_the_exploitation_steps(page, server, pk)
        _karim_reviews_and_submits(page, pk, artefacts)
        reference = _karim_opens_a_dossier(page, artefacts)
        _karim_reads_the_result_in_french(page, server, pk, reference, artefacts)
        assert foreign == []
    finally:
        context.close()


def _karim_starts_a_screening(page, server, artefacts):
    """Start: the adult labour list, for a man met at the bus station (no record yet). Returns
    the screening's id."""
    page.goto(server + "/screening/")
    page.click("[data-testid=new-screening]")
    expect(page).to_have_url(re.compile(r"/screening/new/$"))
    page.locator(".questionnaire-choice label").filter(
        has_text="البالغون: الاتجار بالبشر لأغراض الاستغلال في العمل"
    ).click()
    page.fill("#id_alias", "شاب من غينيا، المحطة الطرقية")
    page.select_option("#id_region", label="طنجة - تطوان - الحسيمة")
    page.fill("#id_place_detail", "المحطة الطرقية")
    assert fits_the_screen(page)
    page.screenshot(path=str(artefacts / "screening-start-ar-375.png"), full_page=True)
    page.click("[data-testid=start]")
    expect(page).to_have_url(re.compile(r"/screening/\d+/step/1/$"))
    return int(re.search(r"/screening/(\d+)/", page.url).group(1))


def _karim_answers_the_recruitment_steps(page, server, pk, artefacts):
    """Step 1, deceptive recruitment: the questions are in Arabic, one group per screen. Step
    2, coercive recruitment."""
    expect(page.locator("main")).to_contain_text("هل كُذب عليك بشأن طبيعة العمل")
    answer(page, "deceptive_recruitment.nature_of_job", "yes")
    answer(page, "deceptive_recruitment.wages", "yes")
    answer(page, "deceptive_recruitment.housing", "no")
    assert fits_the_screen(page)
    page.screenshot(path=str(artefacts / "screening-step1-ar-375.png"), full_page=True)
    page.click("[data-testid=next]")
    expect(page).to_have_url(step_url(server, pk, 2))

    answer(page, "coercive_recruitment.violence", "no")
    answer(page, "coercive_recruitment.debt", "unknown")
    page.click("[data-testid=next]")
    expect(page).to_have_url(step_url(server, pk, 3))


def _the_connection_drops_on_step_3(page, context, server, pk, artefacts):
    """Step 3: the connection drops as he presses "next". Nothing is sent, nothing lost."""
    answer(page, "vulnerability_recruitment.economic_reasons", "yes")
    answer(page, "vulnerability_recruitment.illegal_status", "yes")
    context.set_offline(True)
    page.click("[data-testid=next]")
    expect(page.locator("[data-offline-alert]")).to_be_visible()
    expect(page).to_have_url(step_url(server, pk, 3))
    assert checked(page, "vulnerability_recruitment.economic_reasons", "yes")
    page.screenshot(path=str(artefacts / "screening-offline-ar-375.png"))
    context.set_offline(False)
    page.click("[data-testid=next]")
    expect(page).to_have_url(step_url(server, pk, 4))


def _karim_answers_the_exploitation_steps(page, server, pk):
    """Step 4, exploitation: answers chosen, then the page is reloaded before sending (a dead
    battery, a tap on "back"...): the answers come back from this device. Step 5, coercion at
    destination: his passport is kept, and a debt grows. Step 6 left unanswered."""
    answer(page, "exploitation.excessive_hours", "yes")
    answer(page, "exploitation.low_salary", "yes")
    page.reload()
    assert checked(page, "exploitation.excessive_hours", "yes")
    assert checked(page, "exploitation.low_salary", "yes")
    page.click("[data-testid=next]")
    expect(page).to_have_url(step_url(server, pk, 5))

    answer(page, "coercion_destination.documents", "yes")
    answer(page, "coercion_destination.debt", "yes")
    page.click("[data-testid=next]")
    expect(page).to_have_url(step_url(server, pk, 6))
    page.click("[data-testid=next]")  # step 6 left unanswered: "see the result"
    expect(page).to_have_url(re.compile(rf"/screening/{pk}/review/$"))


def _karim_reviews_and_submits(page, pk, artefacts):
    """The review shows every group's answers as saved on the server, and the result: a strong
    indication, kept once submitted."""
    summary = page.locator("[data-testid=summary] li")
    expect(summary).to_have_count(6)
    expect(summary.nth(2)).to_contain_text("2")  # the two answers sent after the drop
    expect(page.locator("[data-recommendation=strong]")).to_be_visible()
    assert fits_the_screen(page)
    page.screenshot(path=str(artefacts / "screening-review-ar-375.png"), full_page=True)
    page.click("[data-testid=submit]")
    expect(page).to_have_url(re.compile(rf"/screening/{pk}/$"))
    expect(page.locator("[data-testid=result] [data-recommendation=strong]")).to_be_visible()
    page.screenshot(path=str(artefacts / "screening-result-ar-375.png"), full_page=True)


def _karim_opens_a_dossier(page, artefacts):
    """Open a dossier from the strong indication: the person is recorded now. Returns the
    dossier's reference."""
    page.click("[data-testid=open-dossier]")
    page.fill("#id_given_name_lat", "Mamadou")
    page.fill("#id_family_name_lat", "Diallo")
    page.select_option("#id_forms", label="العمل القسري")
    page.click("[data-testid=confirm-open]")
    expect(page).to_have_url(re.compile(r"/dossiers/\d+/$"))
    expect(page.locator("main")).to_contain_text("HMY-")
    reference = re.search(r"HMY-\d{4}-\d{6}", page.locator("main").inner_text()).group(0)
    page.screenshot(path=str(artefacts / "screening-dossier-ar-375.png"), full_page=True)
    return reference


def _karim_reads_the_result_in_french(page, server, pk, reference, artefacts):
    """The result page, in French, with its dossier and the person's name."""
    html = page.locator("html")
    page.goto(f"{server}/screening/{pk}/")
    page.click("[data-testid=lang-fr]")
    expect(html).to_have_attribute("dir", "ltr")
    expect(html).to_have_attribute("lang", "fr")
    main = page.locator("main")
    expect(main).to_contain_text("Vous a-t-on menti sur la nature du travail")
    expect(page.locator("[data-testid=dossier-link]")).to_contain_text(reference)
    expect(main).to_contain_text("Mamadou Diallo")
    expect(page.locator("[data-testid=result] [data-recommendation=strong]")).to_be_visible()
    assert fits_the_screen(page)
    page.screenshot(path=str(artefacts / "screening-result-fr-375.png"), full_page=True)
    page.screenshot(path=str(artefacts / "screening-result-fr-375-top.png"))
