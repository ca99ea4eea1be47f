"""A grant lets a partner read (and add its own notes); changing the record stays with the
owner; analysts see no free text about the person; ending the grant ends everything."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from himaya.cases import actions
from himaya.cases.models import Dossier, Stage
from himaya.people import actions as people_actions
from himaya.people.models import Consent, Person
from himaya.testing import factories as f


@pytest.fixture
def shared(users, orgs):
    alice = users["alice"]
    dossier = f.dossier(
        alice,
        orgs["ngo_a"],
        form_other_detail="detail Qorvath",
        recruitment_city="Qorvathville",
        recruitment_region=f.code("region", "oriental"),
        exploitation_city="Zentropolis",
        exploitation_country=f.code("country", "MA"),
        caseworker=alice,
    )
    actions.change_stage(
        dossier, acting_user=alice, stage=Stage.CLOSED, reason="her uncle Qorvath sold her"
    )
    consent = people_actions.record_consent(
        dossier.person,
        acting_user=alice,
        organisation=orgs["ngo_a"],
        purpose="sharing",
        given_on=dossier.opened_on,
        given_by="person",
    )
    grant = actions.grant_access(
        dossier, acting_user=alice, organisation=orgs["ngo_b"], reason="referral for shelter"
    )
    return dossier, consent, grant


def test_a_partner_reads_and_adds_notes_but_changes_nothing(users, login, shared):
    dossier, consent, _grant = shared
    bob = users["bob"]
    client = login(bob)
    assert client.get(reverse("cases:detail", args=[dossier.pk])).status_code == 200
    assert client.get(reverse("people:detail", args=[dossier.person_id])).status_code == 200
    for name in ("cases:edit", "cases:stage"):
        assert client.post(reverse(name, args=[dossier.pk])).status_code == 404
    assert client.get(reverse("people:edit", args=[dossier.person_id])).status_code == 404
    assert client.get(reverse("cases:create") + f"?person={dossier.person_id}").status_code == 404
    with pytest.raises(PermissionDenied):
        people_actions.withdraw_consent(consent, acting_user=bob)
    with pytest.raises(PermissionDenied):
        actions.update_dossier(
            dossier, acting_user=bob, expected_version=dossier.version, recruitment_city="elsewhere"
        )
    with pytest.raises(PermissionDenied):
        people_actions.update_person(
            dossier.person, acting_user=bob, expected_version=1, given_name_lat="Renamed"
        )
    page = client.get(reverse("people:detail", args=[dossier.person_id])).content.decode()
    assert reverse("people:consent_withdraw", args=[dossier.person_id, consent.pk]) not in page
    response = client.post(
        reverse("cases:note_add", args=[dossier.pk]),
        {"note-text": "Admise au centre d'hébergement"},
    )
    assert response.status_code == 302
    assert dossier.notes.get().organisation == users["bob"].memberships.get().organisation

    token = login(bob)
    api = token.patch(
        f"/api/dossiers/{dossier.pk}/",
        {"version": dossier.version, "recruitment_city": "x"},
        content_type="application/json",
    )
    assert api.status_code == 404
    api = token.patch(
        f"/api/persons/{dossier.person_id}/",
        {"version": 1, "given_name_lat": "Renamed"},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert Person.objects.get(pk=dossier.person_id).given_name_lat == "Fatima"
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None


def test_ending_the_grant_leaves_the_partner_nothing(users, login, shared):
    dossier, _consent, grant = shared
    actions.revoke_access(grant, acting_user=users["alice"])
    client = login(users["bob"])
    assert client.get(reverse("cases:detail", args=[dossier.pk])).status_code == 404
    assert client.get(reverse("people:detail", args=[dossier.person_id])).status_code == 404
    assert not Dossier.objects.visible_to(users["bob"]).exists()


def test_analysts_see_no_free_text_about_the_person(users, login, shared):
    dossier, _consent, _grant = shared
    html = login(users["ana"]).get(reverse("cases:detail", args=[dossier.pk])).content.decode()
    assert "Qorvath" not in html
    assert users["alice"].display_name not in html
    assert "Fatima" not in html


def test_readers_without_the_identity_decrypt_nothing(users, orgs, login, shared, monkeypatch):
    from himaya.core import crypto

    dossier, _consent, _grant = shared
    actions.grant_access(
        dossier,
        acting_user=users["alice"],
        organisation=orgs["police"],
        reason="statistics",
        with_identity=False,
    )
    urls = [
        reverse("cases:detail", args=[dossier.pk]),
        reverse("cases:list"),
        "/api/dossiers/",
        f"/api/dossiers/{dossier.pk}/",
    ]
    clients = {name: login(users[name]) for name in ("ana", "carol")}
    decrypted = []
    real = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda token: decrypted.append(1) or real(token))
    for name, client in clients.items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (name, url)
            assert "Qorvath" not in response.content.decode(), (name, url)
    assert decrypted == []


def test_a_note_is_signed_with_the_partner_organisation_holding_the_grant(users, orgs, shared):
    from himaya.testing.factories import member

    dossier, _consent, _grant = shared
    bob = users["bob"]
    member(bob, orgs["police"], "investigator")  # bob now works for two organisations
    note = actions.add_note(dossier, acting_user=bob, text="suivi")
    assert note.organisation == orgs["ngo_b"]


def test_age_bands_hide_the_birth_date(users, orgs):
    import datetime

    person = f.person(users["alice"], orgs["ngo_a"], birth_date=datetime.date(2010, 5, 1))
    assert person.age_band(datetime.date(2026, 6, 1)) == "12–17"
    assert person.age_band(datetime.date(2080, 6, 1)) == "65+"


def test_a_person_page_lists_only_the_dossiers_seen_with_the_identity(users, orgs, login):
    bob = users["bob"]
    person = f.person(bob, orgs["ngo_b"])
    shared_whole = f.dossier(bob, orgs["ngo_b"], the_person=person)
    shared_blind = f.dossier(bob, orgs["ngo_b"], the_person=person)
    actions.grant_access(
        shared_whole, acting_user=bob, organisation=orgs["ngo_a"], reason="referral"
    )
    actions.grant_access(
        shared_blind,
        acting_user=bob,
        organisation=orgs["ngo_a"],
        reason="statistics",
        with_identity=False,
    )
    page = login(users["alice"]).get(reverse("people:detail", args=[person.pk])).content.decode()
    assert shared_whole.reference in page and shared_blind.reference not in page


def test_notes_are_signed_by_an_organisation_that_may_read_them(users, orgs, shared):
    from himaya.testing.factories import member

    dossier, _consent, _grant = shared  # ngo_b holds a grant with the identity
    carol = users["carol"]  # police
    actions.grant_access(
        dossier,
        acting_user=users["alice"],
        organisation=orgs["police"],
        reason="statistics",
        with_identity=False,
    )
    member(carol, orgs["ngo_b"], "caseworker")
    note = actions.add_note(dossier, acting_user=carol, text="suivi")
    assert note.organisation == orgs["ngo_b"]


def test_a_dossier_shared_twice_is_listed_once(users, orgs):
    """Two live grants to one organisation (say a referral and a non-punishment alert) must
    not repeat the dossier in any visibility queryset."""
    alice, bob = users["alice"], users["bob"]
    dossier = f.dossier(alice, orgs["ngo_a"])
    for reason in ("referral", "alert"):
        actions.grant_access(dossier, acting_user=alice, organisation=orgs["ngo_b"], reason=reason)
    assert list(Dossier.objects.with_identity_for(bob)) == [dossier]
    assert list(Dossier.objects.visible_to(bob)) == [dossier]
