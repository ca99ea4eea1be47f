"""The casework of past years (exchange/casework.py): a workbook of dossiers (with their person),
identification decisions, referrals and services of last year, checked (row errors in the
user's language, nothing written), fixed, committed with its past dates, re-run (all
unchanged), all or nothing, counted by the figures of that year; imported only by the
organisation's own caseworkers and admins."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from himaya.audit.models import AuditEvent
from himaya.cases.models import Dossier
from himaya.exchange import services
from himaya.exchange.models import ImportedRecord, ImportRun
from himaya.people.models import Person
from himaya.referrals.models import (
    Facility,
    Referral,
    ReturnAssistance,
    ServiceRecord,
    ShelterStay,
)
from himaya.statistics import figures as statistics_figures
from himaya.testing import factories as f

from .casework_data import (
    XLSX,
    YEAR,
    broken,
    casework,
    check,
    counts,
    d,
    workbook,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def facility(orgs):
    return Facility.objects.create(
        organisation=orgs["ngo_a"],
        name_fr="Maison Amal",
        region=f.code("region", "casablanca_settat"),
        beds_women=4,
    )


@pytest.fixture
def fr_client(users, login):
    """Alice (NGO A), reading French."""
    alice = users["alice"]
    alice.preferred_language = "fr"
    alice.save()
    client = login(alice)
    client.cookies["django_language"] = "fr"
    return client


def _upload(client, data):
    return client.post(
        reverse("exchange:import"),
        {
            "file": SimpleUploadedFile("casework.xlsx", data, content_type=XLSX),
            "register": "casework",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )


@pytest.fixture
def rejected(fr_client, facility):
    """A workbook with three bad rows, dry-run."""
    before = counts()
    response = _upload(fr_client, workbook(broken()))
    return {"response": response, "run": ImportRun.objects.get(), "before": before}


@pytest.fixture
def fixed():
    """The workbook fixed, built once: the same bytes for each upload (a workbook's metadata
    carries the second it was written)."""
    return workbook(casework())


@pytest.fixture
def checked(fr_client, rejected, fixed):
    """... then the workbook fixed, dry-run."""
    before = counts()
    response = _upload(fr_client, fixed)
    return {
        "response": response,
        "run": ImportRun.objects.order_by("-pk").first(),
        "before": before,
    }


@pytest.fixture
def committed(fr_client, checked):
    """... then committed."""
    run = checked["run"]
    response = fr_client.post(reverse("exchange:commit", args=[run.pk]))
    run.refresh_from_db()
    dossiers = {
        r.external_ref: Dossier.objects.get(pk=r.object_id)
        for r in ImportedRecord.objects.filter(kind="dossiers", organisation=run.organisation)
    }
    return {"response": response, "run": run, "dossiers": dossiers}


@pytest.fixture
def rerun(fr_client, committed, fixed):
    """The same file again, dry-run."""
    written = counts()
    response = _upload(fr_client, fixed)
    return {
        "response": response,
        "run": ImportRun.objects.order_by("-pk").first(),
        "written": written,
    }


def test_the_import_page_offers_the_casework_register(fr_client):
    assert fr_client.get(reverse("exchange:import") + "?register=casework").status_code == 200


def test_the_dry_run_lists_every_bad_row_with_its_sheet_row_and_column(rejected):
    run = rejected["run"]
    assert rejected["response"].status_code == 302
    assert run.status == ImportRun.Status.REJECTED and run.requested_kind == "casework"
    where = {(e["sheet"], e["row"], e["column"]) for e in run.errors}
    assert where == {
        ("dossiers", 4, "sex"),
        ("services", 2, "date"),
        ("referrals", 3, "provider"),
    }


def test_rows_naming_a_bad_dossier_count_under_its_error(rejected):
    # The rows naming D-3 (a referral, its service) are not reported each: D-3's error counts
    # them.
    root = next(e for e in rejected["run"].errors if e["sheet"] == "dossiers")
    assert root["dependants"] >= 1


def test_row_errors_are_in_the_users_language(rejected):
    with translation.override("fr"):
        future = translation.gettext("The date cannot be in the future.")
    assert future.startswith("La date")
    assert [e["message"] for e in rejected["run"].errors if e["sheet"] == "services"] == [future]


def test_a_rejected_run_shows_its_errors_and_writes_nothing(fr_client, rejected):
    page = fr_client.get(reverse("exchange:run", args=[rejected["run"].pk]))
    assert page.status_code == 200 and b"martian" in page.content
    assert counts() == rejected["before"]


def test_a_fixed_workbook_passes_the_dry_run_and_writes_nothing(checked):
    assert checked["response"].status_code == 302
    assert checked["run"].status == ImportRun.Status.CHECKED, checked["run"].errors
    assert counts() == checked["before"]


def test_the_commit_writes_every_record_and_audits_it(committed):
    run = committed["run"]
    assert committed["response"].status_code == 302
    assert run.status == ImportRun.Status.COMMITTED
    assert run.created == 12 and run.counts["referrals"]["created"] == 3
    assert AuditEvent.objects.filter(action="open_dossier").count() == 3
    assert AuditEvent.objects.filter(action="send_referral").count() == 3


def test_an_imported_dossier_keeps_its_person_forms_stages_and_decisions(committed, orgs):
    one, ngo = committed["dossiers"]["D-1"], orgs["ngo_a"]
    assert one.owner_org == ngo and one.opened_on == datetime.date(YEAR, 2, 10)
    assert one.reference == f"HMY-{YEAR}-{one.pk:06d}"
    assert one.person.family_name_lat == "Benali" and one.person.registered_by == ngo
    assert [c.code for c in one.forms.all()] == ["sexual"]
    assert [(e.stage, e.on.isoformat()) for e in one.events.order_by("on", "pk")] == [
        ("screening", d(2, 10)),
        ("presumed", d(2, 20)),
        ("identified", d(3, 20)),
    ]
    decisions = list(one.decisions.order_by("decided_on"))
    assert [x.status.code for x in decisions] == ["possible", "actual"]
    assert decisions[1].organisation_type.code == "police"


def test_imported_referrals_keep_their_dates_consent_and_sharing(committed, orgs):
    dossiers = committed["dossiers"]
    r1 = Referral.objects.get(dossier=dossiers["D-1"])
    assert r1.status == "done" and timezone.localtime(r1.sent_at).date().isoformat() == d(2, 21)
    assert r1.consent is not None and r1.consent.given_on.isoformat() == d(2, 21)
    # Closed last year, as a referral done in the pages: its grant ended, the provider does not
    # see the dossier now.
    assert r1.grant.revoked_at is not None
    r2 = Referral.objects.get(dossier=dossiers["D-2"])
    assert r2.is_child and r2.guardian == "His father" and r2.rejection_reason == "no_capacity"
    r3 = Referral.objects.get(dossier=dossiers["D-3"])
    assert r3.to_org == orgs["ngo_b"] and r3.grant is not None  # still open: shared


def test_imported_stays_sessions_and_returns(committed, orgs, facility):
    one = committed["dossiers"]["D-1"]
    stay = ShelterStay.objects.get(dossier=one)
    assert (stay.facility, stay.admitted_on.isoformat()) == (facility, d(2, 12))
    assert ServiceRecord.objects.get(dossier=one).on.isoformat() == d(2, 25)
    assert ReturnAssistance.objects.get().partner == orgs["io"]


def test_the_same_file_again_is_recognised_as_already_imported(fr_client, rerun):
    again = rerun["run"]
    assert rerun["response"].status_code == 302
    assert again.status == ImportRun.Status.CHECKED
    assert again.created == 0 and again.updated == 0 and again.unchanged == 12
    page = fr_client.get(reverse("exchange:run", args=[again.pk]))
    assert b'data-testid="already-imported"' in page.content


def test_committing_the_same_file_again_writes_nothing(fr_client, rerun, figure):
    again = rerun["run"]
    assert fr_client.post(reverse("exchange:commit", args=[again.pk])).status_code == 302
    again.refresh_from_db()
    assert again.status == ImportRun.Status.COMMITTED and again.unchanged == 12
    assert counts() == rerun["written"]
    history = fr_client.get(reverse("exchange:history") + "?register=casework")
    assert history.content.count(b'data-testid="import-run"') == 3
    figure(
        "R2 casework: re-run of a 12-record workbook of last year → 0 duplicates, 0 updates, "
        f"{again.unchanged} unchanged"
    )


def test_a_changed_row_is_refused_not_overwritten(users, orgs, facility):
    alice, ngo = users["alice"], orgs["ngo_a"]
    _run, result = services.import_file(
        workbook(casework()),
        "c.xlsx",
        user=alice,
        organisation=ngo,
        commit=True,
        register="casework",
    )
    assert result.committed, result.errors
    data = casework()
    data["dossiers"][1][3] = "Benali-Idrissi"
    _run, result = services.import_file(
        workbook(data), "c.xlsx", user=alice, organisation=ngo, commit=True, register="casework"
    )
    assert not result.committed
    assert [(e.sheet, e.row) for e in result.errors] == [("dossiers", 2)]
    assert "Benali-Idrissi" in result.errors[0].message
    assert Person.objects.filter(registered_by=ngo).count() == 3


def test_all_or_nothing_an_error_on_row_7_writes_nothing(users, orgs, figure):
    alice, ngo = users["alice"], orgs["ngo_a"]
    rows = [["ref", "opened_on", "given_name_lat", "family_name_lat"]]
    rows += [[f"D-{i}", d(1, 10 + i), f"Name{i}", "X"] for i in range(1, 10)]
    rows[6][1] = d(1, 1, YEAR + 2)  # row 7 of the sheet: a dossier opened in the future
    before = counts()
    with translation.override("en"):
        _run, result = services.import_file(
            workbook({"dossiers": rows}),
            "c.xlsx",
            user=alice,
            organisation=ngo,
            commit=True,
            register="casework",
        )
    assert not result.committed
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("dossiers", 7, "opened_on")]
    assert counts() == before
    figure("R2 casework: an error on row 7 of 10 → 0 rows written")


def test_a_referral_to_an_unknown_provider_is_a_row_error(users, orgs):
    data = {
        "dossiers": casework()["dossiers"][:2],
        "referrals": [
            [
                "ref",
                "dossier_ref",
                "sent_on",
                "provider",
                "service",
                "status",
                "done_on",
                "accepted_on",
                "consent",
            ],
            [
                "R-9",
                "D-1",
                d(3, 1),
                "Association Nulle Part",
                "medical",
                "done",
                d(3, 9),
                d(3, 2),
                "yes",
            ],
        ],
    }
    with translation.override("en"):
        run, result = check(users["alice"], orgs["ngo_a"], data)
    assert run.status == ImportRun.Status.REJECTED
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("referrals", 2, "provider")]
    assert "Association Nulle Part" in result.errors[0].message
    assert Referral.objects.count() == 0


def test_the_figures_of_that_year_count_the_imported_records(users, orgs, facility):
    before_identified = statistics_figures.victims_identified_by_form(YEAR)["total"]
    before_referred = statistics_figures.persons_referred(YEAR)["total"]
    _run, result = services.import_file(
        workbook(casework()),
        "c.xlsx",
        user=users["alice"],
        organisation=orgs["ngo_a"],
        commit=True,
        register="casework",
    )
    assert result.committed, result.errors
    identified = statistics_figures.victims_identified_by_form(YEAR)
    assert identified["total"] == before_identified + 2  # D-1 (possible, then actual), D-2
    assert identified["by_form"]["sexual"] >= 1 and identified["by_form"]["labour"] >= 1
    assert statistics_figures.persons_referred(YEAR)["total"] == before_referred + 3
    assert statistics_figures.victims_identified_by_form(YEAR - 1)["total"] == 0


def test_another_organisation_cannot_import_into_yours(users, orgs, login):
    bob = users["bob"]  # caseworker of NGO B
    before = counts()
    with translation.override("en"):
        _run, result = services.import_file(
            workbook({"dossiers": casework()["dossiers"]}),
            "c.xlsx",
            user=bob,
            organisation=orgs["ngo_a"],
            commit=True,
            register="casework",
        )
    assert not result.committed
    # Said why: he is not a member of NGO A (its name only).
    assert {e.message for e in result.errors} == {
        f"You are not a member of “{orgs['ngo_a'].name}”."
    }
    assert counts() == before
    # On the page, NGO A is not a choice for him: the upload is refused, nothing is checked.
    client = login(bob)
    response = client.post(
        reverse("exchange:import"),
        {
            "file": SimpleUploadedFile("c.xlsx", workbook(casework()), content_type=XLSX),
            "register": "casework",
            "organisation": orgs["ngo_a"].pk,
        },
    )
    assert response.status_code == 400 and ImportRun.objects.count() == 1
    # Alice's casework run is not his to see; a justice member of a register office neither.
    run, _result = check(users["alice"], orgs["ngo_a"], casework())
    for name in ("bob", "paula", "carol", "ana", "charlie", "sam"):
        other = login(users[name])
        assert other.get(reverse("exchange:run", args=[run.pk])).status_code == 404, name
        assert other.post(reverse("exchange:commit", args=[run.pk])).status_code == 404, name


@pytest.mark.parametrize("name", ["charlie", "ana", "olivia"])
def test_who_may_not_import_casework_gets_404(users, login, name):
    client = login(users[name])
    for url in (
        reverse("exchange:import") + "?register=casework",
        reverse("exchange:history") + "?register=casework",
        reverse("exchange:documentation") + "?register=casework",
        reverse("exchange:template_xlsx") + "?register=casework",
        reverse("exchange:template_csv", args=["referrals"]) + "?register=casework",
    ):
        assert client.get(url).status_code == 404, url


@pytest.fixture
def dossiers_file(tmp_path):
    """The casework workbook's dossiers sheet alone, as a file."""
    path = tmp_path / "casework.xlsx"
    path.write_bytes(workbook({"dossiers": casework()["dossiers"]}))
    return path


