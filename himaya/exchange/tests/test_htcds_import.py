"""An NGO's HTCDS workbook, filled from IOM's template with the quirks of real sheets, imports
through the casework register's engine: dry run with errors on the HTCDS sheet's own rows and
fields, all or nothing, idempotent re-import keyed by the case number, audited."""

import datetime

import pytest

from himaya.audit.models import AuditEvent
from himaya.cases.models import Dossier, IdentificationDecision
from himaya.exchange import reading, services
from himaya.exchange.htcds import fields, importing, reader
from himaya.exchange.models import ImportRun
from himaya.people.models import Person
from himaya.referrals.models import Referral

from .test_htcds_helpers import PLAIN_TEMPLATE, filled

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def ngo_rows():
    return [
        {
            "First Name": "  Amina ",
            "Second Name": "Diallo",
            "Birthdate": datetime.datetime(1999, 4, 2),
            "Gender": "Feminine",
            "Citizenship": "Guinea",
            "Trafficking Status": "Actual victim of trafficking",
            "vic_TraffickinStatusDecisionMakingOrg": "Police",
            "Type of Exploitation": "Sexual exploitation; forced LABOUR",
            "Methods of Control": "Debt bondage , Withholds documents",
            "Location of Exploitation": "Tangier, Tanger-Tétouan-Al Hoceïma, Morocco",
            "Location of Recruitment": "Conakry, Guinea",
            "Incoming Referral Date": 45337,  # an Excel serial: 2024-02-15
            "Forced Labour Industry": "Agriculture, forestry and fishing",
        },
        {
            "prs_FirstName": "فاطمة",
            "prs_SecondName": "الزهراء",
            "prs_Birthdate": "2001",
            "prs_Gender": "NonSpecifiedUnknown",
            "prs_Citizenship": "MA, Congo, Democratic Republic of the",
            "vic_TraffickingStatus": "possiblevictimoftrafficking",
            # A body that decides under the default configuration (an NGO does not: below).
            "vic_TraffickinStatusDecisionMakingOrg": "CourtOrProsecution",
            "vic_TypeOfExploitation": "Forced begging",
            "cas_IncomingReferralDate": "03/03/2024",
        },
    ]


def test_reader_turns_the_template_into_casework_rows(orgs):
    converted = reader.convert(filled(ngo_rows()), "cases.xlsx")
    assert converted.errors == []
    assert converted.source == "Case Sheet"
    assert converted.cases == 2  # the 998 rows numbered in advance are blank
    (n1, first), (n2, second) = converted.sheets["dossiers"]
    assert (n1, n2) == (3, 4)
    assert first["ref"] == "1" and first["given_name_lat"] == "Amina"
    assert first["opened_on"] == "2024-02-15" and first["birth_date"] == "1999-04-02"
    assert first["sex"] == "female" and first["citizenship"] == "GN"
    assert first["forms"] == "sexual; labour"
    assert first["exploitation_region"] == "tanger_tetouan_al_hoceima"
    assert (first["exploitation_city"], first["exploitation_country"]) == ("Tangier", "MA")
    assert (first["recruitment_city"], first["recruitment_country"]) == ("Conakry", "GN")
    assert second["given_name_ar"] == "فاطمة" and second["family_name_ar"] == "الزهراء"
    assert (second["birth_date"], second["birth_date_precision"]) == ("2001-01-01", "year")
    assert second["citizenship"] == "MA; CD" and second["forms"] == "begging"
    decisions = dict(converted.sheets["decisions"])
    assert decisions[3]["status"] == "actual" and decisions[3]["deciding_org_type"] == "police"
    assert (
        decisions[4]["status"] == "possible"
        and decisions[4]["deciding_org_type"] == "court_prosecution"
    )
    # The five sets of codes (methods of control, industry…): test_htcds_code_sets.py.


def test_the_plain_template_reads_the_same(orgs):
    plain = reader.convert(filled(ngo_rows(), name=PLAIN_TEMPLATE), "cases.xlsx")
    assert plain.source == "Sheet1" and plain.errors == []
    assert plain.sheets == reader.convert(filled(ngo_rows()), "x.xlsx").sheets


def test_unknown_values_and_dates_are_errors_on_the_htcds_row(orgs, users):
    rows = ngo_rows()
    rows[1]["prs_Gender"] = "Woman-ish"
    rows[1]["Methods of Control"] = "Threatens children/family; Sorcery"
    rows[0]["Incoming Referral Date"] = "31/02/2024"
    run, _converted = importing.check(
        filled(rows), "cases.xlsx", user=users["alice"], organisation=orgs["ngo_a"]
    )
    assert run.status == ImportRun.Status.REJECTED and not run.token
    found = {(e["sheet"], e["row"], e["column"]) for e in run.errors}
    assert found >= {
        ("Case Sheet", 3, "cas_IncomingReferralDate"),
        ("Case Sheet", 4, "prs_Gender"),
        ("Case Sheet", 4, "vic_MethodsOfControl"),
    }
    messages = " ".join(e["message"] for e in run.errors)
    assert "“Woman-ish” is not a value of the HTCDS list for prs_Gender." in messages
    assert "“Sorcery”" in messages
    assert Person.objects.count() == 0


