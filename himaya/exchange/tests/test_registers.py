"""Registers as clerks keep them (issue 16): the order of dates real registers record is a
warning the clerk confirms for the file, not a refusal; what cannot be stays an error; two
counts of one article and form; messages that say what is wrong once, and who holds a record
that was not transferred."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from himaya.exchange import engine, services
from himaya.exchange.models import ImportRun
from himaya.justice import actions as ja
from himaya.justice import models as jm
from himaya.testing.clock import freeze_localdate

from .helpers import justice_counts, sheets, workbook

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The registers are of 2024; "today" is fixed so that no test depends on the year it
    runs in."""
    return freeze_localdate(monkeypatch, TODAY)


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _import(users, orgs, data, commit=False, user="paula", org="parquet", **kw):
    with translation.override("en"):
        return services.run_import(
            workbook(data),
            "register.xlsx",
            user=users[user],
            organisation=orgs[org],
            commit=commit,
            **kw,
        )[1]


def in_flagrante():
    """The register of helpers.sheets(), with the orders registers do record: an arrest in
    flagrante (A1) and a prosecution seized directly (P1) before E-2024-01's recorded opening
    (12/01/2024), and a suspect named in a complaint before it."""
    data = sheets()
    data["arrestations"][1][4] = "10/01/2024"
    data["poursuites"][1][3] = "2024-01-05"
    data["suspects"][0].append("added_on")
    data["suspects"][1].append("2024-01-02")
    data["suspects"][2].append("")
    return data


def test_plausible_orders_are_warnings_listed_by_the_dry_run(users, orgs, figure):
    before = justice_counts()
    result = _import(users, orgs, in_flagrante())
    assert result.errors == []
    where = [(w.sheet, w.row, w.column) for w in result.warnings]
    assert where == [
        ("suspects", 2, "added_on"),
        ("arrestations", 2, "date"),
        ("poursuites", 2, "started_on"),
    ]
    assert result.warnings[1].message == "This date is before the opening (2024-01-12)."
    assert justice_counts() == before
    figure("Issue 16: 3 plausible dates before the opening → 3 warnings, 0 errors")


