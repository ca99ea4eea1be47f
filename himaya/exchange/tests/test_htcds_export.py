"""HTCDS out: the caseworker's export re-imports into a clean organisation as the same records;
the analyst's export is de-identified; the CTDC extract is k-anonymous (k = 11) and says what it
generalised and withheld."""

import datetime
import io
import random
from collections import Counter

import pytest
from openpyxl import load_workbook

from himaya.cases.actions import record_decision
from himaya.cases.models import Dossier
from himaya.exchange import services
from himaya.exchange.htcds import ctdc, export, importing, standard
from himaya.exchange.models import ImportRun
from himaya.people.actions import link_same_person
from himaya.testing import factories as f

from .test_htcds_helpers import filled
from .test_htcds_import import ngo_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def imported(user, org, data, name="cases.xlsx"):
    run, _c = importing.check(data, name, user=user, organisation=org)
    assert run.status == ImportRun.Status.CHECKED, run.errors
    assert services.commit_run(run, user=user).committed


def caseload(users, orgs):
    rows = ngo_rows()
    rows[0].update(
        {
            "Consent": "TRUE",
            "Referred Organisation": "Dar Amane shelter",
            "Outgoing Referral Date": "2024-02-20",
            "him_ReferralService": "shelter",
            "him_ReferralStatus": "accepted",
            "him_ReferralAcceptedOn": "2024-02-21",
        }
    )
    extra = ("him_ReferralService", "him_ReferralStatus", "him_ReferralAcceptedOn")
    imported(users["alice"], orgs["ngo_a"], filled(rows, extra_headers=extra))


def own_rows(org):
    return export.rows(Dossier.objects.filter(owner_org=org), identified=True)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_reimported_gives_the_same_records(users, orgs, fmt):
    caseload(users, orgs)
    first = own_rows(orgs["ngo_a"])
    assert len(first) == 2
    data = export.workbook(first) if fmt == "xlsx" else export.csv_text(first)
    imported(users["bob"], orgs["ngo_b"], data, name=f"export.{fmt}")
    again = own_rows(orgs["ngo_b"])
    key = standard.CASE_ID
    assert sorted(again, key=lambda r: r[key]) == sorted(first, key=lambda r: r[key])
    amina = next(r for r in again if r.get("prs_SecondName") == "Diallo")
    assert amina["prs_Birthdate"] == datetime.date(1999, 4, 2)
    assert amina["vic_TypeOfExploitation"] == "Sexual exploitation; Forced labour"
    assert amina["him_ReferralStatus"] == "accepted"


def test_the_template_layout(users, orgs):
    caseload(users, orgs)
    wb = load_workbook(io.BytesIO(export.workbook(own_rows(orgs["ngo_a"]))))
    ws = wb["Case Sheet"]
    row1 = [c.value or "" for c in ws[1]][: len(standard.FIELD_ROW)]
    row2 = [c.value or "" for c in ws[2]][: len(standard.LABEL_ROW)]
    assert tuple(row1) == standard.FIELD_ROW and tuple(row2) == standard.LABEL_ROW
    assert ws.cell(row=3, column=1).value in {"1", "2"}


def test_deidentified_rows_carry_no_identity(users, orgs):
    caseload(users, orgs)
    rows = export.rows(Dossier.objects.all(), identified=False)
    text = repr(rows)
    for secret in ("Amina", "Diallo", "فاطمة", "Conakry", "Tangier,", "1999-04-02", "HTCDS:"):
        assert secret not in text
    assert {r.get("prs_Birthdate") for r in rows} == {1999, 2001}
    assert all(r[standard.CASE_ID].startswith("C") for r in rows)


# --- CTDC ---------------------------------------------------------------------------------------


