"""One rule, one place (issue 16): each rule that a page and an import row both apply is driven
down BOTH paths here, the page's action and a row of the casework import, and gives the same
answer with the same message. The import runs as a dry run through the import service, as the
import page runs it."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone, translation

from himaya.cases import actions as case_actions
from himaya.cases.models import Dossier, Stage
from himaya.exchange import services
from himaya.referrals import actions as referral_actions
from himaya.referrals.models import Facility
from himaya.testing import factories as f

from .casework_data import workbook

pytestmark = pytest.mark.django_db

DOSSIER_HEADERS = ["ref", "opened_on", "given_name_lat", "family_name_lat", "sex", "birth_date"]
REFERRAL_HEADERS = [
    "ref",
    "dossier_ref",
    "sent_on",
    "provider",
    "service",
    "status",
    "consent",
    "guardian",
]
SERVICE_HEADERS = ["ref", "dossier_ref", "service", "date", "facility", "bed_group"]


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def today():
    return timezone.localdate()


def adult_birth():
    return datetime.date(1995, 3, 1)


def child_birth():
    return today() - datetime.timedelta(days=365 * 10)


def dossier_row(ref="D-1", *, born=None, opened_on=None):
    opened_on = opened_on or today() - datetime.timedelta(days=30)
    born = born or adult_birth()
    return [ref, opened_on.isoformat(), "Fatima", "Zahra", "female", born.isoformat()]


def imported(user, org, sheets):
    """The dry run's row errors, as (sheet, column, message)."""
    data = {name: [headers, *rows] for name, (headers, rows) in sheets.items()}
    with translation.override("en"):
        result = services.run_import(
            workbook(data),
            "casework.xlsx",
            user=user,
            organisation=org,
            commit=False,
            register="casework",
        )[1]
    return [(e.sheet, e.column, e.message) for e in result.errors]


def refused(call):
    """The messages an action's refusal gives, by field."""
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        call()
    exc = caught.value
    found = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    return {key: [m for e in errors for m in e.messages] for key, errors in found.items()}


def live_dossier(user, org, born):
    person = f.person(user, org, birth_date=born)
    return f.dossier(user, org, the_person=person, opened_on=today() - datetime.timedelta(days=30))


# --- The consent rule (S7) ---------------------------------------------------------------------


def _referral_row(consent, guardian=""):
    return [
        "R-1",
        "D-1",
        today().isoformat(),
        "NGO B",
        "psychosocial",
        "in progress",
        consent,
        guardian,
    ]


def test_an_adult_without_recorded_consent_is_refused_alike(users, orgs):
    alice, ngo = users["alice"], orgs["ngo_a"]
    dossier = live_dossier(alice, ngo, adult_birth())
    page = refused(
        lambda: referral_actions.send_referral(
            dossier, acting_user=alice, to_org=orgs["ngo_b"], service="psychosocial", reason="r"
        )
    )
    row = imported(
        alice,
        ngo,
        {
            "dossiers": (DOSSIER_HEADERS, [dossier_row()]),
            "referrals": (REFERRAL_HEADERS, [_referral_row("no")]),
        },
    )
    assert [m for ms in page.values() for m in ms] == [row[0][2]] and len(row) == 1
    assert row[0][2].startswith("The person has not consented to receiving services")


def test_consent_yes_records_the_consent_as_the_page_box_does(users, orgs):
    alice, ngo = users["alice"], orgs["ngo_a"]
    dossier = live_dossier(alice, ngo, adult_birth())
    sent = referral_actions.send_referral(
        dossier,
        acting_user=alice,
        to_org=orgs["ngo_b"],
        service="psychosocial",
        reason="r",
        consent={"given_by": "person", "given_on": today()},
    )
    assert sent.consent is not None
    row = imported(
        alice,
        ngo,
        {
            "dossiers": (DOSSIER_HEADERS, [dossier_row()]),
            "referrals": (REFERRAL_HEADERS, [_referral_row("yes")]),
        },
    )
    assert row == []


def test_a_child_is_referred_with_the_guardian_named_even_with_consent(users, orgs):
    """The import's copy let ``consent: yes`` stand for the guardian; the rule asks for both."""
    alice, ngo = users["alice"], orgs["ngo_a"]
    dossier = live_dossier(alice, ngo, child_birth())
    page = refused(
        lambda: referral_actions.send_referral(
            dossier,
            acting_user=alice,
            to_org=orgs["ngo_b"],
            service="psychosocial",
            reason="r",
            consent={"given_by": "guardian", "given_on": today()},
        )
    )
    row = imported(
        alice,
        ngo,
        {
            "dossiers": (DOSSIER_HEADERS, [dossier_row(born=child_birth())]),
            "referrals": (REFERRAL_HEADERS, [_referral_row("yes")]),
        },
    )
    assert page == {"guardian": ["A child is referred with the guardian recorded: name them."]}
    assert row == [("referrals", "guardian", page["guardian"][0])]