def test_the_commit_needs_the_confirmation_of_every_warning(users, orgs, login):
    client = login(users["paula"])
    run, result = services.check_upload(
        workbook(in_flagrante()),
        "register.xlsx",
        user=users["paula"],
        organisation=orgs["parquet"],
    )
    assert run.status == ImportRun.Status.CHECKED and run.warning_count == 3
    page = client.get(reverse("exchange:run", args=[run.pk])).content.decode()
    assert page.count('data-testid="run-warning"') == 3
    assert 'data-testid="confirm-warnings"' in page
    before = justice_counts()
    # Not confirmed: nothing is imported, the page says why, the run can still be committed.
    response = client.post(reverse("exchange:commit", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED and justice_counts() == before
    # Confirmed: the dates are recorded as the register says, and the run says so.
    client.post(reverse("exchange:commit", args=[run.pk]), {"confirm_warnings": "1"})
    run.refresh_from_db()
    assert run.status == ImportRun.Status.COMMITTED and run.warnings_confirmed
    arrest = jm.SuspectEvent.objects.get(external_ref="A1")
    assert arrest.on == datetime.date(2024, 1, 10)
    assert arrest.investigation.opened_on == datetime.date(2024, 1, 12)
    assert jm.Prosecution.objects.get(external_ref="P1").started_on == datetime.date(2024, 1, 5)


def test_a_warning_that_appears_after_the_check_refuses_the_commit(users, orgs):
    investigations = {"enquêtes": sheets()["enquêtes"]}
    assert _import(users, orgs, investigations, commit=True).committed
    rest = {k: v for k, v in sheets().items() if k != "enquêtes"}
    run, result = services.check_upload(
        workbook(rest), "rest.xlsx", user=users["paula"], organisation=orgs["parquet"]
    )
    assert run.status == ImportRun.Status.CHECKED and run.warning_count == 0
    # Between the check and the commit, the investigation's opening is corrected to a later
    # day (the page's action): the arrests of the file now come before it.
    inv = jm.Investigation.objects.get(external_ref="E-2024-01")
    ja.update_investigation(
        inv,
        acting_user=users["paula"],
        expected_version=inv.version,
        opened_on=datetime.date(2024, 1, 20),
        region=inv.region,
    )
    before = justice_counts()
    with translation.override("en"):
        result = services.commit_run(run, user=users["paula"])
    assert not result.committed
    assert result.errors and all(
        "was not confirmed when the file was checked" in e.message for e in result.errors
    )
    assert justice_counts() == before


def test_what_cannot_be_stays_an_error(users, orgs):
    data = in_flagrante()
    data["verdicts"][1][3] = "2024-01-03"  # a verdict before its prosecution (2024-01-05)
    data["sentences"].append(["T2", "D2", "6", "", ""])  # a sentence of an acquittal
    data["arrestations"].append(["A3", "S1", "E-2024-01", "release", "09/01/2024", ""])
    data["enquêtes"].append(["E-2024-03", "2025-07-01", "", "", ""])  # tomorrow
    result = _import(users, orgs, data)
    where = {(e.sheet, e.row, e.column) for e in result.errors}
    assert where == {
        ("enquêtes", 4, "opened_on"),
        ("arrestations", 4, "event"),  # a release before any arrest
        ("verdicts", 2, "decided_on"),
        ("sentences", 3, ""),
    }
    # The sentence of D1 depends on the failed verdict: counted there, not reported again.
    verdict = next(e for e in result.errors if e.sheet == "verdicts")
    assert verdict.dependants == 1
    assert "before the start of the prosecution" in verdict.message


def test_the_pages_keep_refusing_an_arrest_before_the_opening(users, orgs):
    """The live form calls the same action without ``warn``: the page still refuses the order
    the import lets a clerk confirm (noted for the justice app)."""
    inv = ja.open_investigation(
        acting_user=users["carol"],
        organisation=orgs["police"],
        opened_on=datetime.date(2024, 1, 12),
    )
    suspect = ja.add_suspect(
        inv,
        acting_user=users["carol"],
        added_on=datetime.date(2024, 1, 12),
        family_name_lat="Karim",
    )
    with pytest.raises(ValidationError) as exc:
        ja.record_suspect_event(
            inv, suspect, acting_user=users["carol"], kind="arrest", on=datetime.date(2024, 1, 10)
        )
    assert "on" in exc.value.error_dict
    seen = []
    event = ja.record_suspect_event(
        inv,
        suspect,
        acting_user=users["carol"],
        kind="arrest",
        on=datetime.date(2024, 1, 10),
        warn=lambda field, message: seen.append(field),
    )
    assert event.on == datetime.date(2024, 1, 10) and seen == ["on"]


# --- Counts ----------------------------------------------------------------------------------


def test_two_counts_of_one_article_and_form_are_two_charges(users, orgs):
    data = sheets()
    data["charges"] = [
        ["ref", "prosecution_ref", "article", "form", "chef n°"],
        ["C1", "P1", "448.1", "sexual", "1"],
        ["C1b", "P1", "448.1", "sexual", "2"],  # the second victim
        ["C2", "P2", "448.2", "labour", ""],
    ]
    data["verdicts"].append(["D3", "C1b", "convicted", "2024-06-10", ""])
    result = _import(users, orgs, data, commit=True)
    assert result.committed, result.errors
    counts = jm.Charge.objects.filter(prosecution__external_ref="P1").values_list(
        "count", flat=True
    )
    assert sorted(counts) == [1, 2]
    again = _import(users, orgs, data, commit=True)
    assert again.committed and again.counts["charges"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
    }
    # The same count twice is still one charge recorded twice: refused, with how to number.
    data["charges"].append(["C1c", "P1", "448.1", "sexual", "2"])
    refused = _import(users, orgs, data)
    assert [(e.sheet, e.row, e.column) for e in refused.errors] == [("charges", 5, "article")]
    assert "count number" in refused.errors[0].message
    # A sheet without the column keeps one count per article and form, as before.
    plain = sheets()
    plain["charges"].append(["C3", "P1", "448.1", "sexual"])
    assert [e.column for e in _import(users, orgs, plain).errors] == ["article"]


def test_the_export_keeps_the_count(users, orgs):
    from himaya.exchange import export

    data = sheets()
    data["charges"] = [
        ["ref", "prosecution_ref", "article", "form", "count"],
        ["C1", "P1", "448.1", "sexual", "1"],
        ["C1b", "P1", "448.1", "sexual", "2"],
        ["C2", "P2", "448.2", "labour", "1"],
    ]
    assert _import(users, orgs, data, commit=True).committed
    rows = next(rows for kind, rows in export.export_rows(users["paula"]) if kind.key == "charges")
    assert sorted(r["count"] for r in rows) == [1, 1, 2]


# --- Messages ----------------------------------------------------------------------------------


def test_an_investigation_not_transferred_names_who_holds_it(users, orgs):
    ja.open_investigation(
        acting_user=users["carol"],
        organisation=orgs["police"],
        opened_on=datetime.date(2024, 1, 12),
        external_ref="i00119",
    )
    data = {
        "poursuites": [
            ["ref", "suspect_ref", "investigation_ref", "started_on"],
            ["P1", "S1", "i00119", "2024-02-01"],
        ]
    }
    with translation.override("en"):
        result = _import(users, orgs, data)
    messages = [(e.column, e.message) for e in result.errors]
    assert (
        "investigation_ref",
        f"Investigation “i00119” is held by {orgs['police'].name} and was not transferred to "
        "your organisation: ask them to transfer it in Himaya, or add it to the file if it is "
        "yours.",
    ) in messages
    # Nothing else of it is told: not its dates, region, suspects.
    assert "2024" not in " ".join(m for _c, m in messages)
    # A reference nobody has keeps the plain message.
    data["poursuites"][1][2] = "i00999"
    result = _import(users, orgs, data)
    assert any("No investigations with reference “i00999”" in e.message for e in result.errors)


def test_a_root_error_is_reported_once_with_its_dependants(users, orgs, figure):
    data = sheets()
    data["enquêtes"][1][1] = "31/02/2024"  # E-2024-01: not a date
    result = _import(users, orgs, data)
    assert len(result.errors) == 1
    root = result.errors[0]
    assert (root.sheet, root.row, root.column) == ("enquêtes", 2, "opened_on")
    # S1 (only in E-2024-01), its arrest, A2 (S2 in E-2024-01), both prosecutions, both charges,
    # both verdicts, the sentence: S2 also names E-2024-02 but fails with the first.
    assert root.dependants == 11
    figure(f"Issue 16: 1 bad date → 1 error line 'and {root.dependants} rows that depend on it'")


def test_every_sheet_header_problem_is_reported_at_once(users, orgs):
    data = sheets()
    data["suspects"][0][1] = "enquete liee"  # unknown; investigation_ref now missing
    data["charges"][0][3] = "forme?"  # unknown; form missing
    data["verdicts"][2][3] = "not a date"  # a cell error in another sheet
    data["arrestations"][2][4] = "32/01/2024"  # a cell error in a sheet without header problem
    result = _import(users, orgs, data)
    where = {(e.sheet, e.row, e.column) for e in result.errors}
    assert {
        ("suspects", 1, "enquete liee"),
        ("suspects", 1, "investigation_ref"),
        ("charges", 1, "forme?"),
        ("charges", 1, "form"),
        ("verdicts", 3, "decided_on"),
        ("arrestations", 3, "date"),
    } == where
    missing = next(e for e in result.errors if e.column == "investigation_ref")
    assert missing.dependants >= 2  # the two suspects, and what names them


def test_engine_reports_unconfirmed_warnings_as_errors(users, orgs):
    """The engine's own contract: a commit confirms the warnings it is given, by key."""
    from himaya.exchange.justice import KINDS
    from himaya.exchange.reading import read

    _fmt, sheets_ = read(workbook(in_flagrante()), "r.xlsx")
    dry = engine.run(sheets_, KINDS, user=users["paula"], organisation=orgs["parquet"])
    keys = [w.key for w in dry.warnings]
    partial = engine.run(
        sheets_,
        KINDS,
        user=users["paula"],
        organisation=orgs["parquet"],
        commit=True,
        confirmed=keys[:2],
    )
    assert not partial.committed
    assert [(e.sheet, e.row, e.column) for e in partial.errors] == [keys[2]]
    full = engine.run(
        sheets_,
        KINDS,
        user=users["paula"],
        organisation=orgs["parquet"],
        commit=True,
        confirmed=[list(k) for k in keys],  # as the run keeps them (JSON)
    )
    assert full.committed and full.errors == []


def test_refusals_say_why(users, orgs):
    from himaya.exchange import permissions

    with translation.override("en"):
        assert permissions.refusal(users["paula"], orgs["parquet"], "justice") is None
        assert "not a member" in permissions.refusal(users["carol"], orgs["parquet"], "justice")
        reason = permissions.refusal(users["alice"], orgs["ngo_a"], "justice")
        assert "keeps no justice register" in reason
        reason = permissions.refusal(users["olivia"], orgs["ngo_a"], "casework")
        assert "organisation admin" in reason and "caseworker" in reason
        m = users["paula"].memberships.get(organisation=orgs["parquet"])
        m.active = False
        m.save()
        users["paula"].__dict__.pop("_himaya_memberships", None)
        assert "membership" in permissions.refusal(users["paula"], orgs["parquet"], "justice")
        orgs["police"].active = False
        orgs["police"].save()
        users["carol"].__dict__.pop("_himaya_memberships", None)
        assert "inactive" in permissions.refusal(users["carol"], orgs["police"], "justice")


def test_the_command_lists_warnings_and_commits_them_only_when_confirmed(users, orgs, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "register.xlsx"
    path.write_bytes(workbook(in_flagrante()))
    args = ["import-justice", str(path), "--org", str(orgs["parquet"].pk), "--user", "paula"]
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    assert err.getvalue().count("warning ") == 3
    assert "3 warning(s): confirm them with --confirm-warnings" in out.getvalue()
    before = justice_counts()
    with pytest.raises(CommandError, match="error"):
        call_command(*args, "--commit", stdout=io.StringIO(), stderr=io.StringIO())
    after = justice_counts()
    assert after.pop("exchange.ImportRun") == before.pop("exchange.ImportRun") + 1  # rejected
    assert after == before
    out = io.StringIO()
    call_command(*args, "--commit", "--confirm-warnings", stdout=out, stderr=io.StringIO())
    assert "imported" in out.getvalue()
    assert jm.SuspectEvent.objects.get(external_ref="A1").on == datetime.date(2024, 1, 10)
    run = ImportRun.objects.filter(status=ImportRun.Status.COMMITTED).get()
    assert run.warnings_confirmed and run.warning_count == 3