def test_commit_is_idempotent_and_audited(orgs, users):
    data = filled(ngo_rows())
    alice, ngo = users["alice"], orgs["ngo_a"]
    run, _converted = importing.check(data, "cases.xlsx", user=alice, organisation=ngo)
    assert run.status == ImportRun.Status.CHECKED, run.errors
    assert run.requested_kind == importing.REQUESTED_KIND
    assert Dossier.objects.count() == 0  # a dry run writes nothing
    result = services.commit_run(run, user=alice)
    assert result.committed
    assert result.counts["dossiers"]["created"] == 2
    amina = Dossier.objects.get(opened_on=datetime.date(2024, 2, 15))
    assert amina.person.family_name_lat == "Diallo"
    assert amina.owner_org == ngo and amina.opened_on == datetime.date(2024, 2, 15)
    assert {c.code for c in amina.forms.all()} == {"sexual", "labour"}
    decision = IdentificationDecision.objects.get(dossier=amina)
    assert decision.status.code == "actual" and decision.organisation_type.code == "police"
    assert AuditEvent.objects.filter(action="open_dossier").count() == 2
    again, _converted = importing.check(data, "cases.xlsx", user=alice, organisation=ngo)
    result = services.commit_run(again, user=alice)
    assert result.committed and result.total("created") == 0
    assert result.total("unchanged") == 4
    assert Dossier.objects.count() == 2 and Person.objects.count() == 2


def test_one_bad_row_writes_nothing(orgs, users):
    rows = ngo_rows()
    rows[1]["cas_IncomingReferralDate"] = None  # no date the case was opened
    run, _converted = importing.check(
        filled(rows), "cases.xlsx", user=users["alice"], organisation=orgs["ngo_a"]
    )
    assert run.status == ImportRun.Status.REJECTED
    assert [(e["row"], e["column"]) for e in run.errors] == [(4, "cas_IncomingReferralDate")]
    assert Dossier.objects.count() == 0


def test_opened_on_from_the_page_when_the_sheet_has_none(orgs, users):
    rows = ngo_rows()
    rows[1]["cas_IncomingReferralDate"] = None
    run, _c = importing.check(
        filled(rows),
        "cases.xlsx",
        user=users["alice"],
        organisation=orgs["ngo_a"],
        opened_on=datetime.date(2024, 1, 5),
    )
    assert run.status == ImportRun.Status.CHECKED, run.errors


def test_outgoing_referral_with_its_service(orgs, users):
    rows = ngo_rows()[:1]
    rows[0].update(
        {
            "Consent": "TRUE",
            "Referred Organisation": "Dar Amane shelter",
            "Outgoing Referral Date": "2024-02-20",
            "Reason for Outgoing Referral": "Additional Services Required",
            "him_ReferralService": "shelter",
            "him_ReferralStatus": "accepted",
            "him_ReferralAcceptedOn": "2024-02-21",
        }
    )
    data = filled(
        rows, extra_headers=("him_ReferralService", "him_ReferralStatus", "him_ReferralAcceptedOn")
    )
    run, _c = importing.check(data, "c.xlsx", user=users["alice"], organisation=orgs["ngo_a"])
    assert run.status == ImportRun.Status.CHECKED, run.errors
    services.commit_run(run, user=users["alice"])
    referral = Referral.objects.get()
    assert referral.to_org == orgs["shelter"] and referral.status == "accepted"
    assert referral.consent is not None


def test_engine_errors_are_named_after_htcds_fields(orgs, users):
    rows = ngo_rows()[:1]
    rows[0]["vic_TraffickinStatusDecisionMakingOrg"] = None
    run, _c = importing.check(
        filled(rows), "c.xlsx", user=users["alice"], organisation=orgs["ngo_a"]
    )
    assert run.status == ImportRun.Status.REJECTED
    assert ("Case Sheet", 3, "vic_TraffickingStatusDecisionMakingOrg") in {
        (e["sheet"], e["row"], e["column"]) for e in run.errors
    }


def test_a_workbook_that_is_not_htcds_is_refused(orgs, users):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["ref", "opened_on"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(reading.FileRefused):
        importing.check(out.getvalue(), "x.xlsx", user=users["alice"], organisation=orgs["ngo_a"])


def test_an_ngo_assessment_is_imported_without_becoming_a_decision(users, orgs, settings):
    """HTCDS records who decided a trafficking status; under the default configuration an NGO
    takes no formal identification decision (the decision page's rule, issue 16). An NGO's
    workbook saying "decided by: NGO" still imports: the case and the person are recorded, the
    status is read, counted and said not to be a decision, and no decision is made up. Where a
    deployment lets NGOs decide (HIMAYA_DECIDING_ORG_TYPES), the same row is a decision."""
    rows = ngo_rows()
    rows[1]["vic_TraffickinStatusDecisionMakingOrg"] = "NGO"
    alice, ngo = users["alice"], orgs["ngo_a"]
    run, converted = importing.check(filled(rows), "cases.xlsx", user=alice, organisation=ngo)
    assert run.status == ImportRun.Status.CHECKED, run.errors
    assert converted.not_carried[fields.DECIDED_BY_NON_DECIDING_BODY] == 1
    decided = [values["dossier_ref"] for _row, values in converted.sheets["decisions"]]
    dossiers = [values["ref"] for _row, values in converted.sheets["dossiers"]]
    assert len(decided) == len(dossiers) - 1
    settings.HIMAYA_DECIDING_ORG_TYPES = settings.HIMAYA_DECIDING_ORG_TYPES | {"ngo"}
    run, converted = importing.check(filled(rows), "cases.xlsx", user=alice, organisation=ngo)
    assert run.status == ImportRun.Status.CHECKED, run.errors
    assert fields.DECIDED_BY_NON_DECIDING_BODY not in converted.not_carried
    assert len(converted.sheets["decisions"]) == len(dossiers)
