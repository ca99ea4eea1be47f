"""Screening pages: the interview group by group (every step saved), review, submit, detail,
open or link a dossier, campaigns, figures, the home panel; bad input gets a form error and
loses nothing (R4)."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from himaya.cases.models import Dossier
from himaya.screening import actions
from himaya.screening.home import home_context
from himaya.screening.models import Campaign, Screening
from himaya.testing import factories as f

from .helpers import NONE_LABOUR, STRONG_LABOUR, published, start, submitted
from .test_actions import campaign

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def start_page(client, **data):
    payload = {
        "questionnaire": published(data.pop("code", "adult_labour")).pk,
        "alias": "Jeune homme, gare routière",
        "screened_on": TODAY().isoformat(),
        "region": f.code("region", "tanger_tetouan_al_hoceima").pk,
        "place_detail": "Gare routière",
        "language": f.code("language", "fr").pk,
        "campaign": "",
        "organisation": client.org.pk,
    }
    payload.update(data)
    return client.post(reverse("screening:create"), payload)


@pytest.fixture
def interview(users, orgs, login):
    """Carol (police) starts an interview through the start page."""
    client = login(users["carol"])
    client.org = orgs["police"]
    r = start_page(client)
    return {"client": client, "started": r, "s": Screening.objects.get()}


@pytest.fixture
def step1_answered(interview):
    """... and answers two questions of step 1."""
    interview["step1"] = interview["client"].post(
        interview["started"]["Location"],
        {
            "deceptive_recruitment.nature_of_job": "yes",
            "deceptive_recruitment.wages": "yes",
            "go": "next",
        },
    )
    return interview


@pytest.fixture
def answered(step1_answered):
    """... then two of step 4, and two of step 5 before going back to step 4."""
    client, s = step1_answered["client"], step1_answered["s"]
    client.post(
        reverse("screening:step", args=[s.pk, 4]),
        {"exploitation.excessive_hours": "yes", "exploitation.low_salary": "yes", "go": "next"},
    )
    step1_answered["back"] = client.post(
        reverse("screening:step", args=[s.pk, 5]),
        {
            "coercion_destination.documents": "yes",
            "coercion_destination.debt": "yes",
            "deceptive_recruitment.nature_of_job": "yes",  # carried
            "go": "prev",
        },
    )
    return step1_answered


@pytest.fixture
def interview_submitted(answered):
    """... reviews from the last step and submits with a note."""
    client, s = answered["client"], answered["s"]
    client.post(reverse("screening:step", args=[s.pk, 6]), {"go": "review"})
    answered["submitted"] = client.post(
        reverse("screening:submit", args=[s.pk]), {"notes": "Entretien au poste."}
    )
    return answered


def test_the_start_page_offers_the_questionnaires(users, login):
    page = login(users["carol"]).get(reverse("screening:create"))
    assert page.status_code == 200
    assert "Adults: trafficking for labour exploitation" in page.content.decode()


def test_starting_saves_the_details_and_goes_to_step_1(interview, orgs):
    s = interview["s"]
    assert interview["started"]["Location"] == reverse("screening:step", args=[s.pk, 1])
    assert s.organisation == orgs["police"] and s.alias == "Jeune homme, gare routière"


def test_a_step_is_one_group_of_questions_with_three_buttons_each(interview):
    # Step 1: one group of questions, big yes / no / unknown buttons.
    step1 = interview["client"].get(interview["started"]["Location"])
    html = step1.content.decode()
    assert step1.status_code == 200
    assert html.count('type="radio"') == 3 * 10
    assert 'name="deceptive_recruitment.nature_of_job"' in html
    assert "Step 1 of 6" in html


def test_each_step_saves_its_answers_and_goes_on(step1_answered):
    s = step1_answered["s"]
    assert step1_answered["step1"]["Location"] == reverse("screening:step", args=[s.pk, 2])
    s.refresh_from_db()
    assert s.answers == {
        "deceptive_recruitment.nature_of_job": "yes",
        "deceptive_recruitment.wages": "yes",
    }


def test_later_steps_carry_what_was_answered_before_as_hidden_fields(step1_answered):
    s = step1_answered["s"]
    step4 = step1_answered["client"].get(reverse("screening:step", args=[s.pk, 4]))
    assert re.search(
        r'<input type="hidden" name="deceptive_recruitment.nature_of_job" value="yes"',
        step4.content.decode(),
    )


def test_previous_goes_back_one_step(answered):
    s = answered["s"]
    assert answered["back"]["Location"] == reverse("screening:step", args=[s.pk, 4])


def test_the_review_gives_the_recommendation_and_its_reason(answered):
    client, s = answered["client"], answered["s"]
    last = client.post(reverse("screening:step", args=[s.pk, 6]), {"go": "review"})
    assert last["Location"] == reverse("screening:review", args=[s.pk])
    review = client.get(last["Location"])
    text = review.content.decode()
    assert "strong indication of trafficking" in text
    assert "coercion at destination is positive: two strong indicators" in text
    assert review.context["result"]["recommendation"] == "strong"


def test_submitting_records_the_recommendation_and_shows_the_detail(interview_submitted):
    client, s, r = (interview_submitted[k] for k in ("client", "s", "submitted"))
    assert r["Location"] == reverse("screening:detail", args=[s.pk])
    s.refresh_from_db()
    assert s.status == "submitted" and s.recommendation == "strong"
    detail = client.get(r["Location"]).content.decode()
    assert "Open a dossier" in detail and "Entretien au poste." in detail


def test_once_submitted_the_steps_are_gone(interview_submitted):
    client, s = interview_submitted["client"], interview_submitted["s"]
    assert client.get(reverse("screening:step", args=[s.pk, 1])).status_code == 404


def test_a_dropped_post_loses_nothing_the_next_one_carries_it(users, orgs, login):
    """The first answers never reached the server; the next post carries them with its own."""
    client = login(users["carol"])
    s = start(users["carol"], orgs["police"])
    client.post(
        reverse("screening:step", args=[s.pk, 2]),
        {
            "coercive_recruitment.violence": "yes",
            "deceptive_recruitment.nature_of_job": "yes",  # kept by the page, not yet saved
            "go": "next",
        },
    )
    s.refresh_from_db()
    assert s.answers == {
        "coercive_recruitment.violence": "yes",
        "deceptive_recruitment.nature_of_job": "yes",
    }


def test_bad_input_gets_a_form_error_and_keeps_the_rest(users, orgs, login, figure):
    client = login(users["carol"])
    client.org = orgs["police"]
    s = start(users["carol"], orgs["police"])
    cases = 0
    r = client.post(
        reverse("screening:step", args=[s.pk, 1]),
        {"deceptive_recruitment.nature_of_job": "maybe", "deceptive_recruitment.wages": "yes"},
    )
    cases += 1
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()
    # the valid radio stays checked on the page
    assert re.search(
        r'value="yes"[^>]*name="deceptive_recruitment.wages"[^>]*checked|'
        r'name="deceptive_recruitment.wages" value="yes"[^>]*checked',
        r.content.decode(),
    )
    s.refresh_from_db()
    assert s.answers == {}
    for data in (
        {"screened_on": "31/02/2025"},
        {"screened_on": (TODAY() + datetime.timedelta(days=3)).isoformat()},
        {"region": "999999999999999999999"},
        {"region": "abc"},
        {"language": f.code("country", "MA").pk},
        {"alias": "x" * 500},
        {"alias": ""},
        {"questionnaire": ""},
        {"campaign": "-1"},
        {"organisation": orgs["ngo_a"].pk},
    ):
        cases += 1
        r = start_page(client, **data)
        assert r.status_code == 400, data
        assert "Please correct" in r.content.decode() or "alert" in r.content.decode()
    assert Screening.objects.count() == 1
    assert start_page(client).status_code == 302  # the same form, valid, is accepted
    assert client.get(reverse("screening:step", args=[s.pk, 7])).status_code == 404
    assert client.get(reverse("screening:step", args=[s.pk, 0])).status_code == 404
    assert client.get("/screening/99999999999999999999/").status_code == 404
    r = client.post(reverse("screening:submit", args=[s.pk]), {"notes": "x"})
    assert r.status_code == 400 and "at least one question" in r.content.decode()
    cases += 1
    figure(f"R4 screening: {cases} malformed inputs → form errors, 0 server errors")


def test_details_can_be_changed_on_a_draft(users, orgs, login):
    client = login(users["carol"])
    s = start(users["carol"], orgs["police"])
    url = reverse("screening:details", args=[s.pk])
    assert client.get(url).status_code == 200
    r = client.post(
        url,
        {"alias": "Femme, campement", "screened_on": TODAY().isoformat(), "version": s.version},
    )
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.alias == "Femme, campement"
    stale = client.post(url, {"alias": "x", "screened_on": TODAY().isoformat(), "version": 1})
    assert stale.status_code == 409


def test_open_a_dossier_from_the_page(users, orgs, login, screening):
    client = login(users["carol"])
    url = reverse("screening:open_dossier", args=[screening.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {"given_name_ar": "Fatima"})  # Latin letters in the Arabic field
    assert r.status_code == 400 and Dossier.objects.count() == 0
    r = client.post(
        url,
        {
            "given_name_lat": "Mariama",
            "family_name_lat": "Diallo",
            "sex": f.code("sex", "female").pk,
            "estimated_age": "24",
            "citizenships": [f.code("country", "GN").pk],
            "forms": [f.code("exploitation_form", "sexual").pk],
        },
    )
    dossier = Dossier.objects.get()
    assert r["Location"] == reverse("cases:detail", args=[dossier.pk])
    assert dossier.stage == "presumed"
    screening.refresh_from_db()
    assert screening.dossier == dossier
    detail = client.get(reverse("screening:detail", args=[screening.pk])).content.decode()
    assert dossier.reference in detail and "Mariama Diallo" in detail
    # No second dossier.
    assert client.get(url).status_code == 302


def test_link_from_the_page(users, orgs, login, screening):
    client = login(users["carol"])
    dossier = f.dossier(users["carol"], orgs["police"])
    url = reverse("screening:link_dossier", args=[screening.pk])
    r = client.post(url, {"link-reference": "HMY-1999-000001"})
    assert r.status_code == 400 and "No dossier of your organisation" in r.content.decode()
    theirs = f.dossier(users["alice"], orgs["ngo_a"])
    assert client.post(url, {"link-reference": theirs.reference}).status_code == 400
    r = client.post(url, {"link-reference": dossier.reference.lower()})
    assert r.status_code == 302
    screening.refresh_from_db()
    assert screening.dossier == dossier


def test_correct_from_the_page(users, orgs, login, screening):
    client = login(users["carol"])
    r = client.post(reverse("screening:correct", args=[screening.pk]))
    correction = Screening.objects.get(corrects=screening)
    assert r["Location"] == reverse("screening:step", args=[correction.pk, 1])
    detail = client.get(reverse("screening:detail", args=[screening.pk])).content.decode()
    assert correction.reference in detail


def test_list_filters(users, orgs, login):
    carol = users["carol"]
    strong = submitted(carol, orgs["police"])
    none = submitted(carol, orgs["police"], answers=NONE_LABOUR)
    draft = start(carol, orgs["police"], code="child")
    client = login(carol)

    def shown(**params):
        page = client.get(reverse("screening:list"), params).context["page"]
        return {s.pk for s in page}

    assert shown() == {strong.pk, none.pk, draft.pk}
    assert shown(recommendation="strong") == {strong.pk}
    assert shown(status="draft") == {draft.pk}
    assert shown(questionnaire="child") == {draft.pk}
    assert shown(mine="on", without_dossier="on") == {strong.pk, none.pk, draft.pk}
    assert shown(recommendation="bogus") == {strong.pk, none.pk, draft.pk}  # ignored, shown
    assert client.get(reverse("screening:list"), {"screened_from": "nope"}).status_code == 200


@pytest.fixture
def campaign_run(users, orgs):
    """A police campaign with two screenings, one a strong indication."""
    carol = users["carol"]
    c = campaign(carol, orgs["police"])
    submitted(carol, orgs["police"], campaign=c)
    submitted(carol, orgs["police"], campaign=c, answers=NONE_LABOUR)
    return c


def _campaign_form(orgs, starts_on, ends_on):
    return {
        "name_fr": "Nador",
        "region": f.code("region", "oriental").pk,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "target_group": "irregular_migrants",
        "status": "planned",
        "organisation": orgs["police"].pk,
    }


def test_campaign_pages(users, login, campaign_run):
    client = login(users["carol"])
    assert client.get(reverse("screening:campaign_list")).status_code == 200
    detail = client.get(reverse("screening:campaign_detail", args=[campaign_run.pk]))
    assert detail.context["counts"] == {
        "people": 2,
        "screenings": 2,
        "strong": 1,
        "possible": 0,
        "dossiers": 0,
    }


def test_a_campaign_ending_before_it_starts_is_a_form_error(users, orgs, login, campaign_run):
    r = login(users["carol"]).post(
        reverse("screening:campaign_create"), _campaign_form(orgs, "2026-01-10", "2026-01-01")
    )
    assert r.status_code == 400 and Campaign.objects.count() == 1


def test_a_campaign_is_created_from_the_page(users, orgs, login, campaign_run):
    r = login(users["carol"]).post(
        reverse("screening:campaign_create"), _campaign_form(orgs, "2026-01-01", "2026-01-10")
    )
    assert r.status_code == 302 and Campaign.objects.count() == 2


def test_a_campaign_is_edited_once_per_version(users, login, campaign_run):
    c, client = campaign_run, login(users["carol"])
    edit = reverse("screening:campaign_edit", args=[c.pk])
    data = {
        "name_fr": "Tanger port (2)",
        "region": c.region_id,
        "starts_on": c.starts_on.isoformat(),
        "ends_on": c.ends_on.isoformat(),
        "target_group": c.target_group,
        "status": "closed",
        "version": c.version,
    }
    assert client.post(edit, data).status_code == 302
    assert client.post(edit, data).status_code == 409  # stale version


def test_the_commission_sees_a_campaigns_counts_not_its_screenings(users, login, campaign_run):
    ana = login(users["ana"]).get(reverse("screening:campaign_detail", args=[campaign_run.pk]))
    assert ana.status_code == 200 and list(ana.context["page"]) == []
    assert ana.context["counts"]["strong"] == 1


@pytest.mark.parametrize("name", ["alice", "charlie", "root"])
def test_outsiders_neither_see_nor_edit_a_campaign(users, login, campaign_run, name):
    client = login(users[name])
    detail = reverse("screening:campaign_detail", args=[campaign_run.pk])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("screening:campaign_edit", args=[campaign_run.pk])).status_code == 404


def test_figures_page(users, orgs, login):
    carol = users["carol"]
    submitted(carol, orgs["police"])
    submitted(users["alice"], orgs["ngo_a"], answers=NONE_LABOUR)
    ana = login(users["ana"]).get(reverse("screening:figures"))
    assert ana.status_code == 200 and ana.context["f"]["by_recommendation"]["total"] == 2
    own = login(carol).get(reverse("screening:figures"), {"year": "abc"})
    assert own.status_code == 200 and own.context["f"]["by_recommendation"]["total"] == 1
    assert own.context["f"]["year"] == TODAY().year  # a bad year falls back to this one
    old = login(carol).get(reverse("screening:figures"), {"year": "2020"})
    assert old.context["f"]["year"] == 2020 and old.context["f"]["by_recommendation"]["total"] == 0
    assert login(users["charlie"]).get(reverse("screening:figures")).status_code == 404


def test_home_panel(users, orgs):
    carol = users["carol"]
    draft = start(carol, orgs["police"])
    strong = submitted(carol, orgs["police"])
    linked = submitted(carol, orgs["police"])
    actions.link_dossier(linked, acting_user=carol, dossier=f.dossier(carol, orgs["police"]))
    c = campaign(carol, orgs["police"])
    ctx = home_context(carol)
    assert ctx["screening_drafts"] == [draft]
    assert ctx["screening_strong"] == [strong]
    assert [x for x, _n in ctx["screening_campaigns"]] == [c]
    html = render_to_string("screening/_home.html", ctx)
    assert draft.reference in html and strong.reference in html and c.name in html
    assert home_context(users["ana"]) == {} and home_context(users["charlie"]) == {}
    assert render_to_string("screening/_home.html", {}).strip() == ""
    # Field roles always get the panel (to start a screening); a prosecutor only when
    # something of theirs waits in it.
    assert home_context(users["alice"])["screening_panel"] is True
    assert home_context(users["paula"]) == {}


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_pages_render_in_arabic_and_french(users, orgs, login, lang, screening):
    carol = users["carol"]
    carol.preferred_language = lang
    carol.save()
    client = login(carol)
    draft = start(carol, orgs["police"], code="adult_sexual", answers=STRONG_LABOUR)
    pages = [
        reverse("screening:list"),
        reverse("screening:create"),
        reverse("screening:step", args=[draft.pk, 1]),
        reverse("screening:review", args=[draft.pk]),
        reverse("screening:detail", args=[screening.pk]),
        reverse("screening:campaign_list"),
        reverse("screening:questionnaire_list"),
        reverse("screening:figures"),
    ]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200, url
        html = r.content.decode()
        assert f'lang="{lang}"' in html
    step = client.get(pages[2]).content.decode()
    question = published("adult_sexual").questions.first()
    assert escape(getattr(question, f"text_{lang}")) in step


def test_discard_a_draft_from_the_page(users, orgs, login):
    s = start(users["carol"], orgs["police"])
    assert login(users["alice"]).post(reverse("screening:discard", args=[s.pk])).status_code == 404
    r = login(users["carol"]).post(reverse("screening:discard", args=[s.pk]))
    assert r["Location"] == reverse("screening:list")
    assert not Screening.objects.filter(pk=s.pk).exists()


def test_campaign_list_filters(users, orgs, login):
    carol = users["carol"]
    a = campaign(carol, orgs["police"], name_fr="Port", status="active")
    b = campaign(carol, orgs["police"], name_fr="Enfants", target_group="street_children")
    client = login(carol)

    def shown(**params):
        return {
            c.pk for c, _n in client.get(reverse("screening:campaign_list"), params).context["rows"]
        }

    assert shown() == {a.pk, b.pk}
    assert shown(target_group="street_children") == {b.pk}
    assert shown(status="closed") == set()
    assert shown(region="abc") == {a.pk, b.pk}  # a bad filter is ignored
