"""Hotline reports through the API: scope (S3, S4), audited reads, taking a report, lost
updates (R1), triage, notes, passing on, bad input (R4), the OpenAPI schema."""

import datetime

import pytest
from django.test import Client

from himaya.accounts.models import ApiToken
from himaya.audit.models import AccessEvent
from himaya.hotline import actions
from himaya.hotline.models import Report, ReportAddition, ReportShare
from himaya.people.models import Person
from himaya.testing import factories as f

from .conftest import make_report, make_tip

pytestmark = pytest.mark.django_db

FREE_TEXT = {"narrative", "city", "possible_victims", "suspects", "reporter_contact", "triage_note"}


def token_client(user):
    _token, raw = ApiToken.issue(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def snapshot():
    return (
        list(Report.objects.order_by("pk").values_list("pk", "version", "status", "urgency")),
        ReportShare.objects.count(),
        ReportAddition.objects.count(),
        Person.objects.count(),
    )


def test_operator_creates_reads_and_lists(users, orgs):
    client = token_client(users["harry"])
    response = post(
        client,
        "/api/reports/",
        {
            "channel": "whatsapp_sms",
            "urgency": "urgent",
            "caller_type": "victim",
            "narrative": "Je suis bloquée chez mon employeur.",
            "region": "casablanca_settat",
            "language": "ar",
            "forms": ["domestic_servitude"],
            "city": "Casablanca",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["channel"] == "whatsapp_sms" and body["status"] == "untriaged"
    assert body["narrative"].startswith("Je suis bloquée") and body["forms"] == [
        "domestic_servitude"
    ]
    assert body["received_by"] == orgs["hotline"].pk and body["version"] == 1
    listing = client.get("/api/reports/").json()
    assert [r["id"] for r in listing["results"]] == [body["id"]]
    assert not FREE_TEXT & set(listing["results"][0])  # the queue carries no free text
    detail = client.get(f"/api/reports/{body['id']}/")
    assert detail.status_code == 200 and detail.json()["city"] == "Casablanca"
    assert AccessEvent.objects.filter(
        actor_username="harry", object_type="hotline.report", purpose="api:report"
    ).exists()


def test_create_needs_a_hotline_operator(users, orgs):
    data = {"channel": "call", "urgency": "normal", "narrative": "x"}
    assert post(token_client(users["alice"]), "/api/reports/", data).status_code == 403
    assert (
        post(
            token_client(users["harry"]),
            "/api/reports/",
            {**data, "organisation": orgs["ngo_a"].pk},
        ).status_code
        == 400
    )
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    "data,field",
    [
        ({"channel": "web_tip"}, "channel"),
        ({"channel": "pigeon"}, "channel"),
        ({"urgency": None}, "urgency"),
        ({"narrative": "x" * 10001}, "narrative"),
        ({"region": "atlantis"}, "region"),
        ({"region": 5}, "region"),
        ({"forms": ["sexual", "nope"]}, "forms"),
        ({"received_at": "yesterday"}, "received_at"),
        ({"received_at": "2999-01-01T00:00:00Z"}, "received_at"),
        ({"city": "c" * 101}, "city"),
        ({"organisation": 10**30}, "organisation"),
        ({"caller_type": "\ud800"}, "caller_type"),
    ],
)
def test_r4_bad_input_is_a_400(users, data, field):
    base = {"channel": "call", "urgency": "normal", "narrative": "Appel."}
    response = post(token_client(users["harry"]), "/api/reports/", {**base, **data})
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Report.objects.count() == 0


def test_update_with_version_and_conflict(users, report):
    client = token_client(users["harry"])
    url = f"/api/reports/{report.pk}/"
    assert patch(client, url, {"urgency": "urgent"}).status_code == 400  # no version
    ok = patch(client, url, {"urgency": "urgent", "version": 1})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = patch(client, url, {"urgency": "normal", "version": 1})
    assert stale.status_code == 409
    assert Report.objects.get(pk=report.pk).urgency == "urgent"


def test_triage_outcomes_through_the_api(users, orgs):
    harry = users["harry"]
    client = token_client(harry)

    def triage(data, **report_fields):
        report = make_report(harry, orgs["hotline"], **report_fields)
        return report, post(client, f"/api/reports/{report.pk}/triage/", {"version": 1, **data})

    report, response = triage(
        {"outcome": "police", "organisation": orgs["police"].pk, "note": "Vite"}
    )
    assert response.status_code == 200 and response.json()["outcome"] == "police"
    assert response.json()["shares"][0]["organisation"] == orgs["police"].pk
    _r, response = triage(
        {"outcome": "open_dossier", "person": {"given_name_lat": "Awa"}}, forms=("sexual",)
    )
    assert response.status_code == 200 and response.json()["dossier"]
    existing = f.dossier(harry, orgs["hotline"])
    _r, response = triage({"outcome": "open_dossier", "dossier": existing.pk})
    assert response.json()["dossier"] == existing.pk
    _r, response = triage({"outcome": "not_trafficking"})
    assert response.status_code == 400 and "note" in response.json()
    _r, response = triage({"outcome": "spam"})
    assert response.status_code == 200
    # Already triaged: refused; a stale version: 409.
    again = post(client, f"/api/reports/{report.pk}/triage/", {"version": 2, "outcome": "spam"})
    assert again.status_code == 400 and Report.objects.get(pk=report.pk).outcome == "police"
    fresh = make_report(harry, orgs["hotline"])
    assert (
        post(
            client, f"/api/reports/{fresh.pk}/triage/", {"version": 7, "outcome": "spam"}
        ).status_code
        == 409
    )


@pytest.mark.parametrize(
    "data",
    [
        {"outcome": "police"},
        {"outcome": "police", "organisation": 10**30},
        {"outcome": "ngo", "organisation": 999999},
        {"outcome": "open_dossier"},
        {"outcome": "open_dossier", "person": {"given_name_ar": "Latin"}},
        {"outcome": "open_dossier", "person": {"sex": "unknown"}},
        {"outcome": "open_dossier", "dossier": 999999},
        {"outcome": "maybe"},
        {"outcome": "spam", "version": "one"},
        {"outcome": "spam", "note": "n" * 5001},
    ],
)
def test_r4_bad_triage_input(users, orgs, report, data):
    response = post(
        token_client(users["harry"]), f"/api/reports/{report.pk}/triage/", {"version": 1, **data}
    )
    assert response.status_code == 400, response.content
    assert Report.objects.get(pk=report.pk).status == "untriaged" and Person.objects.count() == 0


def test_notes_and_share(users, orgs, report):
    client = token_client(users["harry"])
    base = f"/api/reports/{report.pk}/"
    assert post(client, base + "notes/", {"text": ""}).status_code == 400
    assert post(client, base + "notes/", {"text": "Rappel"}).status_code == 201
    assert post(client, base + "share/", {"organisation": orgs["ngo_a"].pk}).status_code == 400
    post(
        client, base + "triage/", {"version": 1, "outcome": "ngo", "organisation": orgs["ngo_a"].pk}
    )
    assert post(client, base + "share/", {"organisation": orgs["police"].pk}).status_code == 201
    assert post(client, base + "share/", {"organisation": 10**30}).status_code == 400


def test_partner_reads_what_was_passed_and_writes_nothing(users, orgs, report):
    harry = users["harry"]
    actions.add_note(report, acting_user=harry, text="interne")
    actions.triage_pass_to_police(
        report, acting_user=harry, expected_version=1, organisation=orgs["police"]
    )
    carol = token_client(users["carol"])
    body = carol.get(f"/api/reports/{report.pk}/").json()
    assert body["narrative"].startswith("Une femme") and body["additions"] == []
    assert [s["organisation"] for s in body["shares"]] == [orgs["police"].pk]
    before = snapshot()
    base = f"/api/reports/{report.pk}/"
    assert patch(carol, base, {"version": 2, "urgency": "normal"}).status_code == 404
    assert post(carol, base + "notes/", {"text": "x"}).status_code == 404
    assert post(carol, base + "share/", {"organisation": orgs["ngo_a"].pk}).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "ana", "olivia", "root", "charlie"])
