"""The home page reads the referrals received by the user's organisations by that path alone
(its index), and the dossier page's panel a dossier's referrals by the paths that apply to it,
not through the union of everything the user sees: the same rows as ``visible_to(user)``
narrowed to them, for senders, receivers, owners and outsiders; and never for organisations
that are not the user's."""

import datetime

import pytest
from django.utils import timezone

from himaya.core import access
from himaya.referrals.home import _received, home_context
from himaya.referrals.models import Referral
from himaya.referrals.templatetags.referrals import dossier_referrals
from himaya.testing import factories as f

from .conftest import consent, refer

pytestmark = pytest.mark.django_db


USERS = ("alice", "bob", "sam", "ivy", "carol", "ana", "olivia")


@pytest.fixture
def referred(users, orgs, shelter_setup):
    """Alice's NGO refers its dossier to the shelter and to bob's NGO; bob's NGO refers its
    own to alice's."""
    alice, bob = users["alice"], users["bob"]
    mine = f.dossier(alice, orgs["ngo_a"])
    consent(alice, orgs["ngo_a"], mine.person)
    theirs = f.dossier(bob, orgs["ngo_b"])
    consent(bob, orgs["ngo_b"], theirs.person)
    refer(users, orgs, mine)  # alice's NGO to the shelter
    refer(users, orgs, mine, to="ngo_b", service="psychosocial")  # alice's NGO to bob's
    f.provider(orgs["ngo_a"], users["olivia"], ["legal_aid"])
    refer(users, orgs, theirs, to="ngo_a", service="legal_aid", user=bob)  # bob's to alice's
    return mine, theirs


def test_the_received_path_is_what_the_user_sees_of_it(users, referred):
    seen = 0
    for name in USERS:
        user = users[name]
        orgs_of_user = access.victim_org_ids(user)
        want = set(
            Referral.objects.visible_to(user)
            .filter(to_org_id__in=orgs_of_user)
            .values_list("pk", flat=True)
        )
        got = set(_received(user, orgs_of_user).values_list("pk", flat=True))
        assert got == want, name
        seen += len(got)
    assert seen == 3  # each referral is received by exactly one of them


def test_other_organisations_are_refused(users, orgs):
    with pytest.raises(ValueError):
        _received(users["alice"], {orgs["ngo_b"].pk})


def test_a_dossiers_referrals_are_what_the_user_sees_of_them(users, referred):
    seen = 0
    for dossier in referred:
        for name in USERS:
            user = users[name]
            want = set(
                Referral.objects.visible_to(user)
                .filter(dossier=dossier)
                .values_list("pk", flat=True)
            )
            got = set(dossier_referrals(user, dossier).values_list("pk", flat=True))
            assert got == want, (dossier.reference, name)
            seen += len(got)
    # alice sees her dossier's two referrals and bob's one to her; bob his own and the one
    # sent to him; sam the shelter's.
    assert seen == 6


def test_the_overdue_referrals_are_what_the_user_sees_of_them(users, orgs, referred):
    """Every referral still in progress, an hour past any answer limit: the home page's
    overdue list is the user's visible ones among them (both sides of a referral)."""
    later = timezone.now() + datetime.timedelta(days=30)
    seen = 0
    for name in USERS:
        user = users[name]
        if not access.victim_org_ids(user):
            assert home_context(user, now=later) == {}
            continue
        want = set(Referral.objects.visible_to(user).overdue(later).values_list("pk", flat=True))
        ctx = home_context(user, now=later)
        assert {r.pk for r in ctx["referrals_overdue"]} == want, name
        assert ctx["referrals_overdue_count"] == len(want), name
        seen += len(want)
    assert seen == 6
