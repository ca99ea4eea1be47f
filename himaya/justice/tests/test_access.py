"""Justice visibility (core.access, "Justice"): S3 (no cross-organisation access through the
API), S4 (lists stay in scope), S5 (suspects never reach NGOs, shelters or analysts, not even
through the dossier API or page)."""

import pytest
from django.urls import reverse

from himaya.core import access
from himaya.justice.models import (
    Charge,
    CourtDecision,
    Investigation,
    Prosecution,
    Suspect,
)
from himaya.testing import factories as f

from .conftest import days_ago

SUSPECT_KEYS = {
    "suspect",
    "suspects",
    "official_body",
    "official_body_type",
    "public_official",
    "diplomatic_immunity",
    "prosecutions",
    "investigations",
    "charges",
}
ENDPOINTS = {
    "investigations": Investigation,
    "suspects": Suspect,
    "prosecutions": Prosecution,
    "charges": Charge,
    "court-decisions": CourtDecision,
}
CANARY = "Karim"


def ids(model, user):
    access.forget(user)
    return set(model.objects.visible_to(user).values_list("pk", flat=True))


def test_scope_rules(users, orgs, case):
    inv, p1 = case["inv"], case["p1"]
    assert ids(Investigation, users["carol"]) == {inv.pk}
    assert ids(Investigation, users["paula"]) == {inv.pk}
    assert ids(Suspect, users["paula"]) == {case["official"].pk, case["other"].pk}
    # The court sees its prosecutions' defendants; an unprosecuted suspect stays hidden.
    from himaya.justice import actions as ja

    extra = ja.add_suspect(inv, acting_user=users["carol"], given_name_lat="Nobody")
    assert extra.pk not in ids(Suspect, users["cole"])
    assert ids(Prosecution, users["cole"]) == {p1.pk, case["p2"].pk}
    for name in ("alice", "bob", "sam", "ivy", "harry", "ana", "olivia", "root", "charlie"):
        for model in ENDPOINTS.values():
            assert ids(model, users[name]) == set(), (name, model)


def test_another_police_sees_nothing(users, orgs, case):
    other_police = f.OrganisationFactory(
        name_fr="Police de Casablanca", type=f.code("org_type", "police")
    )
    dina = f.member(f.UserFactory(username="dina"), other_police, "investigator")
    for model in ENDPOINTS.values():
        assert ids(model, dina) == set()


@pytest.mark.parametrize("name", ["alice", "sam", "ana", "ivy", "harry", "charlie", "bob"])
def test_api_lists_empty_and_details_404(login, users, case, name, figure):
    client = login(users[name])
    leaked = 0
    for endpoint, model in ENDPOINTS.items():
        r = client.get(f"/api/{endpoint}/")
        assert r.status_code in (200, 403)
        if r.status_code == 200:
            leaked += len(r.json()["results"])
        for obj in model.objects.all():
            assert client.get(f"/api/{endpoint}/{obj.pk}/").status_code in (403, 404)
    assert leaked == 0
    figure(f"S4 justice API as {name}: {leaked} out-of-scope rows")


def test_api_as_justice_members_in_scope(login, users, case):
    for name in ("carol", "paula", "cole"):
        client = login(users[name])
        for endpoint, model in ENDPOINTS.items():
            got = {row["id"] for row in client.get(f"/api/{endpoint}/").json()["results"]}
            assert got == ids(model, users[name]), (name, endpoint)
    body = login(users["carol"]).get(f"/api/suspects/{case['official'].pk}/").json()
    assert body["given_name_lat"] == CANARY and body["public_official"] is True


def test_api_create_investigation_and_refusals(login, users, orgs):
    carol = login(users["carol"])
    r = carol.post(
        "/api/investigations/",
        {
            "organisation": orgs["police"].pk,
            "opened_on": days_ago(2).isoformat(),
            "forms": ["labour"],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    r = carol.post(
        "/api/investigations/",
        {"organisation": orgs["police"].pk, "opened_on": "2999-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "opened_on" in r.json()
    alice = login(users["alice"])
    r = alice.post(
        "/api/investigations/",
        {"organisation": orgs["ngo_a"].pk, "opened_on": days_ago(2).isoformat()},
        content_type="application/json",
    )
    assert r.status_code in (400, 403)
    assert Investigation.objects.count() == 1


def test_api_cross_org_prosecution_refused(login, users, orgs, case):
    before = Prosecution.objects.count()
    # The court is not a prosecution office; NGO A is no office at all.
    for name, office in (("cole", orgs["court"]), ("alice", orgs["ngo_a"])):
        r = login(users[name]).post(
            "/api/prosecutions/",
            {
                "investigation": case["inv"].pk,
                "suspect": case["official"].pk,
                "office": office.pk,
                "started_on": days_ago(1).isoformat(),
            },
            content_type="application/json",
        )
        assert r.status_code in (400, 403, 404)
    assert Prosecution.objects.count() == before


def _keys(data):
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in _keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


def test_ngo_dossier_api_and_page_never_show_suspects(login, users, orgs, case, figure):
    """A dossier of NGO A linked to an investigation: NGO A reads it, with no suspect."""
    from himaya.cases.actions import grant_access
    from himaya.justice import actions as ja

    dossier = f.dossier(users["alice"], orgs["ngo_a"])
    grant_access(dossier, acting_user=users["alice"], organisation=orgs["police"], reason="x")
    access.forget(users["carol"])
    ja.link_dossier(case["inv"], dossier, acting_user=users["carol"])
    forbidden = 0
    for name, d in (("alice", dossier), ("carol", case["dossier"]), ("ana", dossier)):
        client = login(users[name])
        body = client.get(f"/api/dossiers/{d.pk}/").json()
        page = client.get(reverse("cases:detail", args=[d.pk])).content.decode()
        forbidden += len(_keys(body) & SUSPECT_KEYS)
        text = str(body) + page
        forbidden += text.count(CANARY) + text.count("سعيد") + text.count("Commune urbaine")
    assert forbidden == 0
    figure(f"S5 suspects in dossier API/page responses for NGO, police, analyst: {forbidden}")
