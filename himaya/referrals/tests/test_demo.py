"""The demo's referral part (himaya.demo.referrals) in the run's demo deployment: every status, open
referrals for the demo shelter manager and caseworker, occupancy within the beds, grants that
live exactly while their referral is open."""

import pytest
from django.urls import reverse
from django.utils import timezone

from himaya.accounts.models import Organisation, User
from himaya.cases.models import AccessGrant, Dossier
from himaya.core import access
from himaya.demo import data
from himaya.demo.models import DemoRun
from himaya.referrals import figures
from himaya.referrals.home import home_context
from himaya.referrals.models import BED_GROUPS, Facility, Referral, ReferralStatus, ShelterStay
from himaya.statistics import figures as statistics_figures

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(demo_database):
    """The run's demo deployment (himaya/conftest.py) under this module's tests, with its
    organisations by key, its accounts by name and its counts."""
    by_name = {o.name_fr: o for o in Organisation.objects.all()}
    orgs = {key: by_name[name_fr] for key, _t, _r, _ar, name_fr, _en in data.ORGANISATIONS}
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    return {"orgs": orgs, "users": users, "counts": DemoRun.objects.get().counts}


def test_every_referral_status_occurs(demo):
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)


def test_grants_live_exactly_while_their_referral_is_open(demo):
    for r in Referral.objects.select_related("grant"):
        live = AccessGrant.objects.filter(access.live_grant_q(""), pk=r.grant_id).exists()
        assert live == r.is_open, r.pk
        assert r.grant.source == f"referral:{r.pk}"
        assert r.consent_id or r.is_child


def test_occupancy_never_exceeds_the_beds_today(demo):
    today = timezone.localdate()
    for f in Facility.objects.all():
        occ = f.occupied(today)
        assert all(occ[g] <= f.beds(g) for g in BED_GROUPS)


def test_the_shelter_manager_and_the_caseworker_find_work_on_their_home_page(demo):
    shelter = home_context(demo["users"]["shelter"])
    caseworker = home_context(demo["users"]["caseworker"])
    assert shelter["referral_inbox"] and shelter["my_facilities"]
    assert caseworker["referral_inbox"] and caseworker["followups_due"]
    assert shelter["referrals_overdue"]


def test_some_accepted_shelter_referrals_wait_and_some_stays_are_open(demo):
    waiting = Referral.objects.filter(status="accepted", service="shelter", stays__isnull=True)
    assert waiting.exists()
    assert ShelterStay.objects.filter(discharged_on__isnull=True).exists()


def test_the_shelter_sees_the_dossier_of_an_open_referral(demo):
    r = Referral.objects.filter(to_org=demo["orgs"]["shelter_casa"], status="in_progress").first()
    assert Dossier.objects.visible_to(demo["users"]["shelter"]).filter(pk=r.dossier_id).exists()


def _urls(orgs, user):
    """The app's pages, and the referrals, services and dossier pages of what the user sees."""
    urls = [reverse(f"referrals:{n}") for n in ("directory", "beds", "support")]
    urls += [reverse("referrals:inbox"), reverse("referrals:inbox") + "?show=all"]
    urls += [reverse("referrals:facility", args=[f.pk]) for f in Facility.objects.all()]
    urls += [reverse("referrals:provider", args=[o.pk]) for o in orgs.values()][:10]
    for r in Referral.objects.visible_to(user)[:15]:
        urls += [
            reverse("referrals:detail", args=[r.pk]),
            reverse("referrals:services", args=[r.dossier_id]),
            reverse("cases:detail", args=[r.dossier_id]),
        ]
    return urls


def test_every_page_of_the_app_opens_for_each_demo_role(demo, login, figure):
    users = demo["users"]
    opened = 0
    for name in ("shelter", "caseworker", "police", "analyst", "orgadmin", "prosecutor"):
        client = login(users[name])
        for url in _urls(demo["orgs"], users[name]):
            status = client.get(url).status_code
            assert status in (200, 404), (name, url, status)
            opened += 1
        home_context(users[name])
    year = timezone.localdate().year - 1
    figure(
        f"demo referrals: {demo['counts']['referrals']} referrals, "
        f"{ShelterStay.objects.count()} stays, {figures.bed_nights(year)} bed-nights in {year}, "
        f"{statistics_figures.persons_referred(year)['total']} victims referred in {year}; "
        f"{opened} pages opened by 6 demo roles, 0 server errors"
    )