def _import_command(path, org, username, *options, stdout=None):
    from django.core.management import call_command

    call_command(
        "import-justice",
        str(path),
        "--org",
        str(org.pk),
        "--user",
        username,
        "--register",
        "casework",
        *options,
        stdout=stdout or io.StringIO(),
    )


def test_the_command_takes_the_register(users, orgs, dossiers_file):
    out = io.StringIO()
    _import_command(dossiers_file, orgs["ngo_a"], "alice", "--commit", stdout=out)
    assert (
        "imported" in out.getvalue()
        and Dossier.objects.filter(owner_org=orgs["ngo_a"]).count() == 3
    )


def test_the_command_run_again_leaves_the_records_unchanged(users, orgs, dossiers_file):
    out = io.StringIO()
    _import_command(dossiers_file, orgs["ngo_a"], "alice", "--commit", stdout=out)
    _import_command(dossiers_file, orgs["ngo_a"], "alice", "--commit", stdout=out)
    assert "unchanged 3" in out.getvalue() and Dossier.objects.count() == 3


# Refusals say why: not a member; a role that opens no dossier (the organisation admin, as on
# the pages).
@pytest.mark.parametrize(
    ("name", "reason"), [("bob", "You are not a member of"), ("olivia", "Your role in")]
)
def test_the_command_says_why_it_refuses_a_user(users, orgs, dossiers_file, name, reason):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=reason):
        _import_command(dossiers_file, orgs["ngo_a"], name, "--commit")