def synthetic(n, seed=7):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        labour = rng.random() < 0.5
        out.append(
            {
                "yearOfRegistration": rng.choice([2021, 2022, 2023]),
                "gender": rng.choice(["Female", "Male"]),
                "ageBroad": rng.choice([15, 22, 25, 31, 40, 50]),
                "citizenship": rng.choice(["MA", "NG", "GN", "CI", "SN", "PH", "SY"]),
                "CountryOfExploitation": rng.choice(["MA", "MA", "MA", "ES"]),
                "isForcedLabour": int(labour),
                "isSexualExploitation": int(not labour),
                "isOtherExploit": 0,
            }
        )
    return out


def test_every_combination_occurs_at_least_k_times():
    raw = synthetic(600)
    extract = ctdc.anonymise(raw)
    classes = Counter(ctdc.key(r) for r in extract.records)
    assert classes and min(classes.values()) >= 11
    assert ctdc.check(extract)
    assert extract.withheld == 600 - len(extract.records)
    assert extract.withheld <= 0.05 * 600
    assert extract.steps  # 7 citizenships × 6 ages × … cannot stay as they are
    assert all(
        r["citizenship"] not in {"MA", "NG"} or extract.levels["citizenship"] == 0
        for r in extract.records
    )


def test_a_unique_record_is_generalised_or_withheld():
    raw = synthetic(300)
    raw.append({**raw[0], "citizenship": "IS", "ageBroad": 90})
    extract = ctdc.anonymise(raw)
    assert ctdc.check(extract)
    assert not any(r["citizenship"] == "IS" for r in extract.records)
    assert extract.total == 301


def test_a_victim_recorded_twice_is_one_record(users, orgs):
    """Two dossiers of one person, then a second record of her linked as the same person: one
    record, read off the dossier of her first positive decision, with the forms of all three
    dossiers and the sex, birth date and citizenship of the record the other is linked to."""
    carol, police = users["carol"], orgs["police"]
    D = datetime.date

    def victim(person, forms, opened_on, decided_on):
        dossier = f.dossier(carol, police, the_person=person, forms=forms, opened_on=opened_on)
        record_decision(
            dossier,
            acting_user=carol,
            organisation=police,
            status=f.code("trafficking_status", "possible"),
            decided_on=decided_on,
            reasons="x",
        )

    ng = [f.code("country", "NG")]
    her = f.person(carol, police, citizenships=ng, birth_date=D(2000, 1, 1))
    again = f.person(
        carol, police, sex=f.code("sex", "male"), birth_date=D(1980, 1, 1), given_name_lat="F"
    )
    victim(her, ("sexual",), D(2022, 6, 1), D(2022, 7, 1))
    victim(her, ("sexual",), D(2023, 1, 1), D(2023, 2, 1))
    victim(again, ("begging",), D(2021, 3, 1), D(2022, 1, 10))
    assert len(ctdc.records(Dossier.objects.all())) == 2  # two persons until linked

    link_same_person(again, her, acting_user=carol)
    (rec,) = ctdc.records(Dossier.objects.all())
    assert rec["yearOfRegistration"] == 2021  # the dossier of the first decision (10 Jan 2022)
    assert (rec["gender"], rec["citizenship"], rec["ageBroad"]) == ("Female", "NG", 22)
    # begging is a form of forced labour; the sexual exploitation of her other dossiers counts
    assert (rec["isForcedLabour"], rec["isSexualExploitation"], rec["isOtherExploit"]) == (1, 1, 0)
    extract = ctdc.build(Dossier.objects.all())
    assert (extract.total, extract.withheld) == (1, 1)


def test_too_few_victims_are_all_withheld(users, orgs):
    caseload(users, orgs)
    extract = ctdc.build(Dossier.objects.all())
    assert (extract.total, len(extract.records), extract.withheld) == (2, 0, 2)
    lines = ctdc.report_lines(extract)
    assert "withheld: 2" in lines[1]


def test_regions():
    assert ctdc.subregion("MA") == "Northern Africa"
    assert ctdc.subregion("NG") == "Sub-Saharan Africa"
    assert ctdc.continent("FR") == "Europe" and ctdc.continent("PH") == "Asia"
    assert ctdc.age_band(17) == "9--17" and ctdc.age_band(48) == "48+"
