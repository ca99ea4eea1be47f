"""What HTCDS records of a case beside its forms (vic_TypeOfSexExploitation,
vic_ForcedLabourIndustry, vic_MethodOfRecruitment, vic_MethodsOfControl, vic_Vulnerabilities):
read from the template as NGOs fill it, landed on the dossier, written back by the export, the
same after a round trip; left out of an analyst's de-identified rows where the dossier's page
hides them (sexual exploitation details, vulnerabilities)."""

import datetime

import pytest

from himaya.cases.models import Dossier
from himaya.exchange import services
from himaya.exchange.htcds import export, fields, importing, reader, standard
from himaya.exchange.models import ImportRun

from .test_htcds_helpers import filled
from .test_htcds_import import ngo_rows

# The dossiers kind of the casework register takes a column for each set (exchange/casework.py).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        reader.declared_code_sets() != set(fields.CODE_SETS),
        reason="the casework register's dossiers kind has no columns for the HTCDS code sets",
    ),
]


# The templates have no column for the standard's vic_Vulnerabilities: NGOs add it.
VULNERABILITIES = ("vic_Vulnerabilities",)


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def rows():
    rows = ngo_rows()
    rows[0].update(
        {
            "Method of Recruitment": (
                "Through online social networks;Through friends or social events"
            ),
            "Type of Sex Exploitation": " prostitution ",
            "vic_Vulnerabilities": "Poverty\nMigration",
            "Forced Labour Industry": "Agriculture, forestry and fishing",
        }
    )
    rows[1]["vic_MethodsOfControl"] = "FalsePromises"
    rows[1]["vic_Vulnerabilities"] = "Abuse - physical | Education"
    return rows


def commit(user, org, data, name="cases.xlsx"):
    run, converted = importing.check(data, name, user=user, organisation=org)
    assert run.status == ImportRun.Status.CHECKED, run.errors
    result = services.commit_run(run, user=user)
    assert result.committed
    return result, converted


def codes(dossier, name):
    return sorted(c.code for c in getattr(dossier, name).all())


def test_an_htcds_row_lands_on_the_dossier(users, orgs):
    alice, ngo = users["alice"], orgs["ngo_a"]
    _result, converted = commit(alice, ngo, filled(rows(), extra_headers=VULNERABILITIES))
    assert converted.not_carried == {}
    amina = Dossier.objects.get(opened_on=datetime.date(2024, 2, 15))
    assert codes(amina, "control_methods") == ["debt_bondage", "withholds_documents"]
    assert codes(amina, "recruitment_methods") == ["friends", "social_network"]
    assert codes(amina, "sex_exploitation_types") == ["prostitution"]
    assert codes(amina, "vulnerabilities") == ["migration", "poverty"]
    assert codes(amina, "industries") == ["A"]
    fatima = Dossier.objects.exclude(pk=amina.pk).get()
    assert codes(fatima, "control_methods") == ["false_promises"]
    assert codes(fatima, "vulnerabilities") == ["abuse_physical", "education"]
    assert codes(fatima, "industries") == []
    # The same file again changes nothing; a changed set is refused, not overwritten.
    again, _c = commit(alice, ngo, filled(rows(), extra_headers=VULNERABILITIES))
    assert again.total("created") == 0 and again.total("unchanged") == 4
    changed = rows()
    changed[0]["vic_Vulnerabilities"] = "Poverty"
    run, _c = importing.check(
        filled(changed, extra_headers=VULNERABILITIES), "cases.xlsx", user=alice, organisation=ngo
    )
    assert run.status == ImportRun.Status.REJECTED
    (error,) = run.errors
    assert (error["sheet"], error["row"]) == ("Case Sheet", 3)
    assert "vulnerabilities: recorded “migration, poverty”" in error["message"]
    assert codes(Dossier.objects.get(pk=amina.pk), "vulnerabilities") == ["migration", "poverty"]


def test_a_wrong_value_is_an_error_on_its_htcds_cell(users, orgs):
    bad = rows()
    bad[1]["vic_MethodOfRecruitment"] = "By carrier pigeon"
    run, _c = importing.check(
        filled(bad, extra_headers=VULNERABILITIES),
        "cases.xlsx",
        user=users["alice"],
        organisation=orgs["ngo_a"],
    )
    assert run.status == ImportRun.Status.REJECTED
    assert [(e["row"], e["column"]) for e in run.errors] == [(4, "vic_MethodOfRecruitment")]
    assert Dossier.objects.count() == 0


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_writes_them_back_and_the_round_trip_keeps_them(users, orgs, fmt):
    commit(users["alice"], orgs["ngo_a"], filled(rows(), extra_headers=VULNERABILITIES))
    first = export.rows(Dossier.objects.filter(owner_org=orgs["ngo_a"]), identified=True)
    amina = next(r for r in first if r.get("prs_SecondName") == "Diallo")
    assert amina["vic_MethodsOfControl"] == "Debt bondage; Withholds documents"
    assert amina["vic_MethodOfRecruitment"] == (
        "Through online social networks; Through friends or social events"
    )
    assert amina["vic_TypeOfSexExploitation"] == "Prostitution"
    assert amina["vic_Vulnerabilities"] == "Poverty; Migration"
    assert amina["vic_ForcedLabourIndustry"] == "Agriculture, forestry and fishing"
    data = export.workbook(first) if fmt == "xlsx" else export.csv_text(first)
    commit(users["bob"], orgs["ngo_b"], data, name=f"export.{fmt}")
    again = export.rows(Dossier.objects.filter(owner_org=orgs["ngo_b"]), identified=True)
    key = standard.CASE_ID
    assert sorted(again, key=lambda r: r[key]) == sorted(first, key=lambda r: r[key])


def test_several_industries_go_out_and_back(users, orgs):
    several = rows()[:1]
    several[0]["Forced Labour Industry"] = "Agriculture, forestry and fishing; Construction"
    commit(users["alice"], orgs["ngo_a"], filled(several, extra_headers=VULNERABILITIES))
    first = export.rows(Dossier.objects.filter(owner_org=orgs["ngo_a"]), identified=True)
    assert first[0]["vic_ForcedLabourIndustry"] == "Agriculture, forestry and fishing; Construction"
    commit(users["bob"], orgs["ngo_b"], export.workbook(first), name="export.xlsx")
    assert codes(Dossier.objects.get(owner_org=orgs["ngo_b"]), "industries") == ["A", "F"]


def test_deidentified_rows_leave_out_what_the_page_hides(users, orgs):
    commit(users["alice"], orgs["ngo_a"], filled(rows(), extra_headers=VULNERABILITIES))
    deidentified = export.rows(Dossier.objects.all(), identified=False)
    amina = next(r for r in deidentified if r.get("vic_ForcedLabourIndustry"))
    assert amina["vic_MethodsOfControl"] == "Debt bondage; Withholds documents"
    for name in fields.IDENTIFIED_ONLY:
        assert all(name not in r for r in deidentified)
