"""The screening API: questionnaires (read), screenings (list, detail, create with answers,
add answers, submit) and campaigns, with the access rules of the pages."""

import pytest
import yaml

from himaya.accounts.models import ApiToken
from himaya.screening.models import Campaign, Screening
from himaya.testing import factories as f

from .helpers import NONE_LABOUR, STRONG_LABOUR, published, start, submitted
from .test_actions import campaign

pytestmark = pytest.mark.django_db


def api(user):
    from django.test import Client

    _token, raw = ApiToken.issue(user, "tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_questionnaires_are_read_with_their_questions(users):
    client = api(users["ana"])
    listing = client.get("/api/questionnaires/").json()
    assert {q["code"] for q in listing["results"]} == {"adult_labour", "adult_sexual", "child"}
    labour = published()
    detail = client.get(f"/api/questionnaires/{labour.pk}/").json()
    assert len(detail["questions"]) == 67
    first = detail["questions"][0]
    assert first["key"] == "deceptive_recruitment.nature_of_job"
    assert first["strength"] == "strong" and first["text_ar"].endswith("؟")
    assert client.get("/api/questionnaires/?code=child").json()["count"] == 1
    assert client.get("/api/questionnaires/?code=nope").status_code == 400
    assert client.get("/api/questionnaires/999999/").status_code == 404
    assert post(client, "/api/questionnaires/", {}).status_code == 405


def test_create_with_answers_and_submit_at_once(users, orgs):
    client = api(users["carol"])
    r = post(
        client,
        "/api/screenings/",
        {
            "questionnaire": "adult_labour",
            "alias": "Femme, port",
            "region": "tanger_tetouan_al_hoceima",
            "answers": STRONG_LABOUR,
            "submit": True,
            "notes": "Vue au port.",
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "submitted" and body["recommendation"] == "strong"
    assert body["result"]["positive_dimensions"][-1] == "coercion_destination"
    assert body["answers"] == STRONG_LABOUR and body["alias"] == "Femme, port"
    assert body["organisation"] == orgs["police"].pk
    s = Screening.objects.get(pk=body["id"])
    assert s.screener == users["carol"] and s.questionnaire.version == 1


def test_a_draft_is_answered_then_submitted(users, orgs):
    client = api(users["carol"])
    r = post(client, "/api/screenings/", {"questionnaire": "child", "alias": "Garçon, port"})
    pk = r.json()["id"]
    assert r.json()["status"] == "draft" and r.json()["recommendation"] == ""
    r = client.patch(
        f"/api/screenings/{pk}/",
        {"answers": {"exploitation.hazardous": "yes"}},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["answers"] == {"exploitation.hazardous": "yes"}
    r = client.patch(
        f"/api/screenings/{pk}/",
        {"answers": {"exploitation.bad_living": "yes", "exploitation.no_education": "yes"}},
        content_type="application/json",
    )
    assert len(r.json()["answers"]) == 3  # merged
    r = post(client, f"/api/screenings/{pk}/submit/", {"notes": ""})
    assert r.status_code == 200 and r.json()["recommendation"] == "possible"
    # Submitted: no more answers, no second submission.
    r = client.patch(
        f"/api/screenings/{pk}/",
        {"answers": {"exploitation.hazardous": "no"}},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert post(client, f"/api/screenings/{pk}/submit/", {}).status_code == 404


@pytest.mark.parametrize(
    "payload",
    [
        {"questionnaire": "adult", "alias": "x"},
        {"questionnaire": "adult_labour"},  # nobody said who
        {"questionnaire": "adult_labour", "alias": "x", "answers": {"nope.nope": "yes"}},
        {
            "questionnaire": "adult_labour",
            "alias": "x",
            "answers": {"exploitation.hazardous": "si"},
        },
        {"questionnaire": "adult_labour", "alias": "x", "answers": ["yes"]},
        {"questionnaire": "adult_labour", "alias": "x", "region": "atlantis"},
        {"questionnaire": "adult_labour", "alias": "x", "screened_on": "2999-01-01"},
        {"questionnaire": "adult_labour", "alias": "x", "campaign": 999999},
        {"questionnaire": "adult_labour", "alias": "x", "person": 999999},
        {"questionnaire": "adult_labour", "alias": "x", "organisation": 999999},
        {"questionnaire": "adult_labour", "alias": "x" * 300},
        {"questionnaire": "adult_labour", "alias": "x", "submit": True},  # nothing answered
    ],
)
def test_bad_requests_are_400_and_write_nothing(users, orgs, payload):
    r = post(api(users["carol"]), "/api/screenings/", payload)
    assert r.status_code == 400, r.content
    assert Screening.objects.count() == 0


def test_a_person_or_campaign_of_another_organisation_is_refused(users, orgs):
    alice = users["alice"]
    person = f.person(alice, orgs["ngo_a"])
    c = campaign(alice, orgs["ngo_a"])
    client = api(users["carol"])
    r = post(client, "/api/screenings/", {"questionnaire": "adult_labour", "person": person.pk})
    assert r.status_code == 400
    r = post(
        client,
        "/api/screenings/",
        {"questionnaire": "adult_labour", "alias": "x", "campaign": c.pk},
    )
    assert r.status_code == 400
    assert Screening.objects.count() == 0


def test_list_and_filters(users, orgs):
    carol = users["carol"]
    strong = submitted(carol, orgs["police"])
    none = submitted(carol, orgs["police"], answers=NONE_LABOUR)
    draft = start(carol, orgs["police"], code="child")
    client = api(carol)
    rows = client.get("/api/screenings/").json()["results"]
    assert {r["id"] for r in rows} == {strong.pk, none.pk, draft.pk}
    assert "answers" not in rows[0] and "alias" not in rows[0]  # only in the detail
    assert [
        r["id"] for r in client.get("/api/screenings/?recommendation=strong").json()["results"]
    ] == [strong.pk]
    assert client.get("/api/screenings/?questionnaire=child").json()["count"] == 1
    assert client.get("/api/screenings/?status=nope").status_code == 400
    assert client.get("/api/screenings/?screened_after=nope").status_code == 400


def test_campaigns_through_the_api(users, orgs):
    carol = users["carol"]
    c = campaign(carol, orgs["police"])
    submitted(carol, orgs["police"], campaign=c)
    r = api(users["ana"]).get(f"/api/campaigns/{c.pk}/")
    assert r.status_code == 200 and r.json()["counts"]["strong"] == 1
    assert api(users["alice"]).get(f"/api/campaigns/{c.pk}/").status_code == 404
    r = post(
        api(carol),
        "/api/campaigns/",
        {
            "name_fr": "Nador",
            "region": "oriental",
            "starts_on": "2026-02-01",
            "ends_on": "2026-02-20",
            "target_group": "irregular_migrants",
        },
    )
    assert r.status_code == 201 and r.json()["counts"]["people"] == 0
    bad = post(
        api(carol),
        "/api/campaigns/",
        {
            "name_fr": "Nador",
            "region": "oriental",
            "starts_on": "2026-02-21",
            "ends_on": "2026-02-20",
            "target_group": "other",
        },
    )
    assert bad.status_code == 400 and set(bad.json()) >= {"ends_on"}
    assert post(api(users["ana"]), "/api/campaigns/", {}).status_code == 400
    assert Campaign.objects.count() == 2


def test_the_schema_lists_the_screening_endpoints(users):
    schema = yaml.safe_load(api(users["ana"]).get("/api/schema/").content)
    for path in (
        "/api/questionnaires/",
        "/api/questionnaires/{id}/",
        "/api/screenings/",
        "/api/screenings/{id}/",
        "/api/screenings/{id}/submit/",
        "/api/campaigns/",
        "/api/campaigns/{id}/",
    ):
        assert path in schema["paths"], path
    assert "put" not in schema["paths"]["/api/screenings/{id}/"]
