"""Referral and service figures on hand-made data (one rule per function, see its docstring)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from himaya.referrals import actions as referral_actions
from himaya.referrals import figures
from himaya.referrals.models import (
    Facility,
    Referral,
    ReturnAssistance,
    ShelterStay,
)
from himaya.statistics import figures as statistics_figures
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

Y = 2025


def at(month, day, hour=9):
    return timezone.make_aware(datetime.datetime(Y, month, day, hour))


@pytest.fixture
def data(orgs, users):
    """Four dossiers of NGO A (two of one person), their referrals, shelter stays, services and
    return, and the commission's support to NGOs, in 2025 and around it."""
    alice = users["alice"]
    p1 = f.person(alice, orgs["ngo_a"])
    d1 = f.dossier(alice, orgs["ngo_a"], the_person=p1)
    d1b = f.dossier(alice, orgs["ngo_a"], the_person=p1)  # same person, second dossier
    d2 = f.dossier(alice, orgs["ngo_a"])
    d3 = f.dossier(alice, orgs["ngo_a"])
    _referrals(orgs, alice, d1, d1b, d2, d3)
    _shelter_stays(orgs, users["sam"], d1, d2, d3)
    _services_and_return(orgs, users, d1, d2)
    _support_to_ngos(orgs, users["ana"])
    return {"d1": d1, "d2": d2, "d3": d3}


def _referrals(orgs, alice, d1, d1b, d2, d3):
    """Five referrals: answered at set hours (the response times), and one of the year before.
    Created directly: the actions stamp the moment they run, and these rules count hours
    between fixed moments of 2025."""

    def ref(d, to, service, sent, **kw):
        return Referral.objects.create(
            dossier=d,
            from_org=orgs["ngo_a"],
            to_org=orgs[to],
            service=service,
            reason="r",
            sent_by=alice,
            sent_at=sent,
            **kw,
        )

    ref(d1, "shelter", "shelter", at(3, 1), status="accepted", accepted_at=at(3, 1, 15))
    ref(
        d1b,
        "shelter",
        "shelter",
        at(4, 1),
        status="rejected",
        rejected_at=at(4, 4),
        rejection_reason="no_capacity",
    )
    ref(d2, "io", "return", at(5, 1), status="done", accepted_at=at(5, 1, 10), done_at=at(6, 1))
    ref(
        d2,
        "ngo_b",
        "psychosocial",
        at(5, 2),
        status="rejected",
        rejected_at=at(5, 2, 11),
        rejection_reason="not_eligible",
        urgent=True,
    )
    ref(d3, "shelter", "shelter", at(12, 31, 23) - datetime.timedelta(days=366))  # year before


def _shelter_stays(orgs, sam, d1, d2, d3):
    """A facility of six beds and three stays: ten nights in March, one running from 30
    December, one from the year before ending on 2 January. Created directly: the facility
    counts from 1 January (create_facility stamps today), and admit needs an accepted shelter
    referral open today, which these past stays do not have."""
    facility = Facility.objects.create(
        organisation=orgs["shelter"],
        name_fr="F",
        region=f.code("region", "casablanca_settat"),
        beds_women=4,
        beds_children=2,
        created_at=at(1, 1),
    )
    ShelterStay.objects.create(
        facility=facility,
        dossier=d1,
        bed_group="women",
        admitted_on=datetime.date(Y, 3, 2),
        discharged_on=datetime.date(Y, 3, 12),
        recorded_by=sam,
    )
    ShelterStay.objects.create(
        facility=facility,
        dossier=d3,
        bed_group="women",
        admitted_on=datetime.date(Y, 12, 30),
        recorded_by=sam,
    )
    ShelterStay.objects.create(
        facility=facility,
        dossier=d2,
        bed_group="women",
        admitted_on=datetime.date(Y - 1, 12, 30),
        discharged_on=datetime.date(Y, 1, 2),
        recorded_by=sam,
    )


