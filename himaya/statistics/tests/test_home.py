"""The commission's panel of the home page (statistics/home.py): its figures on hand-made data,
and the number of queries it runs, which does not grow with the number of shelters."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from himaya.justice import actions as ja
from himaya.referrals.models import Facility, ShelterStay
from himaya.statistics import home
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 15)


def _shelter(orgs, users, dossier, region, women, used):
    facility = Facility.objects.create(
        organisation=orgs["shelter"],
        name_fr=f"F {Facility.objects.count()}",
        region=f.code("region", region),
        beds_women=women,
        beds_children=2,
        created_at=timezone.make_aware(datetime.datetime(2025, 1, 1)),
    )
    for n in range(used):
        ShelterStay.objects.create(
            facility=facility,
            dossier=dossier,
            bed_group="women",
            admitted_on=TODAY - datetime.timedelta(days=n + 1),
            recorded_by=users["sam"],
        )
    # A stay already over counts no bed today.
    ShelterStay.objects.create(
        facility=facility,
        dossier=dossier,
        bed_group="children",
        admitted_on=TODAY - datetime.timedelta(days=30),
        discharged_on=TODAY - datetime.timedelta(days=2),
        recorded_by=users["sam"],
    )
    return facility


@pytest.fixture
def dossier(users, orgs):
    return f.dossier(users["alice"], orgs["ngo_a"])


def _alerts(today):
    with CaptureQueriesContext(connection) as queries:
        alerts = home.alerts_by_region(today)
    return alerts, len(queries)


def test_shelter_beds_used_and_beds_per_region(orgs, users, dossier):
    _shelter(orgs, users, dossier, "casablanca_settat", women=4, used=3)
    _shelter(orgs, users, dossier, "casablanca_settat", women=1, used=1)
    _shelter(orgs, users, dossier, "oriental", women=5, used=0)
    alerts, _n = _alerts(TODAY)
    rows = {str(r["region"]): (r["used"], r["beds"]) for r in alerts["rows"]}
    casablanca = f.code("region", "casablanca_settat").label
    oriental = f.code("region", "oriental").label
    assert rows == {str(casablanca): (4, 9), str(oriental): (0, 7)}
    assert (alerts["totals"]["used"], alerts["totals"]["beds"]) == (4, 16)


def test_the_panel_runs_as_many_queries_for_one_shelter_as_for_five(orgs, users, dossier):
    _shelter(orgs, users, dossier, "casablanca_settat", women=4, used=2)
    _alerts(TODAY)  # warm the code caches
    _alerts_one, one = _alerts(TODAY)
    for n in range(4):
        _shelter(orgs, users, dossier, "oriental", women=3, used=n)
    alerts_five, five = _alerts(TODAY)
    assert alerts_five["totals"]["used"] == 2 + 0 + 1 + 2 + 3
    assert five == one
    with CaptureQueriesContext(connection) as small:
        home.year_so_far(TODAY)
    for n in range(3):
        _shelter(orgs, users, dossier, "oriental", women=2, used=n)
    with CaptureQueriesContext(connection) as large:
        home.year_so_far(TODAY)
    assert len(large) == len(small)


def test_year_so_far_counts_from_1_january_to_today_against_last_year(orgs, users, dossier):
    moment = timezone.make_aware(datetime.datetime(2025, 3, 1, 10))
    f.referral(dossier, users["alice"], orgs["shelter"], service="shelter", sent_at=moment)
    second = f.dossier(users["alice"], orgs["ngo_a"])
    # after today: not in the year so far
    f.referral(second, users["alice"], orgs["ngo_b"], sent_at=moment.replace(month=7))
    # last year, before the same day: in last year's column
    f.referral(second, users["alice"], orgs["io"], sent_at=moment.replace(year=2024))
    rows = {r["key"]: (r["value"], r["previous"]) for r in home.year_so_far(TODAY)}
    assert rows["persons_referred"] == (1, 1)
    assert rows["investigations"] == (0, 0)
    assert rows["prosecuted"] == (0, 0)
    assert rows["reports"] == (0, 0)


def test_year_so_far_counts_investigations_and_defendants_charged_up_to_today(orgs, users):
    carol, paula, parquet = users["carol"], users["paula"], orgs["parquet"]

    def investigation(on):
        return ja.open_investigation(acting_user=carol, organisation=orgs["police"], opened_on=on)

    def prosecute(on, *, charged=True):
        inv = investigation(on - datetime.timedelta(days=20))
        suspect = ja.add_suspect(inv, acting_user=carol, added_on=inv.opened_on, given_name_lat="S")
        ja.transfer_investigation(inv, acting_user=carol, office=parquet, on=inv.opened_on)
        p = ja.start_prosecution(
            inv, suspect, acting_user=paula, office=parquet, started_on=on, court=orgs["court"]
        )
        if charged:
            form = f.code("exploitation_form", "labour")
            ja.add_charge(p, acting_user=paula, article="448.1", form=form)

    investigation(datetime.date(2025, 7, 1))  # after today
    investigation(datetime.date(2024, 9, 1))  # last year, after the same day
    prosecute(datetime.date(2025, 4, 1))  # and its investigation, opened 12 March
    prosecute(datetime.date(2025, 5, 1), charged=False)  # no charge yet: not counted
    prosecute(datetime.date(2024, 3, 1))  # last year, before the same day
    rows = {r["key"]: (r["value"], r["previous"]) for r in home.year_so_far(TODAY)}
    assert rows["investigations"] == (2, 1)
    assert rows["prosecuted"] == (1, 1)
    assert list(rows) == ["victims", "investigations", "prosecuted", "persons_referred", "reports"]
