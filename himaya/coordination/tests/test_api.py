"""The coordination API: every member reads the plan, measures, indicators, recommendations,
trainings and meetings; the lead agency's focal point writes its measure and its indicators'
values and records its trainings, through the pages' actions; others are refused (403), an
account with no membership gets nothing; bad input answers field messages (400)."""

import datetime

import pytest
from django.test import Client

from himaya.accounts.models import ApiToken
from himaya.audit.models import AuditEvent
from himaya.coordination import actions
from himaya.coordination.models import Measure, Training
from himaya.testing.clock import freeze_localdate

from .conftest import TODAY


def api(user):
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user, 'tests')[1]}"})


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def frozen_today(monkeypatch):
    freeze_localdate(monkeypatch, TODAY)


@pytest.fixture
def world(users, plan, ministry, fatima):
    ana = users["ana"]
    measure = plan["measure"]
    hand = actions.do_add_indicator(
        measure, acting_user=ana, name_fr="Juges formés", source_fr="CSPJ", targets={2024: 100}
    )
    computed = actions.do_add_indicator(
        measure, acting_user=ana, name_fr="Sessions", figure="training_sessions"
    )
    rec = actions.do_add_recommendation(
        acting_user=ana,
        source="tip_report",
        year=2024,
        priority=True,
        text_fr="Former les juges.",
        measures=[measure],
        agencies=[ministry],
    )
    meeting = actions.do_record_meeting(
        acting_user=ana,
        held_on=datetime.date(2024, 5, 5),
        title="Plénière",
        attendance=[(ministry, 3)],
    )
    decision = actions.do_add_decision(meeting, acting_user=ana, text="Un guide")
    actions.do_assign_action(
        decision,
        acting_user=ana,
        text="Traduire",
        agency=ministry,
        due_on=datetime.date(2024, 9, 1),
    )
    return {**plan, "hand": hand, "computed": computed, "rec": rec, "meeting": meeting}


def test_members_read_everything_and_an_outsider_nothing(users, world, frozen_today):
    client = api(users["carol"])
    for name in ("plans", "measures", "indicators", "recommendations", "trainings", "meetings"):
        response = client.get(f"/api/{name}/")
        assert response.status_code == 200
        expected = {"trainings": 0, "indicators": 2}.get(name, 1)
        assert response.json()["count"] == expected, name
    plan = client.get(f"/api/plans/{world['plan'].pk}/").json()
    assert plan["axes"][0]["objectives"][0]["title_fr"] == "Identifier les victimes"
    measure = client.get(f"/api/measures/{world['measure'].pk}/").json()
    assert measure["code"] == "1.1.1" and measure["history"][0]["status"] == "not_started"
    hand = client.get(f"/api/indicators/{world['hand'].pk}/").json()
    assert [y["year"] for y in hand["years"]] == [2023, 2024, 2025]
    assert hand["years"][1]["target"] == "100.00" and not hand["computed"]
    meeting = client.get(f"/api/meetings/{world['meeting'].pk}/").json()
    assert meeting["attendance"][0]["people"] == 3
    assert meeting["decisions"][0]["actions"][0]["text"] == "Traduire"
    outsider = api(users["charlie"])
    assert outsider.get("/api/measures/").status_code == 403
    assert outsider.get(f"/api/measures/{world['measure'].pk}/").status_code == 403
    assert client.get("/api/measures/999999/").status_code == 404


def test_the_focal_point_writes_its_measure_and_others_are_refused(
    users, world, fatima, pierre, frozen_today
):
    measure = world["measure"]
    url = f"/api/measures/{measure.pk}/status/"
    bad = post(api(fatima), url, {"status": "finished", "version": measure.version})
    assert bad.status_code == 400 and list(bad.json()) == ["status"]
    early = post(
        api(fatima), url, {"status": "under_way", "on": "2022-01-01", "version": measure.version}
    )
    assert early.status_code == 400 and list(early.json()) == ["on"]
    for user in (pierre, users["carol"]):
        refused = post(api(user), url, {"status": "done", "version": measure.version})
        assert refused.status_code == 403
    ok = post(api(fatima), url, {"status": "under_way", "note": "lancé", "version": 1})
    assert ok.status_code == 200 and ok.json()["status"] == "under_way"
    assert post(api(fatima), url, {"status": "late", "version": 1}).status_code == 409
    note = post(api(fatima), f"/api/measures/{measure.pk}/notes/", {"text": "120 juges"})
    assert note.status_code == 201 and note.json()["notes"][0]["kind"] == "progress"
    comment = post(api(users["ana"]), f"/api/measures/{measure.pk}/notes/", {"text": "Bien"})
    assert comment.json()["notes"][0]["kind"] == "comment"
    assert post(api(pierre), f"/api/measures/{measure.pk}/notes/", {"text": "x"}).status_code == 403
    assert Measure.objects.get().status == "under_way"
    unknown = post(api(fatima), url, {"status": "done", "version": 2, "statut": "x"})
    assert unknown.status_code == 400 and "statut" in unknown.json()


