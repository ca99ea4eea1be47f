"""The referrals app's lists cost the same queries whatever their length (issue 18 item 4): the
directory, the bed board, a provider's and a facility's page, the inbox, a dossier's services,
the support list and every API list read the same number of queries with 2 rows as with 20
(occupancy is counted for all the facilities at once, never facility by facility)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from himaya.core.api import PageNumberPagination
from himaya.referrals import actions
from himaya.referrals.models import (
    Facility,
    NgoSupport,
    Provider,
    Referral,
    ReferralStatus,
    ShelterStay,
)
from himaya.testing import factories as f
from himaya.testing.queries import steady_queries

from .conftest import consent, refer

pytestmark = pytest.mark.django_db

CASABLANCA = ("region", "casablanca_settat")


def _yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def _new_sql(before, after):
    """The queries of the longer list that the shorter one did not run, for the message."""
    return [q[:200] for q in after.sql if q not in before.sql]


def _occupy(facility, users, orgs, *, waiting=True):
    """A running stay in ``facility`` and, if asked, an accepted referral waiting for a bed."""
    alice = users["alice"]
    ShelterStay.objects.create(
        facility=facility,
        dossier=f.dossier(alice, orgs["ngo_a"]),
        bed_group="women",
        admitted_on=_yesterday(),
        recorded_by=alice,
    )
    if waiting:
        Referral.objects.create(
            dossier=f.dossier(alice, orgs["ngo_a"]),
            from_org=orgs["ngo_a"],
            to_org=facility.organisation,
            service="shelter",
            facility=facility,
            reason="Needs a safe place",
            status=ReferralStatus.ACCEPTED,
            sent_by=alice,
        )


def _facility(org, name):
    return Facility.objects.create(
        organisation=org,
        name_fr=name,
        city_fr="Casablanca",
        region=f.code(*CASABLANCA),
        beds_women=3,
        beds_children=1,
        beds_families=40,
    )


def _shelters(users, orgs, n):
    """``n`` more providers, each with a facility, and ``n`` more facilities of the shelter
    (Sam's organisation); each facility with a stay running and a referral waiting."""
    start = Facility.objects.count()
    shelter_type = f.code("org_type", "shelter")
    for i in range(start, start + n):
        org = f.OrganisationFactory(name_fr=f"Refuge {i}", type=shelter_type)
        provider = Provider.objects.create(
            organisation=org, services=["shelter", "psychosocial"], groups=["women"]
        )
        provider.regions.add(f.code(*CASABLANCA))
        provider.languages.add(f.code("language", "ar"))
        _occupy(_facility(org, f"Foyer {i}"), users, orgs)
        _occupy(_facility(orgs["shelter"], f"Annexe {i}"), users, orgs)


@pytest.fixture
def shelter_provider(orgs):
    return Provider.objects.create(organisation=orgs["shelter"], services=["shelter"])


# (list, the user who reads it)
FACILITY_LISTS = [
    ("referrals:directory", "bob"),
    ("referrals:directory", "sam"),
    ("referrals:beds", "bob"),
    ("referrals:beds", "sam"),
    ("api:provider-list", "bob"),
    ("api:facility-list", "bob"),
    ("api:facility-list", "sam"),
]


@pytest.mark.parametrize(("url", "who"), FACILITY_LISTS)
def test_facility_lists_cost_the_same_with_2_and_20_facilities(
    users, orgs, login, shelter_provider, monkeypatch, url, who, figure
):
    monkeypatch.setattr(PageNumberPagination, "page_size", 50)
    client = login(users[who])
    _shelters(users, orgs, 2)
    small, before = steady_queries(client, reverse(url))
    _shelters(users, orgs, 18)
    large, after = steady_queries(client, reverse(url))
    assert small == large, _new_sql(before, after)
    if url.startswith("api:"):  # every provider (the shelter's too), every facility
        assert after.json()["count"] == (21 if url == "api:provider-list" else 40)
    else:
        assert "Foyer 19" in after.text
    figure(f"{url} ({who}): {small} queries at 2 and at 20 providers/facilities")


def test_a_provider_page_costs_the_same_with_2_and_20_facilities(
    users, orgs, login, shelter_provider, figure
):
    client = login(users["sam"])
    url = reverse("referrals:provider", args=[orgs["shelter"].pk])
    _shelters(users, orgs, 2)
    small, before = steady_queries(client, url)
    _shelters(users, orgs, 18)
    large, response = steady_queries(client, url)
    assert small == large, _new_sql(before, response)
    assert len(response.context["facilities"]) == 20
    figure(f"referrals:provider: {small} queries at 2 and at 20 facilities")


def test_a_facility_page_costs_the_same_with_2_and_20_stays(users, orgs, login, figure):
    facility = _facility(orgs["shelter"], "Dar Amane")
    client = login(users["sam"])
    url = reverse("referrals:facility", args=[facility.pk])
    for _ in range(2):
        _occupy(facility, users, orgs)
    small, before = steady_queries(client, url)
    for _ in range(18):
        _occupy(facility, users, orgs)
    large, response = steady_queries(client, url)
    assert small == large, _new_sql(before, response)
    assert len(response.context["stays"]) == len(response.context["waiting"]) == 20
    figure(f"referrals:facility: {small} queries at 2 and at 20 stays and waiting referrals")


def _referral(users, orgs):
    Provider.objects.get_or_create(organisation=orgs["ngo_b"], services=["psychosocial"])
    dossier = f.dossier(users["alice"], orgs["ngo_a"])
    consent(users["alice"], orgs["ngo_a"], dossier.person)
    refer(users, orgs, dossier, to="ngo_b", service="psychosocial")


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_inbox_costs_the_same_with_2_and_20_referrals(users, orgs, login, who, figure):
    client = login(users[who])
    for _ in range(2):
        _referral(users, orgs)
    small, before = steady_queries(client, reverse("referrals:inbox"))
    for _ in range(18):
        _referral(users, orgs)
    large, response = steady_queries(client, reverse("referrals:inbox"))
    assert small == large, _new_sql(before, response)
    assert len(response.context["received"]) + len(response.context["sent"]) == 20
    figure(f"referrals:inbox ({who}): {small} queries at 2 and at 20 referrals")


def _support(users, orgs):
    actions.record_support(
        acting_user=users["ana"],
        giver=orgs["commission"],
        receiver=orgs["ngo_a"],
        on=timezone.localdate(),
        kind="in_kind",
        description="Beds",
        purpose="Shelter running costs",
    )


def test_the_support_list_costs_the_same_with_2_and_20_records(users, orgs, login, figure):
    client = login(users["alice"])
    for _ in range(2):
        _support(users, orgs)
    small, before = steady_queries(client, reverse("referrals:support"))
    for _ in range(18):
        _support(users, orgs)
    large, response = steady_queries(client, reverse("referrals:support"))
    assert small == large, _new_sql(before, response)
    assert len(response.context["records"]) == NgoSupport.objects.count() == 20
    figure(f"referrals:support: {small} queries at 2 and at 20 records")


def _services(dossier, users):
    """A session, a return, a plan goal and a follow-up on ``dossier``, by Alice."""
    alice = users["alice"]
    actions.record_session(dossier, acting_user=alice, kind="psychosocial", on=_yesterday())
    actions.record_return(
        dossier,
        acting_user=alice,
        destination=f.code("country", "NG"),
        travel_on=_yesterday(),
        partner_other="Consulate",
    )
    actions.add_goal(dossier, acting_user=alice, goal="Housing")
    actions.schedule_followup(dossier, acting_user=alice, due_on=timezone.localdate())


def test_a_dossiers_services_cost_the_same_with_2_and_20_of_each(users, orgs, login, figure):
    dossier = f.dossier(users["alice"], orgs["ngo_a"])
    client = login(users["alice"])
    url = reverse("referrals:services", args=[dossier.pk])
    for _ in range(2):
        _services(dossier, users)
    small, before = steady_queries(client, url)
    for _ in range(18):
        _services(dossier, users)
    large, response = steady_queries(client, url)
    assert small == large, _new_sql(before, response)
    assert len(response.context["goals"]) == len(response.context["sessions"]) == 20
    figure(f"referrals:services: {small} queries at 2 and at 20 of each record")


def _admitted(users, orgs, facility):
    """A shelter referral to Sam's shelter, accepted and admitted through the actions."""
    dossier = f.dossier(users["alice"], orgs["ngo_a"])
    consent(users["alice"], orgs["ngo_a"], dossier.person)
    referral = refer(users, orgs, dossier)
    referral = actions.accept_referral(referral, acting_user=users["sam"], expected_version=1)
    actions.admit(
        referral,
        acting_user=users["sam"],
        facility=facility,
        bed_group="families",
        admitted_on=_yesterday(),
    )


# (API list, the user who reads it)
RECORD_LISTS = [
    ("api:session-list", "alice"),
    ("api:return-list", "alice"),
    ("api:goal-list", "alice"),
    ("api:followup-list", "alice"),
    ("api:stay-list", "sam"),
    ("api:stay-list", "alice"),
]


@pytest.mark.parametrize(("url", "who"), RECORD_LISTS)
def test_service_record_api_lists_cost_the_same_with_2_and_20_records(
    users, orgs, login, shelter_provider, monkeypatch, url, who, figure
):
    monkeypatch.setattr(PageNumberPagination, "page_size", 50)
    facility = _facility(orgs["shelter"], "Dar Amane")
    client = login(users[who])

    def grow(n):
        for _ in range(n):
            if url == "api:stay-list":
                _admitted(users, orgs, facility)
            else:
                _services(f.dossier(users["alice"], orgs["ngo_a"]), users)

    grow(2)
    small, before = steady_queries(client, reverse(url))
    grow(18)
    large, response = steady_queries(client, reverse(url))
    assert small == large, _new_sql(before, response)
    assert response.json()["count"] == 20
    figure(f"{url} ({who}): {small} queries at 2 and at 20 records")
