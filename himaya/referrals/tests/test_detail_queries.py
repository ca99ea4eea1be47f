"""The pages of one record of the referrals app read in a number of queries that does not grow
with what the record holds: a referral's page (its shelter stays), a dossier's services and
support plan (referrals, stays, sessions, returns, goals, follow-ups), a facility's page (who
stays there, who waits) and a provider's page (its facilities, regions and languages)."""

import datetime

import pytest
from django.utils import timezone

from himaya.core.models import Code
from himaya.referrals import actions
from himaya.testing import factories as f
from himaya.testing.queries import page_counts

pytestmark = pytest.mark.django_db

SHELTER_SERVICES = ["shelter", "psychosocial", "legal_aid"]


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def first(code_list, n):
    return list(Code.objects.of(code_list).order_by("sort", "code")[:n])


def _facility(users, orgs, name="Dar Amane", beds=10):
    return actions.create_facility(
        orgs["shelter"],
        acting_user=users["sam"],
        name_fr=name,
        region=f.code("region", "casablanca_settat"),
        beds_women=beds,
        beds_children=1,
    )


def _accepted(users, orgs, dossier, service="shelter", to="shelter", by="sam"):
    referral = f.referral(dossier, users["alice"], orgs[to], service=service)
    return actions.accept_referral(
        referral, acting_user=users[by], expected_version=referral.version
    )


def _stays(users, referral, facility, n):
    """n stays of the referral's person, one after the other: n - 1 discharged, the last open."""
    for i in range(n):
        admitted = days_ago(30 - 10 * i)
        stay = actions.admit(
            referral,
            acting_user=users["sam"],
            facility=facility,
            bed_group="women",
            admitted_on=admitted,
        )
        if i < n - 1:
            actions.discharge(
                stay,
                acting_user=users["sam"],
                expected_version=stay.version,
                discharged_on=admitted + datetime.timedelta(days=5),
                reason="moved",
            )
    return referral


@pytest.mark.parametrize("who", ["sam", "alice"])
def test_the_referral_page_reads_in_constant_queries(who, users, orgs, login, figure):
    f.provider(orgs["shelter"], users["sam"], SHELTER_SERVICES, ["women"])
    facility = _facility(users, orgs)
    small, large = [
        _stays(users, _accepted(users, orgs, f.dossier(users["alice"], orgs["ngo_a"])), facility, n)
        for n in (1, 3)
    ]
    assert large.stays.count() == 3
    counts, response = page_counts(login(users[who]), "referrals:detail", (small, large))
    assert response.text.count('data-testid="stay"') == 3
    assert counts[0] == counts[1], counts
    figure(f"referral page ({who}): {counts[0]} queries, 1 or 3 shelter stays")


def _services(users, orgs, facility, n):
    """Alice's dossier with n of each: referrals (accepted, the first a shelter referral to
    sam's shelter), stays, sessions, returns, goals and follow-ups; sam's shelter records its
    own n sessions, goals and follow-ups."""
    alice, sam = users["alice"], users["sam"]
    dossier = f.dossier(alice, orgs["ngo_a"])
    shelter = _accepted(users, orgs, dossier)
    _stays(users, shelter, facility, n)
    for service in ["legal_aid", "medical"][: n - 1]:
        _accepted(users, orgs, dossier, service=service, to="ngo_b", by="bob")
    for i in range(n):
        actions.record_session(dossier, acting_user=alice, kind="psychosocial", on=days_ago(i))
        actions.record_return(
            dossier,
            acting_user=alice,
            destination=first("country", n)[i],
            travel_on=days_ago(i),
            partner=orgs["io"],
            followup=f"Follow-up {i}",
        )
        actions.add_goal(dossier, acting_user=alice, goal=f"Goal {i}", target_on=days_ago(-30))
        actions.schedule_followup(dossier, acting_user=alice, due_on=days_ago(-i), purpose="Call")
        actions.record_session(dossier, acting_user=sam, kind="medical", on=days_ago(i))
        actions.add_goal(dossier, acting_user=sam, goal=f"Shelter goal {i}")
        actions.schedule_followup(dossier, acting_user=sam, due_on=days_ago(-i))
    return dossier


@pytest.mark.parametrize("who", ["alice", "sam"])
def test_the_services_page_reads_in_constant_queries(who, users, orgs, login, figure):
    f.provider(orgs["shelter"], users["sam"], SHELTER_SERVICES, ["women"])
    f.provider(orgs["ngo_b"], users["bob"], ["legal_aid", "medical"])
    facility = _facility(users, orgs)
    small, large = _services(users, orgs, facility, 1), _services(users, orgs, facility, 3)
    assert large.referrals.count() == 3 and large.stays.count() == 3
    counts, response = page_counts(login(users[who]), "referrals:services", (small, large))
    assert response.text.count('data-testid="goal"') == (6 if who == "alice" else 3)
    assert counts[0] == counts[1], counts
    figure(
        f"services page ({who}): {counts[0]} queries, 1 or 3 referrals, stays, sessions, "
        "returns, goals and follow-ups"
    )


def _occupied(users, orgs, facility, n):
    """n persons staying in the facility, and n accepted shelter referrals waiting for it."""
    for _ in range(n):
        dossier = f.dossier(users["alice"], orgs["ngo_a"])
        _stays(users, _accepted(users, orgs, dossier), facility, 1)
        _accepted(users, orgs, f.dossier(users["alice"], orgs["ngo_a"]))
    return facility


@pytest.mark.parametrize("who", ["sam", "alice"])
def test_the_facility_page_reads_in_constant_queries(who, users, orgs, login, figure):
    f.provider(orgs["shelter"], users["sam"], SHELTER_SERVICES, ["women"])
    small = _occupied(users, orgs, _facility(users, orgs, "Dar Amane"), 1)
    # Waiting referrals name no facility: they wait for the organisation's first one.
    large = _occupied(users, orgs, _facility(users, orgs, "Dar Salam"), 3)
    assert large.stays.count() == 3
    counts, response = page_counts(login(users[who]), "referrals:facility", (small, large))
    assert counts[0] == counts[1], counts
    figure(f"facility page ({who}): {counts[0]} queries, 1 or 3 persons staying")


def _provider(users, org, user, n):
    """The organisation's provider profile with n regions and languages, and n facilities."""
    actions.save_provider(
        org,
        acting_user=user,
        services=SHELTER_SERVICES,
        groups=["women"],
        regions=first("region", n),
        languages=first("language", n),
        contact="05 22 00 00 00",
        accepts=True,
        expected_version=None,
    )
    for i in range(n):
        actions.create_facility(
            org,
            acting_user=user,
            name_fr=f"{org.name_fr} {i}",
            region=first("region", n)[i],
            beds_women=2,
            beds_men=1,
        )
    return org


@pytest.mark.parametrize("who", ["sam", "alice"])
def test_the_provider_page_reads_in_constant_queries(who, users, orgs, login, figure):
    small = _provider(users, orgs["ngo_b"], users["bob"], 1)
    large = _provider(users, orgs["shelter"], users["sam"], 3)
    counts, response = page_counts(login(users[who]), "referrals:provider", (small, large))
    assert response.text.count('href="/services/facilities/') == 3
    assert counts[0] == counts[1], counts
    figure(f"provider page ({who}): {counts[0]} queries, 1 or 3 facilities, regions, languages")