def test_indicator_values_through_the_api(users, world, fatima, pierre, frozen_today):
    hand, computed = world["hand"], world["computed"]
    url = f"/api/indicators/{hand.pk}/values/"
    values = {
        "year": 2024,
        "target": "100",
        "actual": "80",
        "source_ar": "المجلس الأعلى للسلطة القضائية",
    }
    r = post(api(fatima), url, {**values, "source_fr": "CSPJ"})
    assert r.status_code == 200
    year = r.json()["years"][1]
    assert year["actual"] == "80.00"
    # the three languages, and the reader's (the API speaks the user's language)
    assert (year["source_ar"], year["source_fr"], year["source_en"]) == (
        "المجلس الأعلى للسلطة القضائية",
        "CSPJ",
        "",
    )
    assert r.json()["source_fr"] == "CSPJ" and r.json()["source_ar"] == ""
    assert post(api(pierre), url, {"year": 2024, "actual": "1"}).status_code == 403
    bad = post(api(fatima), url, {"year": 1900, "actual": "-1"})
    assert bad.status_code == 400 and set(bad.json()) == {"year", "actual"}
    r = post(api(fatima), f"/api/indicators/{computed.pk}/values/", {"year": 2024, "actual": "3"})
    assert r.status_code == 400 and list(r.json()) == ["actual"]
    assert AuditEvent.objects.filter(action="set_indicator_year").count() == 1


def test_recommendation_progress_through_the_api(users, world, fatima, pierre, frozen_today):
    url = f"/api/recommendations/{world['rec'].pk}/progress/"
    r = post(api(fatima), url, {"year": 2024, "status": "in_progress", "evidence": "120 juges"})
    assert r.status_code == 200 and r.json()["progress"][0]["status"] == "in_progress"
    assert post(api(pierre), url, {"year": 2024, "status": "implemented"}).status_code == 403
    stale = post(api(fatima), url, {"year": 2024, "status": "implemented"})
    assert stale.status_code == 409  # recorded before: the version read is required
    early = post(api(fatima), url, {"year": 2023, "status": "implemented"})
    assert early.status_code == 400 and list(early.json()) == ["year"]


def test_a_focal_point_records_its_trainings_only(users, orgs, ministry, fatima, frozen_today):
    data = {
        "topic": "identification",
        "title": "Identification des victimes",
        "starts_on": "2025-03-04",
        "ends_on": "2025-03-05",
        "organiser": ministry.pk,
        "participant_names": "A. B., C. D.",
        "audience": [{"agency_type": "police", "women": 4, "men": 6}],
    }
    r = post(api(fatima), "/api/trainings/", data)
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["participants"] == 10 and "participant_names" not in body
    other = post(api(fatima), "/api/trainings/", {**data, "organiser": orgs["police"].pk})
    assert other.status_code == 403
    for bad, field in [
        ({"audience": [{"agency_type": "martians", "women": 1}]}, "audience"),
        ({"audience": []}, "audience"),
        ({"audience": [{"agency_type": "police"}]}, "audience"),
        ({"ends_on": "2025-03-01"}, "ends_on"),
        ({"starts_on": "2025-07-01", "ends_on": "2025-07-02"}, "starts_on"),
        ({"topic": "cooking"}, "topic"),
        ({"organiser": 99999999}, "organiser"),
    ]:
        r = post(api(fatima), "/api/trainings/", {**data, **bad})
        assert r.status_code == 400 and field in r.json(), (bad, r.json())
    assert Training.objects.count() == 1
    assert post(api(users["carol"]), "/api/trainings/", data).status_code == 403
