"""Writes on justice records through the API: each endpoint calls the same action as its page.
For every write: a success (record written, audit row), the refused users (404/403, database
unchanged), bad payloads (400 keyed by field, never a 500), and for updates a stale version
(409)."""

import pytest

from himaya.audit.models import AuditEvent
from himaya.cases.models import Dossier
from himaya.justice import actions as ja
from himaya.justice.models import (
    Appeal,
    Charge,
    CourtDecision,
    DossierLink,
    Investigation,
    InvestigationHandoff,
    InvestigationSuspect,
    Participation,
    Prosecution,
    Sentence,
    Suspect,
    SuspectEvent,
)
from himaya.testing import factories as f

from .api_write_specs import SPECS, convict_first_charge, report_passed_to_police
from .conftest import days_ago

OUTSIDERS = ("alice", "ana", "charlie")
MODELS = (
    Investigation,
    Investigation.reports.through,
    Investigation.forms.through,
    Suspect,
    InvestigationSuspect,
    SuspectEvent,
    DossierLink,
    InvestigationHandoff,
    Prosecution,
    Charge,
    CourtDecision,
    Sentence,
    Appeal,
    Participation,
)
WRITE_ACTIONS = {
    "update_investigation",
    "transfer_investigation",
    "close_investigation",
    "link_dossier",
    "unlink_dossier",
    "link_report",
    "create_suspect",
    "add_suspect",
    "update_suspect",
    "record_arrest",
    "record_detention",
    "record_release",
    "set_court",
    "add_charge",
    "record_decision",
    "record_sentence",
    "record_appeal",
    "decide_appeal",
    "record_participation",
}
# Tallied by the tests of this module and printed by the last one: they must run in one process,
# in order (under pytest-xdist, `make test` hands out whole files: --dist loadfile).
RESULTS = {"endpoints": set(), "refusals": 0, "outsider_writes": 0, "server_errors": 0}


def snapshot():
    rows = {m._meta.label: list(m.objects.order_by("pk").values()) for m in MODELS}
    rows["audit"] = AuditEvent.objects.filter(action__in=WRITE_ACTIONS).count()
    return rows


def send(client, method, url, payload=None):
    if method == "delete":
        return client.delete(url)
    return getattr(client, method)(url, payload, content_type="application/json")


@pytest.fixture
def open_inv(users, orgs):
    return ja.open_investigation(
        acting_user=users["carol"],
        organisation=orgs["police"],
        opened_on=days_ago(30),
        forms=[f.code("exploitation_form", "labour")],
    )


@pytest.mark.parametrize("name", SPECS)
def test_write_endpoint(name, login, users, orgs, case, open_inv):
    s = SPECS[name](case, users, orgs, open_inv)
    RESULTS["endpoints"].add(name)
    # Refused: outsiders and justice members without the right: 404 or 403, nothing written.
    for who in OUTSIDERS + s["refused"]:
        before = snapshot()
        r = send(login(users[who]), s["method"], s["url"], s["good"])
        RESULTS["refusals"] += 1
        RESULTS["server_errors"] += r.status_code >= 500
        assert r.status_code in (403, 404), (who, r.status_code, r.content)
        after = snapshot()
        RESULTS["outsider_writes"] += after != before
        assert after == before, who
    # Bad payloads: 400 naming the field, nothing written. Junk of every shape too.
    client = login(users[s["actor"]])
    junk = [([1, 2], None), ("null", None)] if s["method"] != "delete" else []
    if s["good"]:
        junk.append(({k: "\ud800" for k in s["good"]}, None))
        junk.append(({k: 10**30 for k in s["good"]}, None))
    for bad in s["bad"] + junk:
        payload, key = bad[0], bad[1]
        url = bad[2] if len(bad) > 2 else s["url"]
        before = snapshot()
        r = send(client, s["method"], url, payload)
        RESULTS["server_errors"] += r.status_code >= 500
        assert r.status_code == 400, (payload, r.status_code, r.content)
        if key:
            assert key in r.json(), (payload, r.json())
        assert snapshot() == before, payload
    # Success through the same action as the page: the record, and its audit row.
    audit_before = AuditEvent.objects.filter(action=s["audit"]).count()
    r = send(client, s["method"], s["url"], s["good"])
    assert r.status_code in (200, 201, 204), r.content
    assert s["check"]()
    assert AuditEvent.objects.filter(action=s["audit"]).count() == audit_before + 1