# --- A date in the future ----------------------------------------------------------------------


def test_a_session_in_the_future_is_refused_alike(users, orgs):
    alice, ngo = users["alice"], orgs["ngo_a"]
    dossier = live_dossier(alice, ngo, adult_birth())
    tomorrow = today() + datetime.timedelta(days=1)
    page = refused(
        lambda: referral_actions.record_session(
            dossier, acting_user=alice, kind="psychosocial", on=tomorrow
        )
    )
    row = imported(
        alice,
        ngo,
        {
            "dossiers": (DOSSIER_HEADERS, [dossier_row()]),
            "services": (
                SERVICE_HEADERS,
                [["S-1", "D-1", "psychosocial", tomorrow.isoformat(), "", ""]],
            ),
        },
    )
    assert page == {"on": ["The date cannot be in the future."]}
    assert row == [("services", "date", "The date cannot be in the future.")]


def test_a_referral_answered_before_it_was_sent_is_refused_alike(users, orgs):
    alice, bob = users["alice"], users["bob"]
    dossier = live_dossier(alice, orgs["ngo_a"], adult_birth())
    sent = f.referral(dossier, alice, orgs["ngo_b"])
    before = today() - datetime.timedelta(days=1)
    page = refused(
        lambda: referral_actions.do_accept_referral(
            sent, acting_user=bob, expected_version=sent.version, on=before
        )
    )
    row = imported(
        alice,
        orgs["ngo_a"],
        {
            "dossiers": (DOSSIER_HEADERS, [dossier_row()]),
            "referrals": (
                [*REFERRAL_HEADERS, "accepted_on"],
                [[*_referral_row("yes")[:5], "accepted", "yes", "", before.isoformat()]],
            ),
        },
    )
    assert page == {"accepted_on": ["This date is before the referral was sent."]}
    assert row == [("referrals", "accepted_on", page["accepted_on"][0])]


# --- The bed that fits the person ------------------------------------------------------------


def test_a_bed_that_does_not_fit_the_person_is_refused_alike(users, orgs):
    """The import's copy never checked the bed group against the person."""
    alice, bob = users["alice"], users["bob"]
    ngo = orgs["ngo_a"]
    facility = Facility.objects.create(
        organisation=ngo,
        name_fr="Maison Amal",
        region=f.code("region", "casablanca_settat"),
        beds_men=2,
        beds_women=2,
    )
    dossier = live_dossier(bob, orgs["ngo_b"], adult_birth())
    referral = f.referral(dossier, bob, ngo, service="shelter")
    referral = referral_actions.accept_referral(
        referral, acting_user=alice, expected_version=referral.version
    )
    page = refused(
        lambda: referral_actions.admit(
            referral, acting_user=alice, facility=facility, bed_group="men", admitted_on=today()
        )
    )
    row = imported(
        alice,
        ngo,
        {
            "dossiers": (DOSSIER_HEADERS, [dossier_row()]),
            "services": (
                SERVICE_HEADERS,
                [["S-1", "D-1", "shelter", today().isoformat(), facility.name, "men"]],
            ),
        },
    )
    assert list(page) == ["bed_group"] and page["bed_group"][0].startswith(
        "This bed does not fit the person"
    )
    assert row == [("services", "bed_group", page["bed_group"][0])]


# --- Dossiers and decisions ------------------------------------------------------------------

DECISION_HEADERS = ["ref", "dossier_ref", "decided_on", "status", "deciding_org_type", "reasons"]


def _decision_row(day, status="possible", body="police"):
    return ["ID-1", "D-1", day.isoformat(), status, body, "Indicators confirmed."]


def test_a_dossier_opened_in_the_future_is_refused_alike(users, orgs):
    alice, ngo = users["alice"], orgs["ngo_a"]
    tomorrow = today() + datetime.timedelta(days=1)
    person = f.person(alice, ngo)
    page = refused(
        lambda: case_actions.open_dossier(
            person, acting_user=alice, organisation=ngo, opened_on=tomorrow
        )
    )
    row = imported(alice, ngo, {"dossiers": (DOSSIER_HEADERS, [dossier_row(opened_on=tomorrow)])})
    assert page == {"opened_on": ["A dossier cannot be opened in the future."]}
    assert row == [("dossiers", "opened_on", page["opened_on"][0])]