def test_the_command_refuses_an_inactive_organisation(users, orgs, dossiers_file):
    from django.core.management.base import CommandError

    orgs["ngo_a"].active = False
    orgs["ngo_a"].save()
    with pytest.raises(CommandError, match="is inactive"):
        _import_command(dossiers_file, orgs["ngo_a"], "alice")


def test_templates_and_documentation_of_casework(users, login):
    client = login(users["alice"])
    page = client.get(reverse("exchange:documentation") + "?register=casework")
    assert page.status_code == 200
    for key in ("dossier_ref", "deciding_org_type", "rejection_reason", "bed_group"):
        assert key.encode() in page.content
    xlsx = client.get(reverse("exchange:template_xlsx") + "?register=casework")
    assert xlsx.status_code == 200 and "himaya-casework.xlsx" in xlsx["Content-Disposition"]
    # The blank workbook imports cleanly: no rows, no error but "no records".
    _run, result = services.import_file(
        xlsx.content,
        "blank.xlsx",
        user=users["alice"],
        organisation=users["alice"].memberships.get().organisation,
        commit=False,
        register="casework",
    )
    assert [e.row for e in result.errors] == [0]
    csv = client.get(reverse("exchange:template_csv", args=["services"]) + "?register=casework")
    assert csv.status_code == 200 and csv.content.decode("utf-8-sig").startswith("ref,dossier_ref")
    # The justice registers stay for justice members: 404 for her when she asks for them; the
    # import page without a register is her casework's.
    assert client.get(reverse("exchange:import") + "?register=justice").status_code == 404
    page = client.get(reverse("exchange:import")).content.decode()
    assert "casework of past years" in page