@pytest.mark.parametrize(
    "name, url_of",
    [
        ("carol", lambda case: f"/api/investigations/{case['inv'].pk}/"),
        ("carol", lambda case: f"/api/suspects/{case['official'].pk}/"),
    ],
)
def test_stale_version_conflicts(name, url_of, login, users, case):
    client = login(users[name])
    url = url_of(case)
    version = client.get(url).json()["version"]
    field, value, other = (
        ("forms", ["sexual"], ["labour"])
        if "investigations" in url
        else ("official_body", "Wali", "Autre")
    )
    first = client.patch(url, {field: value, "version": version}, content_type="application/json")
    assert first.status_code == 200, first.content
    assert first.json()["version"] == version + 1
    audit = AuditEvent.objects.count()
    stale = client.patch(url, {field: other, "version": version}, content_type="application/json")
    assert stale.status_code == 409
    assert AuditEvent.objects.count() == audit
    assert client.get(url).json()["version"] == version + 1


def test_add_existing_suspect_and_read_it_back(login, users, case, open_inv):
    carol = login(users["carol"])
    r = carol.post(
        f"/api/investigations/{open_inv.pk}/suspects/",
        {"suspect": case["official"].pk, "added_on": days_ago(2).isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert open_inv.pk in r.json()["investigations"]
    assert Suspect.objects.count() == 2
    assert InvestigationSuspect.objects.filter(investigation=open_inv).count() == 1


def test_release_follows_arrest_and_prosecution_reads_decisions(login, users, case):
    carol = login(users["carol"])
    url = f"/api/investigations/{case['inv'].pk}/events/"
    r = carol.post(
        url,
        {"suspect": case["other"].pk, "kind": "release", "on": days_ago(40).isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["kind"] == "release"
    cole = login(users["cole"])
    r = cole.post(
        f"/api/charges/{case['c2'].pk}/decisions/",
        {"outcome": "acquitted", "decided_on": days_ago(3).isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = login(users["paula"]).get(f"/api/prosecutions/{case['p2'].pk}/").json()
    assert body["status"] == "decided"
    assert body["charges"][0]["decisions"][0]["outcome"] == "acquitted"


def test_dossier_of_other_investigation_not_a_participant(login, users, orgs, case):
    """A dossier paula sees but not linked to the investigation is refused (400), and the
    unlinked dossier never leaks in the answer."""
    other = f.dossier(users["alice"], orgs["ngo_a"])
    r = login(users["paula"]).post(
        f"/api/prosecutions/{case['p1'].pk}/participations/",
        {"dossier": other.pk, "role": "witness"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "dossier" in r.json()
    assert not Participation.objects.exists()
    assert Dossier.objects.filter(pk=other.pk).exists()


def test_duplicate_hint_then_confirm(login, users, case, open_inv):
    carol = login(users["carol"])
    url = f"/api/investigations/{open_inv.pk}/suspects/"
    payload = {"given_name_lat": "Karim", "family_name_lat": "Official"}
    r = carol.post(url, payload, content_type="application/json")
    assert r.status_code == 409, r.content
    assert r.json()["candidates"] == [case["official"].pk]
    assert Suspect.objects.count() == 2
    r = carol.post(url, {**payload, "confirm_new": True}, content_type="application/json")
    assert r.status_code == 201
    assert Suspect.objects.count() == 3


def test_reads_show_links_appeals_and_participations(login, users, orgs, case):
    report = report_passed_to_police(users, orgs)
    carol = login(users["carol"])
    url = f"/api/investigations/{case['inv'].pk}/"
    r = carol.post(url + "reports/", {"report": report.pk}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["reports"] == [report.pk]
    assert r.json()["dossiers"] == [case["dossier"].pk]
    # The court sees the investigation, not the hotline report.
    body = login(users["cole"]).get(url).json()
    assert body["reports"] == [] and body["dossiers"] == [case["dossier"].pk]
    convict_first_charge(case, users)
    paula = login(users["paula"])
    p_url = f"/api/prosecutions/{case['p1'].pk}/"
    r = paula.post(
        p_url + "appeals/",
        {"lodged_on": days_ago(5).isoformat(), "lodged_by": "prosecution"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["outcome"] == "pending"
    r = paula.post(
        p_url + "participations/",
        {"dossier": case["dossier"].pk, "role": "complainant"},
        content_type="application/json",
    )
    assert r.status_code == 201
    r = paula.post(
        p_url + "participations/",
        {"dossier": case["dossier"].pk, "role": "civil_party", "compensation_mad": "100.50"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["compensation_mad"] == "100.50"
    body = paula.get(p_url).json()
    assert body["status"] == "appealed"
    assert [a["lodged_by"] for a in body["appeals"]] == ["prosecution"]
    assert [(x["dossier"], x["role"]) for x in body["participations"]] == [
        (case["dossier"].pk, "civil_party")
    ]
    assert Participation.objects.count() == 1


def test_zz_figure(figure):
    figure(
        f"API justice writes: {len(RESULTS['endpoints'])} endpoints, "
        f"{RESULTS['refusals']} refusal cases → {RESULTS['outsider_writes']} writes by "
        f"outsiders, {RESULTS['server_errors']} server errors"
    )
    assert RESULTS["outsider_writes"] == 0 and RESULTS["server_errors"] == 0