def test_s3_outsiders_get_404_and_change_nothing(users, orgs, report, who):
    client = token_client(users[who])
    expected = 403 if who in ("root", "charlie") else 404  # no membership: refused outright
    before = snapshot()
    base = f"/api/reports/{report.pk}/"
    responses = [
        client.get(base),
        patch(client, base, {"version": 1, "urgency": "immediate"}),
        post(client, base + "triage/", {"version": 1, "outcome": "spam"}),
        post(client, base + "notes/", {"text": "x"}),
        post(client, base + "share/", {"organisation": orgs["ngo_a"].pk}),
    ]
    assert [r.status_code for r in responses] == [expected] * 5
    assert client.delete(base).status_code in (403, 404, 405)
    assert snapshot() == before


def test_s4_lists_stay_in_scope(users, orgs, figure):
    harry = users["harry"]
    own = make_report(harry, orgs["hotline"])
    tip, _code = make_tip()
    other = f.OrganisationFactory(type=f.code("org_type", "hotline"))
    sara = f.member(f.UserFactory(username="sara"), other, "hotline_operator")
    theirs = make_report(sara, other)
    passed = make_report(harry, orgs["hotline"])
    actions.triage_pass_to_police(
        passed, acting_user=harry, expected_version=1, organisation=orgs["police"]
    )
    expected = {
        "harry": {own.pk, tip.pk, passed.pk},
        "sara": {theirs.pk, tip.pk},
        "carol": {passed.pk},
        "alice": set(),
        "ana": set(),
        "olivia": set(),
    }
    people = {**users, "sara": sara}
    wrong = 0
    for name, ids in expected.items():
        got = {r["id"] for r in token_client(people[name]).get("/api/reports/").json()["results"]}
        wrong += len(got ^ ids)
        assert got == ids, name
    figure(f"S4: /api/reports/ for 6 users → {wrong} rows out of scope or missing")


def test_list_filters(users, orgs):
    harry = users["harry"]
    late = make_report(harry, orgs["hotline"], urgency="immediate", ago=datetime.timedelta(hours=1))
    make_report(harry, orgs["hotline"], channel="email")
    client = token_client(harry)
    ids = lambda q: [r["id"] for r in client.get("/api/reports/" + q).json()["results"]]  # noqa: E731
    assert ids("?overdue=true") == [late.pk]
    assert ids("?urgency=immediate") == [late.pk]
    assert len(ids("?channel=email")) == 1
    for bad in ("?channel=x", "?region=nowhere", "?received_after=31-12-2024", "?overdue=perhaps"):
        assert client.get("/api/reports/" + bad).status_code == 400, bad


def test_the_schema_documents_reports(users, login):
    schema = login(users["harry"]).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert {"/api/reports/", "/api/reports/{id}/", "/api/reports/{id}/triage/"} <= set(paths)
    assert "post" in paths["/api/reports/{id}/triage/"]
    assert "TriageRequest" in schema["components"]["schemas"]
