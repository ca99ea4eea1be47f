"""The visibility rules of core/access.py, through the querysets every view uses."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from himaya.cases import actions
from himaya.cases.models import AccessGrant, Dossier, DossierNote, Stage
from himaya.core import access
from himaya.people.models import Person
from himaya.testing import factories as f


@pytest.fixture
def alice_dossier(users, orgs):
    return f.dossier(users["alice"], orgs["ngo_a"])


def visible_ids(model, user):
    access.forget(user)
    return set(model.objects.visible_to(user).values_list("pk", flat=True))


def test_owner_members_who_handle_victims_see_the_dossier(users, alice_dossier):
    assert visible_ids(Dossier, users["alice"]) == {alice_dossier.pk}
    assert visible_ids(Person, users["alice"]) == {alice_dossier.person_id}


@pytest.mark.parametrize("name", ["bob", "carol", "olivia", "root", "charlie"])
def test_everyone_else_sees_nothing(users, alice_dossier, name):
    assert visible_ids(Dossier, users[name]) == set()
    assert visible_ids(Person, users[name]) == set()
    assert not DossierNote.objects.visible_to(users[name]).exists()


def test_national_analyst_sees_dossiers_but_no_identity(users, alice_dossier):
    ana = users["ana"]
    assert visible_ids(Dossier, ana) == {alice_dossier.pk}
    assert visible_ids(Person, ana) == set()
    assert not access.sees_identity(ana, alice_dossier)
    actions.add_note(alice_dossier, acting_user=users["alice"], text="Récit de la victime")
    assert not DossierNote.objects.visible_to(ana).exists()
    assert DossierNote.objects.visible_to(users["alice"]).count() == 1


def test_a_live_grant_shares_the_dossier_and_revocation_ends_it(users, orgs, alice_dossier):
    bob = users["bob"]
    grant = actions.grant_access(
        alice_dossier,
        acting_user=users["alice"],
        organisation=orgs["ngo_b"],
        reason="referral for shelter",
    )
    assert visible_ids(Dossier, bob) == {alice_dossier.pk}
    assert visible_ids(Person, bob) == {alice_dossier.person_id}
    actions.revoke_access(grant, acting_user=users["alice"])
    assert visible_ids(Dossier, bob) == set()
    assert visible_ids(Person, bob) == set()


def test_an_expired_grant_gives_nothing(users, orgs, alice_dossier):
    AccessGrant.objects.create(
        dossier=alice_dossier,
        organisation=orgs["ngo_b"],
        reason="past",
        granted_by=users["alice"],
        until=timezone.now() - timedelta(minutes=1),
    )
    assert visible_ids(Dossier, users["bob"]) == set()


def test_a_grant_without_identity_shows_the_dossier_not_the_person(users, orgs, alice_dossier):
    actions.grant_access(
        alice_dossier,
        acting_user=users["alice"],
        organisation=orgs["ngo_b"],
        reason="statistics",
        with_identity=False,
    )
    assert visible_ids(Dossier, users["bob"]) == {alice_dossier.pk}
    assert visible_ids(Person, users["bob"]) == set()


def test_inactive_membership_or_organisation_sees_nothing(users, orgs, alice_dossier):
    alice = users["alice"]
    orgs["ngo_a"].active = False
    orgs["ngo_a"].save()
    assert visible_ids(Dossier, alice) == set()


def test_stage_is_derived_from_events_and_jumps_need_a_reason(users, alice_dossier):
    alice = users["alice"]
    assert Dossier.objects.get(pk=alice_dossier.pk).stage == Stage.SCREENING
    with pytest.raises(ValidationError) as err:
        actions.change_stage(alice_dossier, acting_user=alice, stage=Stage.CLOSED)
    assert "reason" in err.value.message_dict
    actions.change_stage(alice_dossier, acting_user=alice, stage=Stage.PRESUMED)
    actions.change_stage(
        alice_dossier, acting_user=alice, stage=Stage.CLOSED, reason="Person left the country"
    )
    assert Dossier.objects.get(pk=alice_dossier.pk).stage == Stage.CLOSED
    # Leaving an end stage needs a reason too.
    with pytest.raises(ValidationError):
        actions.change_stage(alice_dossier, acting_user=alice, stage=Stage.ASSISTED)


def test_stage_dates_cannot_go_back_or_into_the_future(users, alice_dossier):
    alice = users["alice"]
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        actions.change_stage(
            alice_dossier, acting_user=alice, stage=Stage.PRESUMED, on=today + timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        actions.change_stage(
            alice_dossier, acting_user=alice, stage=Stage.PRESUMED, on=today - timedelta(days=400)
        )


def test_writers_outside_the_owner_are_refused(users, orgs, alice_dossier):
    for name in ("bob", "ana", "olivia", "charlie"):
        with pytest.raises(PermissionDenied):
            actions.add_note(alice_dossier, acting_user=users[name], text="x")
        with pytest.raises(PermissionDenied):
            actions.change_stage(alice_dossier, acting_user=users[name], stage=Stage.PRESUMED)
    with pytest.raises(PermissionDenied):
        f.person(users["bob"], orgs["ngo_a"])
