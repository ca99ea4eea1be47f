"""The casework of past years as clerks keep it (issue 16): who may import it is who opens
dossiers in the pages (a prosecution office's prosecutors too, not an organisation admin); a
referral or a service before the dossier's recorded opening is a date to confirm; what cannot
be stays an error; a referral's status is required; every sheet's header problems at once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from himaya.cases.models import Dossier
from himaya.exchange import services
from himaya.exchange.models import ImportRun
from himaya.referrals.models import Referral, ShelterStay
from himaya.testing import factories as f

from .casework_data import casework, counts, workbook

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1  # the casework module's dates: last year


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def facility(orgs):
    from himaya.referrals.models import Facility

    return Facility.objects.create(
        organisation=orgs["ngo_a"],
        name_fr="Maison Amal",
        region=f.code("region", "casablanca_settat"),
        beds_women=4,
    )


def _run(user, org, data, commit=False, **kw):
    with translation.override("en"):
        return services.run_import(
            workbook(data),
            "casework.xlsx",
            user=user,
            organisation=org,
            commit=commit,
            register="casework",
            **kw,
        )[1]


def test_a_prosecution_office_imports_the_casework_it_opens_in_the_pages(users, orgs):
    """One rule, both paths: paula opens a dossier for her office on the page, and imports
    its casework; olivia (organisation admin) does neither."""
    paula, office = users["paula"], orgs["parquet"]
    assert f.dossier(paula, office).owner_org == office
    data = {"dossiers": casework()["dossiers"]}
    result = _run(paula, office, data, commit=True)
    assert result.committed, result.errors
    assert Dossier.objects.filter(owner_org=office).count() == 4
    olivia = users["olivia"]
    with pytest.raises(PermissionDenied):
        f.dossier(olivia, orgs["ngo_a"])
    before = counts()
    refused = _run(olivia, orgs["ngo_a"], data, commit=True)
    assert not refused.committed and counts() == before
    assert {e.message for e in refused.errors} == {
        f"Your role in “{orgs['ngo_a'].name}” (organisation admin) does not import the casework "
        "of past years: these roles do: hotline operator, investigator, prosecutor, "
        "caseworker, shelter manager."
    }


def test_a_referral_or_a_service_before_the_opening_is_a_date_to_confirm(
    users, orgs, facility, login
):
    alice, ngo = users["alice"], orgs["ngo_a"]
    data = casework()
    # D-1 opened on 10 February: the shelter took her in on the 8th, referred the night before.
    data["referrals"][1][2] = datetime.date(YEAR, 2, 7).isoformat()
    data["referrals"][1][6] = datetime.date(YEAR, 2, 8).isoformat()
    data["services"][2][3] = datetime.date(YEAR, 2, 8).isoformat()
    result = _run(alice, ngo, data)
    assert result.errors == []
    assert [(w.sheet, w.row, w.column) for w in result.warnings] == [
        ("referrals", 2, "sent_on"),
        ("services", 3, "date"),
    ]
    assert result.warnings[0].message == (
        f"This date is before the dossier was opened ({datetime.date(YEAR, 2, 10).isoformat()})."
    )
    run, _result = services.check_upload(
        workbook(data), "c.xlsx", user=alice, organisation=ngo, register="casework"
    )
    assert run.status == ImportRun.Status.CHECKED and run.warning_count == 2
    with pytest.raises(services.NotConfirmed):
        services.commit_run(run, user=alice)
    assert services.commit_run(run, user=alice, confirm_warnings=True).committed
    stay = ShelterStay.objects.get()
    assert stay.admitted_on == datetime.date(YEAR, 2, 8)


def test_what_cannot_be_stays_an_error_in_the_casework(users, orgs, facility):
    data = casework()
    data["services"][2][4] = datetime.date(YEAR, 2, 11).isoformat()  # discharged before admitted
    data["referrals"][1][6] = datetime.date(YEAR, 2, 20).isoformat()  # accepted before sent
    result = _run(users["alice"], orgs["ngo_a"], data)
    assert {(e.sheet, e.row, e.column) for e in result.errors} == {
        ("services", 3, "end_date"),
        ("referrals", 2, "accepted_on"),
    }
    assert result.warnings == []


def test_a_referral_needs_its_status_and_every_sheet_is_checked_at_once(users, orgs, facility):
    data = casework()
    status = data["referrals"][0].index("status")
    for row in data["referrals"]:
        del row[status]
    data["dossiers"][0][1] = "ouverture?"  # opened_on missing, and an unknown column
    data["services"][1][3] = "le 25"  # a cell error in a sheet whose headers are right
    result = _run(users["alice"], orgs["ngo_a"], data)
    where = {(e.sheet, e.row, e.column) for e in result.errors}
    assert where == {
        ("dossiers", 1, "ouverture?"),
        ("dossiers", 1, "opened_on"),
        ("referrals", 1, "status"),
        ("services", 2, "date"),
    }
    by_column = {e.column: e for e in result.errors}
    # Every row of dossiers and referrals waits on those columns, and what names them.
    assert by_column["opened_on"].dependants >= 3
    assert by_column["status"].dependants == 3  # the referrals, not written without it
    assert Referral.objects.count() == 0
