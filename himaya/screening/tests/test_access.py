"""Who sees and writes screenings and campaigns (core.access, "Screening" section): the
screening organisation, those who see the linked dossier with its identity; analysts see counts
only (S3, S4); outsiders get 404 with the attempt audited."""

import pytest
from django.urls import reverse

from himaya.audit.models import AccessEvent
from himaya.cases import actions as case_actions
from himaya.core import access
from himaya.screening import actions
from himaya.screening.models import Campaign, Screening
from himaya.testing import factories as f

from .helpers import start, submitted
from .test_actions import campaign

pytestmark = pytest.mark.django_db
EVERYONE = ["alice", "bob", "carol", "ana", "olivia", "harry", "paula", "root", "charlie"]


def seers(model, obj, users):
    return {n for n in EVERYONE if model.objects.visible_to(users[n]).filter(pk=obj.pk).exists()}


def test_a_screening_is_seen_by_its_organisation_only(users, orgs, screening):
    assert seers(Screening, screening, users) == {"carol"}
    assert {
        n for n in EVERYONE if Screening.objects.writable_by(users[n]).filter(pk=screening.pk)
    } == set()  # submitted: nobody writes it
    draft = start(users["carol"], orgs["police"])
    assert {n for n in EVERYONE if Screening.objects.writable_by(users[n]).filter(pk=draft.pk)} == {
        "carol"
    }


def test_a_linked_screening_follows_the_dossier_identity(users, orgs, screening):
    carol, alice = users["carol"], users["alice"]
    dossier = f.dossier(carol, orgs["police"])
    actions.link_dossier(screening, acting_user=carol, dossier=dossier)
    assert seers(Screening, screening, users) == {"carol"}
    without_identity = case_actions.grant_access(
        dossier, acting_user=carol, organisation=orgs["ngo_b"], reason="r", with_identity=False
    )
    grant = case_actions.grant_access(
        dossier, acting_user=carol, organisation=orgs["ngo_a"], reason="referral"
    )
    assert seers(Screening, screening, users) == {"carol", "alice"}  # not bob: no identity
    # The partner reads; it never writes the screening.
    assert (
        not Screening.objects.filter(pk=screening.pk)
        .filter(access.screening_link_q(alice))
        .exists()
    )
    case_actions.revoke_access(grant, acting_user=carol)
    case_actions.revoke_access(without_identity, acting_user=carol)
    assert seers(Screening, screening, users) == {"carol"}


def test_campaigns_are_seen_by_members_and_the_commission(users, orgs):
    c = campaign(users["carol"], orgs["police"])
    admin = f.member(f.UserFactory(username="policeadmin"), orgs["police"], "org_admin")
    users = {**users, "policeadmin": admin}
    EVERYONE.append("policeadmin")
    try:
        assert seers(Campaign, c, users) == {"carol", "ana", "policeadmin"}
        assert {n for n in EVERYONE if Campaign.objects.writable_by(users[n]).filter(pk=c.pk)} == {
            "carol"
        }
    finally:
        EVERYONE.remove("policeadmin")


def test_outsiders_get_404_and_the_attempt_is_audited(users, orgs, login, screening, figure):
    pages = [
        ("get", reverse("screening:detail", args=[screening.pk])),
        ("post", reverse("screening:correct", args=[screening.pk])),
        ("get", reverse("screening:open_dossier", args=[screening.pk])),
        ("post", reverse("screening:link_dossier", args=[screening.pk])),
        ("get", f"/api/screenings/{screening.pk}/"),
        ("post", f"/api/screenings/{screening.pk}/submit/"),
        ("patch", f"/api/screenings/{screening.pk}/"),
    ]
    draft = start(users["carol"], orgs["police"])
    pages += [
        ("get", reverse("screening:step", args=[draft.pk, 1])),
        ("post", reverse("screening:step", args=[draft.pk, 1])),
        ("get", reverse("screening:review", args=[draft.pk])),
        ("post", reverse("screening:submit", args=[draft.pk])),
        ("post", reverse("screening:discard", args=[draft.pk])),
        ("get", reverse("screening:details", args=[draft.pk])),
    ]
    before = (
        Screening.objects.count(),
        sorted(Screening.objects.values_list("version", flat=True)),
    )
    cells, wrong = 0, []
    for name in ("alice", "bob", "ana", "olivia", "harry", "paula", "charlie"):
        client = login(users[name])
        for method, url in pages:
            kwargs = {"content_type": "application/json"} if url.startswith("/api/") else {}
            status = getattr(client, method)(url, **kwargs).status_code
            cells += 1
            # An account with no membership is refused by the API before any lookup.
            expected = {403} if name == "charlie" and url.startswith("/api/") else {404}
            if status not in expected:
                wrong.append((name, method, url, status))
    figure(
        f"S3 screening: {cells} outsider requests on screening pages and API → {len(wrong)} not 404"
    )
    assert wrong == []
    after = (Screening.objects.count(), sorted(Screening.objects.values_list("version", flat=True)))
    assert before == after
    denied = AccessEvent.objects.filter(outcome="denied", object_type="screening.screening")
    assert denied.filter(actor_username="alice").count() >= 6


def test_lists_stay_in_scope(users, orgs, login, figure):
    carol, alice = users["carol"], users["alice"]
    mine = [submitted(carol, orgs["police"]) for _ in range(3)] + [start(carol, orgs["police"])]
    theirs = [submitted(alice, orgs["ngo_a"]) for _ in range(2)]
    shown_carol = {s.pk for s in login(carol).get(reverse("screening:list")).context["page"]}
    api = login(alice).get("/api/screenings/").json()
    shown_alice = {row["id"] for row in api["results"]}
    out_of_scope = (shown_carol - {s.pk for s in mine}) | (shown_alice - {s.pk for s in theirs})
    figure(f"S4 screening: lists and API → {len(out_of_scope)} out-of-scope rows")
    assert shown_carol == {s.pk for s in mine} and shown_alice == {s.pk for s in theirs}
    assert login(users["ana"]).get(reverse("screening:list")).status_code == 404
    assert login(users["ana"]).get("/api/screenings/").json()["count"] == 0
