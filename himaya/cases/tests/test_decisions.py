"""Identification decisions: who may decide, how a decision moves the stage, reviews of a
negative decision, and the dates a decision may carry."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from himaya.audit.models import AuditEvent
from himaya.cases import actions
from himaya.cases.actions import record_decision
from himaya.cases.models import IdentificationDecision, Stage, StageEvent
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def status(value):
    return f.code("trafficking_status", value)


@pytest.fixture
def police_dossier(users, orgs):
    return f.dossier(
        users["carol"],
        orgs["police"],
        opened_on=TODAY - datetime.timedelta(days=40),
        exploitation_region=f.code("region", "tanger_tetouan_al_hoceima"),
    )


def decide(dossier, user, org, value, days_ago=0, reasons="Indicators met", **kwargs):
    return record_decision(
        dossier,
        acting_user=user,
        organisation=org,
        status=status(value),
        decided_on=TODAY - datetime.timedelta(days=days_ago),
        reasons=reasons,
        **kwargs,
    )


def stages(dossier):
    return list(StageEvent.objects.filter(dossier=dossier).values_list("stage", flat=True))


def test_a_police_decision_moves_the_stage_and_is_audited(users, orgs, police_dossier):
    carol = users["carol"]
    possible = decide(police_dossier, carol, orgs["police"], "possible", days_ago=30)
    assert possible.organisation_type.code == "police"
    assert stages(police_dossier) == ["screening", "presumed"]
    actual = decide(police_dossier, carol, orgs["police"], "actual", days_ago=2)
    assert stages(police_dossier) == ["screening", "presumed", "identified"]
    event = StageEvent.objects.filter(dossier=police_dossier).last()
    assert event.on == actual.decided_on and event.organisation == orgs["police"]
    assert event.reason == ""  # the ordinary path needs no reason
    assert AuditEvent.objects.filter(
        action="record_decision", object_id=str(actual.pk), organisation_id=orgs["police"].pk
    ).exists()
    assert list(police_dossier.decisions.all()) == [possible, actual]


def test_a_decision_matching_the_stage_writes_no_stage_event(users, orgs, police_dossier):
    carol = users["carol"]
    actions.change_stage(police_dossier, acting_user=carol, stage=Stage.PRESUMED)
    decide(police_dossier, carol, orgs["police"], "possible")
    assert stages(police_dossier) == ["screening", "presumed"]
    # A positive decision never takes an assisted victim back.
    actions.change_stage(police_dossier, acting_user=carol, stage=Stage.IDENTIFIED)
    actions.change_stage(police_dossier, acting_user=carol, stage=Stage.ASSISTED)
    decide(police_dossier, carol, orgs["police"], "actual")
    assert stages(police_dossier)[-1] == "assisted"


def test_a_negative_decision_is_reviewed_and_the_history_stays(users, orgs, police_dossier):
    carol, paula = users["carol"], users["paula"]
    negative = decide(police_dossier, carol, orgs["police"], "not_victim", days_ago=20)
    assert stages(police_dossier)[-1] == "not_victim"
    with pytest.raises(ValidationError) as exc:
        decide(police_dossier, carol, orgs["police"], "actual", days_ago=1)
    assert "reviews" in exc.value.error_dict
    # The prosecution reviews it, through a grant that includes the identity.
    actions.grant_access(
        police_dossier, acting_user=carol, organisation=orgs["parquet"], reason="review"
    )
    review = decide(police_dossier, paula, orgs["parquet"], "actual", days_ago=1, reviews=negative)
    assert review.organisation_type.code == "court_prosecution"
    assert stages(police_dossier) == ["screening", "not_victim", "identified"]
    event = StageEvent.objects.filter(dossier=police_dossier).last()
    # Leaving an end stage needs a reason: the decision gives it; the prosecution signs it.
    assert event.reason and event.organisation == orgs["parquet"] and event.actor == paula
    negative.refresh_from_db()
    assert negative.status.code == "not_victim" and negative.review == review
    assert IdentificationDecision.objects.filter(dossier=police_dossier).count() == 2


def test_only_the_latest_negative_decision_is_reviewed(users, orgs, police_dossier):
    carol = users["carol"]
    possible = decide(police_dossier, carol, orgs["police"], "possible", days_ago=10)
    with pytest.raises(ValidationError, match="negative"):
        decide(police_dossier, carol, orgs["police"], "actual", reviews=possible)
    negative = decide(police_dossier, carol, orgs["police"], "not_victim", days_ago=5)
    upheld = decide(police_dossier, carol, orgs["police"], "not_victim", reviews=negative)
    assert stages(police_dossier)[-1] == "not_victim"  # upheld: the stage stays
    with pytest.raises(ValidationError, match="latest"):
        decide(police_dossier, carol, orgs["police"], "actual", reviews=negative)
    decide(police_dossier, carol, orgs["police"], "possible", reviews=upheld)
    assert stages(police_dossier)[-1] == "presumed"


@pytest.mark.parametrize("name", ["alice", "bob", "ana", "harry", "charlie", "root"])
def test_who_cannot_decide_writes_nothing(users, orgs, name):
    dossier = f.dossier(users["alice"], orgs["ngo_a"])
    before = (StageEvent.objects.count(), IdentificationDecision.objects.count())
    with pytest.raises(PermissionDenied):
        decide(dossier, users[name], orgs["ngo_a"], "actual")
    assert (StageEvent.objects.count(), IdentificationDecision.objects.count()) == before


def test_the_police_decides_on_an_ngo_dossier_only_with_an_identity_grant(users, orgs):
    alice, carol = users["alice"], users["carol"]
    dossier = f.dossier(alice, orgs["ngo_a"])
    with pytest.raises(PermissionDenied):
        decide(dossier, carol, orgs["police"], "possible")
    grant = actions.grant_access(
        dossier,
        acting_user=alice,
        organisation=orgs["police"],
        reason="statistics",
        with_identity=False,
    )
    with pytest.raises(PermissionDenied):
        decide(dossier, carol, orgs["police"], "possible")
    actions.revoke_access(grant, acting_user=alice)
    actions.grant_access(dossier, acting_user=alice, organisation=orgs["police"], reason="x")
    decide(dossier, carol, orgs["police"], "possible")
    event = StageEvent.objects.filter(dossier=dossier).last()
    assert (event.stage, event.organisation) == ("presumed", orgs["police"])
    # Deciding does not make the police the owner: other stage changes stay with the NGO.
    with pytest.raises(PermissionDenied):
        actions.change_stage(dossier, acting_user=carol, stage=Stage.IDENTIFIED)


def test_a_member_cannot_decide_for_another_organisation(users, orgs, police_dossier):
    with pytest.raises(ValidationError) as exc:
        decide(police_dossier, users["carol"], orgs["parquet"], "possible")
    assert "organisation" in exc.value.error_dict


def test_deciding_organisation_types_are_configuration(users, orgs, settings):
    dossier = f.dossier(users["alice"], orgs["ngo_a"])
    settings.HIMAYA_DECIDING_ORG_TYPES = frozenset({"ngo"})
    decision = decide(dossier, users["alice"], orgs["ngo_a"], "possible")
    assert decision.organisation_type.code == "ngo"
    settings.HIMAYA_DECIDING_ORG_TYPES = frozenset({"court"})
    users["carol"].__dict__.pop("_himaya_memberships", None)
    with pytest.raises(PermissionDenied):
        decide(f.dossier(users["carol"], orgs["police"]), users["carol"], orgs["police"], "actual")


@pytest.mark.parametrize(
    "days_ago, field",
    [(-1, "decided_on"), (41, "decided_on")],
    ids=["future", "before-opening"],
)
def test_dates_outside_the_dossier_are_refused(users, orgs, police_dossier, days_ago, field):
    with pytest.raises(ValidationError) as exc:
        decide(police_dossier, users["carol"], orgs["police"], "possible", days_ago=days_ago)
    assert field in exc.value.error_dict
    assert IdentificationDecision.objects.count() == 0


def test_a_decision_is_not_dated_before_the_last_decision_or_stage(users, orgs, police_dossier):
    carol = users["carol"]
    decide(police_dossier, carol, orgs["police"], "possible", days_ago=5)
    with pytest.raises(ValidationError, match="last decision"):
        decide(police_dossier, carol, orgs["police"], "actual", days_ago=6)
    other = f.dossier(carol, orgs["police"], opened_on=TODAY - datetime.timedelta(days=30))
    actions.change_stage(
        other, acting_user=carol, stage=Stage.PRESUMED, on=TODAY - datetime.timedelta(days=3)
    )
    with pytest.raises(ValidationError) as exc:  # the stage rule, said about the decision
        decide(other, carol, orgs["police"], "actual", days_ago=10)
    assert list(exc.value.error_dict) == ["decided_on"]
    assert IdentificationDecision.objects.filter(dossier=other).count() == 0


@pytest.mark.parametrize("reasons", ["", "   ", "x" * 5001])
def test_reasons_are_required_and_bounded(users, orgs, police_dossier, reasons):
    with pytest.raises(ValidationError) as exc:
        decide(police_dossier, users["carol"], orgs["police"], "possible", reasons=reasons)
    assert "reasons" in exc.value.error_dict


def test_a_code_of_another_list_is_refused(users, orgs, police_dossier):
    with pytest.raises(ValidationError) as exc:
        record_decision(
            police_dossier,
            acting_user=users["carol"],
            organisation=orgs["police"],
            status=f.code("sex", "female"),
            decided_on=TODAY,
            reasons="x",
        )
    assert "status" in exc.value.error_dict


def _reopen(dossier, user, days_ago):
    dossier.refresh_from_db()
    return actions.update_dossier(
        dossier,
        acting_user=user,
        expected_version=dossier.version,
        opened_on=TODAY - datetime.timedelta(days=days_ago),
    )


def test_the_opening_is_not_moved_past_a_decision_or_a_stage(users, orgs, police_dossier):
    """A decision is refused before the dossier's opening; nor may the opening be corrected to
    a day after a decision or a stage move already recorded (the class of a fault an outside
    probe found in investigations). Before them, or with nothing after the opening, it may."""
    carol = users["carol"]
    decide(police_dossier, carol, orgs["police"], "possible", days_ago=30)
    with pytest.raises(ValidationError) as exc:
        _reopen(police_dossier, carol, 20)
    when = (TODAY - datetime.timedelta(days=30)).isoformat()
    assert when in str(exc.value.error_dict["opened_on"])
    assert _reopen(police_dossier, carol, 35)[0].opened_on == TODAY - datetime.timedelta(days=35)
    moved = f.dossier(carol, orgs["police"], opened_on=TODAY - datetime.timedelta(days=40))
    actions.change_stage(
        moved, acting_user=carol, stage=Stage.PRESUMED, on=TODAY - datetime.timedelta(days=25)
    )
    with pytest.raises(ValidationError):
        _reopen(moved, carol, 20)
    fresh = f.dossier(carol, orgs["police"], opened_on=TODAY - datetime.timedelta(days=40))
    assert _reopen(fresh, carol, 10)[0].opened_on == TODAY - datetime.timedelta(days=10)
