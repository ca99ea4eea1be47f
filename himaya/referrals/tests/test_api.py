"""Referrals through the API: catalogue, providers, facilities, referrals (S7 consent, S6
access, S3 outsiders 404, free text only with the identity), sessions."""

import pytest
from django.utils import timezone

from himaya.cases.tests.test_api import post, token_client
from himaya.referrals.models import Referral, ServiceRecord
from himaya.testing import factories as f

from .conftest import refer

pytestmark = pytest.mark.django_db


def test_catalogue_providers_facilities(orgs, users, shelter_setup):
    c = token_client(users["alice"])
    services = c.get("/api/services/").json()
    assert {"code": "shelter", "label": "shelter", "htcds": "Shelter"} in services
    providers = c.get("/api/providers/?service=shelter").json()["results"]
    assert [p["organisation"] for p in providers] == [orgs["shelter"].pk]
    facilities = c.get("/api/facilities/").json()["results"]
    assert facilities[0]["free_beds"] == 3
    assert token_client(users["charlie"]).get("/api/services/").status_code in (401, 403, 404)


def test_referral_create_needs_consent_then_s6(orgs, users, shelter_setup, consented_dossier):
    bare = f.dossier(users["alice"], orgs["ngo_a"])
    alice = token_client(users["alice"])
    body = {"to_org": orgs["shelter"].pk, "service": "shelter", "reason": "Safe place"}
    resp = post(alice, "/api/referrals/", body | {"dossier": bare.pk})
    assert resp.status_code == 400
    assert Referral.objects.count() == 0
    resp = post(alice, "/api/referrals/", body | {"dossier": consented_dossier.pk})
    assert resp.status_code == 201, resp.content
    rid = resp.json()["id"]
    assert resp.json()["reason"] == "Safe place"
    sam = token_client(users["sam"])
    assert sam.get(f"/api/dossiers/{consented_dossier.pk}/").status_code == 200
    resp = post(
        sam, f"/api/referrals/{rid}/reject/", {"version": 1, "rejection_reason": "no_capacity"}
    )
    assert resp.status_code == 200
    assert resp.json()["status"] == "rejected"
    assert "reason" not in resp.json()  # no identity any more: no free text
    assert sam.get(f"/api/dossiers/{consented_dossier.pk}/").status_code == 404


def test_referral_outsiders_404(orgs, users, shelter_setup, consented_dossier):
    r = refer(users, orgs, consented_dossier)
    for name in ("bob", "carol", "ivy"):
        c = token_client(users[name])
        assert c.get(f"/api/referrals/{r.pk}/").status_code == 404
        assert post(c, f"/api/referrals/{r.pk}/accept/", {"version": 1}).status_code == 404
        assert c.get("/api/referrals/").json()["results"] == []
    # a foreign dossier cannot be referred
    resp = post(
        token_client(users["bob"]),
        "/api/referrals/",
        {
            "dossier": consented_dossier.pk,
            "to_org": orgs["io"].pk,
            "service": "return",
            "reason": "x",
        },
    )
    assert resp.status_code == 400
    r.refresh_from_db()
    assert r.status == "in_progress" and Referral.objects.count() == 1


def test_accept_done_and_stale_version(orgs, users, shelter_setup, consented_dossier):
    r = refer(users, orgs, consented_dossier)
    sam = token_client(users["sam"])
    assert post(sam, f"/api/referrals/{r.pk}/accept/", {"version": 1}).status_code == 200
    assert post(sam, f"/api/referrals/{r.pk}/done/", {"version": 1}).status_code == 409
    assert post(sam, f"/api/referrals/{r.pk}/done/", {"version": 2}).json()["status"] == "done"


def test_sessions_api(orgs, users, consented_dossier):
    alice = token_client(users["alice"])
    body = {
        "dossier": consented_dossier.pk,
        "kind": "psychosocial",
        "on": str(timezone.localdate()),
    }
    assert post(alice, "/api/sessions/", body).status_code == 201
    assert post(token_client(users["bob"]), "/api/sessions/", body).status_code == 404
    assert ServiceRecord.objects.count() == 1
    assert token_client(users["bob"]).get("/api/sessions/").json()["results"] == []
    assert post(alice, "/api/sessions/", body | {"kind": "nope"}).status_code == 400


def test_s4_referral_lists_stay_in_scope(orgs, users, shelter_setup, consented_dossier, figure):
    from himaya.core import access

    refer(users, orgs, consented_dossier)
    refer(users, orgs, consented_dossier, to="io", service="return", reason="home")
    other = f.dossier(users["carol"], orgs["police"])
    refer(
        users,
        orgs,
        other,
        to="ngo_b",
        service="legal_aid",
        user=users["carol"],
        override=True,
        override_reason="danger",
    )
    out_of_scope = 0
    for name in ("alice", "bob", "carol", "sam", "ivy", "ana", "charlie"):
        listed = {
            r["id"]
            for r in token_client(users[name]).get("/api/referrals/").json().get("results", [])
        }
        allowed = set(
            Referral.objects.filter(access.referral_q(users[name])).values_list("pk", flat=True)
        )
        out_of_scope += len(listed - allowed)
        assert listed == allowed
    assert {
        r["id"] for r in token_client(users["sam"]).get("/api/referrals/").json()["results"]
    } == set(Referral.objects.filter(to_org=orgs["shelter"]).values_list("pk", flat=True))
    figure(f"S4 referral lists of 7 users: {out_of_scope} out-of-scope rows")