def _services_and_return(orgs, users, d1, d2):
    """Two psychosocial sessions in 2025 and a legal aid session of 2024, recorded by NGO A
    through record_session; a return to Nigeria organised by the international organisation."""
    alice = users["alice"]
    for day in (1, 8):
        referral_actions.record_session(
            d1, acting_user=alice, kind="psychosocial", on=datetime.date(Y, 6, day)
        )
    referral_actions.record_session(
        d1, acting_user=alice, kind="legal_aid", on=datetime.date(Y - 1, 6, 1)
    )
    # Created directly: the international organisation holds no grant on the dossier (its
    # referral above is made directly), and record_return records only for one that does.
    ReturnAssistance.objects.create(
        dossier=d2,
        organisation=orgs["io"],
        destination=f.code("country", "NG"),
        partner=orgs["io"],
        travel_on=datetime.date(Y, 6, 1),
        given_by=users["ivy"],
    )


def _support_to_ngos(orgs, ana):
    """The commission's support, recorded by its analyst: 50 000 MAD to NGO A and beds to the
    shelter in 2025, 7 MAD to the shelter in 2024."""
    commission = orgs["commission"]
    referral_actions.record_support(
        acting_user=ana,
        giver=commission,
        receiver=orgs["ngo_a"],
        on=datetime.date(Y, 2, 1),
        kind="financial",
        amount_mad=Decimal("50000"),
        purpose="p",
    )
    referral_actions.record_support(
        acting_user=ana,
        giver=commission,
        receiver=orgs["shelter"],
        on=datetime.date(Y, 2, 1),
        kind="in_kind",
        description="beds",
        purpose="p",
    )
    referral_actions.record_support(
        acting_user=ana,
        giver=commission,
        receiver=orgs["shelter"],
        on=datetime.date(Y - 1, 2, 1),
        kind="financial",
        amount_mad=Decimal("7"),
        purpose="p",
    )


def test_victims_referred(data):
    # Who was referred is counted in statistics.figures, the one home of the rule.
    referred = statistics_figures.persons_referred(Y)
    assert referred["total"] == 2  # p1 (two dossiers) and d2's person
    assert statistics_figures.persons_referred(Y - 1)["total"] == 1
    assert referred["by_service"] == {"shelter": 1, "return": 1, "psychosocial": 1}
    assert referred["by_provider_type"] == {
        "shelter": 1,
        "international_organisation": 1,
        "ngo": 1,
    }


def test_answers_reasons_response_time(data):
    assert figures.referral_answers(Y) == {"accepted": 2, "rejected": 2}
    assert figures.rejections_by_reason(Y) == {"no_capacity": 1, "not_eligible": 1}
    rt = figures.response_time_hours(Y)
    # 6 h, 72 h, 1 h, 2 h → median 4 h; 72 h > 48 h is late, 2 h urgent is within 4 h
    assert rt == {"answered": 4, "median_hours": 4.0, "late": 1}


def test_services_assisted_beds_returns_support(data):
    assert figures.services_delivered(Y) == {"psychosocial": 2, "shelter": 2, "return": 1}
    assert statistics_figures.persons_assisted(Y) == 3
    assert figures.shelter_beds(Y) == {
        "facilities": 1,
        "beds": {"women": 4, "men": 0, "children": 2, "families": 0},
        "total": 6,
    }
    # 10 nights in March, 2 nights (30, 31 Dec) for the running stay, 1 night (1 Jan)
    assert figures.bed_nights(Y) == 13
    assert figures.returns_by_destination(Y) == {"NG": 1}
    s = figures.support_to_ngos(Y)
    assert s == {
        "financial_mad": Decimal("50000"),
        "financial_count": 1,
        "in_kind_count": 1,
        "receivers": 2,
    }


def test_dossier_scope_narrows(data, users):
    from himaya.cases.models import Dossier

    only_bob = Dossier.objects.visible_to(users["bob"])
    only_bob_scope = statistics_figures.Scope(dossiers=only_bob)
    assert statistics_figures.persons_referred(Y, only_bob_scope)["total"] == 0
    assert figures.bed_nights(Y, only_bob) == 0