def test_a_decision_in_the_future_is_refused_alike(users, orgs):
    carol, police = users["carol"], orgs["police"]
    dossier = live_dossier(carol, police, adult_birth())
    tomorrow = today() + datetime.timedelta(days=1)
    page = refused(
        lambda: case_actions.record_decision(
            dossier,
            acting_user=carol,
            organisation=police,
            status=f.code("trafficking_status", "possible"),
            decided_on=tomorrow,
            reasons="Indicators confirmed.",
        )
    )
    row = imported(
        users["alice"],
        orgs["ngo_a"],
        {
            "dossiers": (DOSSIER_HEADERS, [dossier_row()]),
            "decisions": (DECISION_HEADERS, [_decision_row(tomorrow)]),
        },
    )
    assert page == {"decided_on": ["A decision cannot be dated in the future."]}
    assert row == [("decisions", "decided_on", page["decided_on"][0])]


def test_the_deciding_organisation_rule_is_one_for_a_row_and_a_page(users, orgs):
    """A police officer decides, on the page and in a row naming the police; a caseworker of an
    NGO does not, and a row naming an NGO as the deciding body is refused by the same rule
    (the import's copy accepted "ngo")."""
    carol, alice = users["carol"], users["alice"]
    day = today() - datetime.timedelta(days=5)
    status = f.code("trafficking_status", "possible")
    decided = case_actions.record_decision(
        live_dossier(carol, orgs["police"], adult_birth()),
        acting_user=carol,
        organisation=orgs["police"],
        status=status,
        decided_on=day,
        reasons="Indicators confirmed.",
    )
    assert decided.organisation_type.code == "police"
    sheets = {"dossiers": (DOSSIER_HEADERS, [dossier_row()])}
    ok = imported(
        alice, orgs["ngo_a"], {**sheets, "decisions": (DECISION_HEADERS, [_decision_row(day)])}
    )
    assert ok == []
    with translation.override("en"):
        rule = case_actions.deciding_rule()
        with pytest.raises(PermissionDenied) as page:
            case_actions.record_decision(
                live_dossier(alice, orgs["ngo_a"], adult_birth()),
                acting_user=alice,
                organisation=orgs["ngo_a"],
                status=status,
                decided_on=day,
                reasons="Indicators confirmed.",
            )
    row = imported(
        alice,
        orgs["ngo_a"],
        {**sheets, "decisions": (DECISION_HEADERS, [_decision_row(day, body="ngo")])},
    )
    assert str(page.value).startswith(rule)
    assert row == [
        ("decisions", "deciding_org_type", f"{rule} “NGO” is not a body of these types.")
    ]
    named = imported(
        alice,
        orgs["ngo_a"],
        {
            **sheets,
            "decisions": (
                [*DECISION_HEADERS[:4], "deciding_organisation", "reasons"],
                [[*_decision_row(day)[:4], "NGO B", "Indicators confirmed."]],
            ),
        },
    )
    assert named == [
        (
            "decisions",
            "deciding_organisation",
            f"{rule} “{orgs['ngo_b'].name}” is not an organisation of these types.",
        )
    ]


def test_a_stage_move_dated_before_the_last_stage_is_refused_alike(users, orgs):
    """A "not a victim" decision moves the dossier's stage: dated before the stage it is at,
    the move cannot be, on the page as in a row."""
    carol, alice = users["carol"], users["alice"]
    last = today() - datetime.timedelta(days=5)
    earlier = today() - datetime.timedelta(days=10)
    status = f.code("trafficking_status", "not_victim")
    dossier = live_dossier(carol, orgs["police"], adult_birth())
    case_actions.change_stage(dossier, acting_user=carol, stage=Stage.ASSISTED, on=last, reason="x")
    page = refused(
        lambda: case_actions.record_decision(
            dossier,
            acting_user=carol,
            organisation=orgs["police"],
            status=status,
            decided_on=earlier,
            reasons="No indicator.",
        )
    )
    with translation.override("en"):
        services.run_import(
            workbook({"dossiers": [DOSSIER_HEADERS, dossier_row()]}),
            "dossiers.xlsx",
            user=alice,
            organisation=orgs["ngo_a"],
            commit=True,
            register="casework",
        )
    mine = Dossier.objects.get(owner_org=orgs["ngo_a"])
    case_actions.change_stage(mine, acting_user=alice, stage=Stage.ASSISTED, on=last, reason="x")
    row = imported(
        alice,
        orgs["ngo_a"],
        {"decisions": (DECISION_HEADERS, [_decision_row(earlier, status="not_victim")])},
    )
    message = f"This date is before the last stage ({last.isoformat()})."
    assert page == {"decided_on": [message]}
    assert row == [("decisions", "decided_on", message)]
