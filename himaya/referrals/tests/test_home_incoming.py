"""What waits on the home page of the organisations that receive referrals: referrals to answer
(sent, not yet accepted or rejected), the shelter's waiting list (accepted, not admitted),
accepted referrals under way, dossier transfers to answer; true totals, bounded lists, and a
number of queries that does not grow with the rows. Dates are injected."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from himaya.referrals import actions
from himaya.referrals.home import SHOWN, home_context
from himaya.referrals.models import Referral
from himaya.testing import factories as f
from himaya.testing.queries import page_queries

from .conftest import consent, refer

pytestmark = pytest.mark.django_db


def consented(users, orgs, **person):
    d = f.dossier(
        users["alice"], orgs["ngo_a"], the_person=f.person(users["alice"], orgs["ngo_a"], **person)
    )
    consent(users["alice"], orgs["ngo_a"], d.person)
    return d


def test_shelter_answers_then_waits_then_admits(users, orgs, login, shelter_setup):
    sam, alice = users["sam"], users["alice"]
    ctx = home_context(sam)
    assert ctx["referral_inbox"] == [] and ctx["referral_inbox_count"] == 0
    assert ctx["referral_answers"] is True  # the empty list is still shown to her
    d = consented(users, orgs)
    r = refer(users, orgs, d, facility=shelter_setup)

    ctx = home_context(sam)
    assert ctx["referral_inbox"] == [r] and ctx["referral_inbox_count"] == 1
    assert ctx["referral_waiting"] == [] and ctx["referral_waiting_count"] == 0
    page = login(sam).get(reverse("home")).content.decode()
    assert 'data-testid="home-referrals"' in page and d.reference in page
    assert 'data-testid="home-waiting"' not in page
    # The sender does not answer her own referral.
    assert home_context(alice)["referral_inbox_count"] == 0

    actions.accept_referral(r, acting_user=sam, expected_version=r.version)
    ctx = home_context(sam)
    assert ctx["referral_inbox_count"] == 0
    assert ctx["referral_waiting"] == [r] and ctx["referral_waiting_count"] == 1
    assert ctx["referral_accepted_count"] == 0  # on the waiting list, not counted twice
    page = login(sam).get(reverse("home")).content.decode()
    assert 'data-testid="home-waiting"' in page and d.reference in page
    assert reverse("referrals:facility", args=[shelter_setup.pk]) in page
    [facility] = ctx["my_facilities"]
    assert facility.free == 3

    actions.admit(
        r,
        acting_user=sam,
        facility=shelter_setup,
        bed_group="women",
        admitted_on=timezone.localdate(),
    )
    ctx = home_context(sam)
    assert ctx["referral_waiting"] == [] and ctx["referral_waiting_count"] == 0
    assert ctx["referral_accepted"] == [r] and ctx["referral_accepted_count"] == 1
    assert ctx["my_facilities"][0].free == 2
    assert 'data-testid="home-waiting"' not in login(sam).get(reverse("home")).content.decode()


def test_urgent_first_then_the_longest_waiting_with_counts(users, orgs, shelter_setup):
    now = timezone.now()
    old = refer(users, orgs, consented(users, orgs))
    urgent = refer(users, orgs, consented(users, orgs), urgent=True)
    Referral.objects.filter(pk=old.pk).update(sent_at=now - datetime.timedelta(days=4))
    Referral.objects.filter(pk=urgent.pk).update(sent_at=now - datetime.timedelta(hours=1))
    ctx = home_context(users["sam"], now=now)
    assert [r.pk for r in ctx["referral_inbox"]] == [urgent.pk, old.pk]
    assert ctx["referral_inbox_count"] == 2 and ctx["referral_inbox_urgent"] == 1
    first, second = ctx["referral_inbox"]
    assert not first.late and second.late  # 4 days is past the answer limit
    assert (
        second.waiting_days
        == (
            timezone.localdate(now) - timezone.localtime(now - datetime.timedelta(days=4)).date()
        ).days
    )


def test_caseworker_answers_then_follows_and_others_see_nothing(users, orgs, login):
    bob = users["bob"]
    d = consented(users, orgs)
    r = refer(users, orgs, d, to="ngo_b", service="psychosocial")
    assert home_context(bob)["referral_inbox"] == [r]
    actions.accept_referral(r, acting_user=bob, expected_version=r.version)
    ctx = home_context(bob)
    assert ctx["referral_inbox_count"] == 0 and ctx["referral_waiting_count"] == 0
    assert ctx["referral_accepted"] == [r] and ctx["referral_accepted_count"] == 1
    assert 'data-testid="home-accepted"' in login(bob).get(reverse("home")).content.decode()
    # Other receivers and the outsider see nothing of it.
    for name in ("sam", "ivy"):
        ctx = home_context(users[name])
        assert ctx["referral_inbox"] == [] and ctx["referral_accepted"] == [], name
    assert home_context(users["charlie"]) == {}
    page = login(users["charlie"]).get(reverse("home"))
    assert page.status_code == 200 and d.reference not in page.content.decode()


def test_dossier_transfer_to_answer(users, orgs, login):
    alice, bob = users["alice"], users["bob"]
    d = f.dossier(alice, orgs["ngo_a"])
    t = actions.propose_transfer(d, acting_user=alice, to_org=orgs["ngo_b"], reason="Moved")
    ctx = home_context(bob)
    assert ctx["transfers_incoming"] == [t] and ctx["transfers_incoming_count"] == 1
    page = login(bob).get(reverse("home")).content.decode()
    assert 'data-testid="home-transfers"' in page and d.reference in page
    assert home_context(alice)["transfers_incoming"] == []  # proposed by her, not to her
    assert home_context(users["ivy"])["transfers_incoming"] == []
    actions.answer_transfer(t, acting_user=bob, accept=False)
    assert home_context(bob)["transfers_incoming_count"] == 0


def test_at_most_shown_with_the_true_total(users, orgs, shelter_setup):
    for _ in range(SHOWN + 2):
        refer(users, orgs, consented(users, orgs))
    ctx = home_context(users["sam"])
    assert len(ctx["referral_inbox"]) == SHOWN and ctx["referral_inbox_count"] == SHOWN + 2


def home_queries(client):
    return page_queries(client, reverse("home"))


def fill(users, orgs, facility, n):
    """n referrals of each kind: to answer (shelter and NGO B), accepted and waiting (shelter),
    accepted under way (NGO B), transfers proposed to NGO B, follow-ups due for NGO A."""
    sam, bob, alice = users["sam"], users["bob"], users["alice"]
    for _ in range(n):
        refer(users, orgs, consented(users, orgs), facility=facility)
        w = refer(users, orgs, consented(users, orgs), facility=facility)
        actions.accept_referral(w, acting_user=sam, expected_version=w.version)
        refer(users, orgs, consented(users, orgs), to="ngo_b", service="legal_aid")
        u = refer(users, orgs, consented(users, orgs), to="ngo_b", service="psychosocial")
        actions.accept_referral(u, acting_user=bob, expected_version=u.version)
        d = f.dossier(alice, orgs["ngo_a"])
        actions.propose_transfer(d, acting_user=alice, to_org=orgs["ngo_b"], reason="Moved")
        actions.schedule_followup(d, acting_user=alice, due_on=timezone.localdate())


@pytest.mark.parametrize("name", ["sam", "bob", "alice"])
def test_home_queries_do_not_grow_with_the_rows(users, orgs, login, shelter_setup, name):
    fill(users, orgs, shelter_setup, 1)
    client = login(users[name])
    one = home_queries(client)
    fill(users, orgs, shelter_setup, 19)
    assert home_queries(client) == one


def test_the_first_referrals_under_way_are_those_of_the_whole_list(users, orgs, shelter_setup):
    """``first_under_way`` reads its two kinds (other services; shelter referrals with an
    admission) apart and merges them: for every length, the rows and the order of the whole
    list sorted (a waiting shelter referral is in neither)."""
    from django.db.models import F

    from himaya.core import access
    from himaya.referrals.home import first_under_way, under_way

    sam = users["sam"]
    admitted = 0
    for i in range(7):
        shelter = i % 3 != 1
        r = refer(
            users,
            orgs,
            consented(users, orgs),
            service="shelter" if shelter else "psychosocial",
            facility=shelter_setup if shelter else None,
        )
        actions.accept_referral(r, acting_user=sam, expected_version=r.version)
        if shelter and admitted < 2:  # two women's beds: the third shelter referral waits
            actions.admit(
                r,
                acting_user=sam,
                facility=shelter_setup,
                bed_group="women",
                admitted_on=timezone.localdate(),
            )
            admitted += 1
    orgs_of_sam = access.victim_org_ids(sam)
    whole = list(under_way(sam, orgs_of_sam).order_by(F("accepted_at").asc(nulls_last=True), "id"))
    assert len(whole) == 2 + 2  # two admitted, two other services; three shelter ones wait
    for n in range(1, len(whole) + 2):
        assert first_under_way(sam, orgs_of_sam, n) == whole[:n], n
