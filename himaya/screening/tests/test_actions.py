"""Screening actions: start, answer, submit (the result is fixed), discard, correct, open or
link a dossier; campaigns. Every write is audited; bad input is a ValidationError."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from himaya.audit.models import AuditEvent
from himaya.cases.models import Dossier
from himaya.people.models import Person
from himaya.screening import actions
from himaya.screening.models import Campaign, Screening
from himaya.testing import factories as f

from .helpers import NONE_LABOUR, POSSIBLE_LABOUR, STRONG_LABOUR, published, start, submitted

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def campaign(user, org, **fields):
    fields.setdefault("name_fr", "Tanger port")
    fields.setdefault("region", f.code("region", "tanger_tetouan_al_hoceima"))
    fields.setdefault("starts_on", TODAY() - datetime.timedelta(days=10))
    fields.setdefault("ends_on", TODAY() + datetime.timedelta(days=10))
    fields.setdefault("target_group", "irregular_migrants")
    fields.setdefault("status", "active")
    return actions.create_campaign(acting_user=user, organisation=org, **fields)


def test_a_screening_is_answered_step_by_step_then_submitted(users, orgs):
    carol = users["carol"]
    s = start(carol, orgs["police"], region=f.code("region", "tanger_tetouan_al_hoceima"))
    assert s.reference == f"SCR-{TODAY().year}-{s.pk:06d}"
    assert s.is_draft and s.answers == {}
    first = {k: v for k, v in STRONG_LABOUR.items() if k.startswith("deceptive")}
    s = actions.save_answers(s, acting_user=carol, answers=first)
    s = actions.save_answers(s, acting_user=carol, answers={"exploitation.low_salary": "no"})
    # A later post changes one answer and keeps the others.
    s = actions.save_answers(s, acting_user=carol, answers=STRONG_LABOUR)
    assert s.answers == STRONG_LABOUR
    s = actions.submit_screening(s, acting_user=carol, notes="  Vu au port.  ")
    assert s.status == "submitted" and s.submitted_at is not None
    assert s.recommendation == "strong" and s.notes == "Vu au port."
    assert s.result["positive_dimensions"] == [
        "deceptive_recruitment",
        "exploitation",
        "coercion_destination",
    ]
    assert s.engine_version == "delphi-2009/1"
    actions_logged = list(
        AuditEvent.objects.filter(object_id=str(s.pk), object_type="screening.screening")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions_logged == [
        "start_screening",
        "save_answers",
        "save_answers",
        "save_answers",
        "submit_screening",
    ]


def test_answers_and_results_are_encrypted_at_rest(users, orgs):
    s = submitted(users["carol"], orgs["police"], alias="Canaryperson Qwoxland")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT alias, answers, result, recommendation FROM screening_screening WHERE id=%s",
            [s.pk],
        )
        alias, answers, result, recommendation = cursor.fetchone()
    assert "Canaryperson" not in alias
    assert "coercion_destination" not in answers and "yes" not in answers
    assert "coercion_destination" not in result
    assert recommendation == "strong"  # counted in figures, so kept in clear


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"exploitation.nope": "yes"}, "not in the questionnaire"),
        ({"exploitation.low_salary": "maybe"}, "yes, no or unknown"),
    ],
)
def test_bad_answers_are_refused(users, orgs, answers, message):
    s = start(users["carol"], orgs["police"])
    with pytest.raises(ValidationError, match=message):
        actions.save_answers(s, acting_user=users["carol"], answers=answers)
    s.refresh_from_db()
    assert s.answers == {}


def test_start_validates(users, orgs):
    carol = users["carol"]
    with pytest.raises(ValidationError, match="who is screened"):
        start(carol, orgs["police"], alias="  ")
    with pytest.raises(ValidationError, match="future"):
        start(carol, orgs["police"], screened_on=TODAY() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        start(carol, orgs["police"], alias="x" * 201)
    with pytest.raises(ValidationError):
        start(carol, orgs["police"], region=f.code("country", "MA"))
    with pytest.raises(PermissionDenied):
        start(carol, orgs["ngo_a"])  # not carol's organisation
    with pytest.raises(PermissionDenied):
        start(users["ana"], orgs["commission"])  # analysts do not screen
    other = f.person(users["alice"], orgs["ngo_a"])
    with pytest.raises(PermissionDenied):
        start(carol, orgs["police"], person=other)  # a person carol's organisation does not hold
    assert Screening.objects.count() == 0


def test_submit_needs_an_answer_and_happens_once(users, orgs):
    carol = users["carol"]
    s = start(carol, orgs["police"], answers={"exploitation.low_salary": "unknown"})
    with pytest.raises(ValidationError, match="at least one question"):
        actions.submit_screening(s, acting_user=carol)
    actions.save_answers(s, acting_user=carol, answers=NONE_LABOUR)
    s = actions.submit_screening(s, acting_user=carol)
    assert s.recommendation == "none"
    with pytest.raises(ValidationError):
        actions.submit_screening(s, acting_user=carol)


def test_colleagues_go_on_with_a_draft_others_cannot(users, orgs):
    s = start(users["carol"], orgs["police"])
    colleague = f.member(f.UserFactory(username="colleague"), orgs["police"], "investigator")
    actions.save_answers(s, acting_user=colleague, answers={"exploitation.low_salary": "yes"})
    for name in ("alice", "bob", "ana", "olivia", "harry", "paula", "root", "charlie"):
        with pytest.raises(PermissionDenied):
            actions.save_answers(
                s, acting_user=users[name], answers={"exploitation.hazardous": "yes"}
            )
        with pytest.raises(PermissionDenied):
            actions.discard_screening(s, acting_user=users[name])
    s.refresh_from_db()
    assert s.answers == {"exploitation.low_salary": "yes"}


def test_discarding_a_draft_deletes_its_answers(users, orgs):
    s = start(users["carol"], orgs["police"], answers={"exploitation.low_salary": "yes"})
    actions.discard_screening(s, acting_user=users["carol"])
    assert not Screening.objects.filter(pk=s.pk).exists()
    assert AuditEvent.objects.filter(action="discard_screening", object_id=str(s.pk)).exists()


def test_details_are_edited_with_optimistic_locking(users, orgs):
    from himaya.core.errors import Conflict

    carol = users["carol"]
    s = start(carol, orgs["police"])
    s, changed = actions.update_details(
        s, acting_user=carol, expected_version=s.version, alias="Femme, gare", place_detail="Gare"
    )
    assert set(changed) == {"alias", "place_detail"}
    with pytest.raises(Conflict):
        actions.update_details(s, acting_user=carol, expected_version=s.version - 1, alias="x")
    with pytest.raises(ValidationError):
        actions.update_details(s, acting_user=carol, expected_version=s.version, alias="")


def test_a_correction_is_a_new_screening_and_replaces_the_original_in_counts(users, orgs):
    carol = users["carol"]
    original = submitted(carol, orgs["police"], answers=POSSIBLE_LABOUR)
    correction = actions.start_correction(original, acting_user=carol)
    assert actions.start_correction(original, acting_user=carol) == correction  # same draft
    assert correction.corrects == original and correction.answers == POSSIBLE_LABOUR
    assert correction.alias == original.alias
    assert list(Screening.objects.current()) == [original]  # the draft replaces nothing yet
    actions.save_answers(correction, acting_user=carol, answers=STRONG_LABOUR)
    correction = actions.submit_screening(correction, acting_user=carol)
    assert list(Screening.objects.current()) == [correction]
    original.refresh_from_db()
    assert original.recommendation == "possible"  # kept as it was
    with pytest.raises(ValidationError, match="already corrected"):
        actions.start_correction(original, acting_user=carol)
    with pytest.raises(ValidationError, match="Submit"):
        actions.start_correction(start(carol, orgs["police"]), acting_user=carol)
    with pytest.raises(PermissionDenied):
        actions.start_correction(correction, acting_user=users["alice"])


def test_open_a_dossier_from_a_strong_indication(users, orgs):
    carol = users["carol"]
    s = submitted(carol, orgs["police"], region=f.code("region", "tanger_tetouan_al_hoceima"))
    dossier = actions.open_dossier_from_screening(
        s,
        acting_user=carol,
        forms=[f.code("exploitation_form", "labour")],
        given_name_lat="Mariama",
        family_name_lat="Diallo",
        citizenships=[f.code("country", "GN")],
    )
    s.refresh_from_db()
    assert s.dossier == dossier and s.person == dossier.person
    assert dossier.owner_org == orgs["police"] and dossier.opened_on == s.screened_on
    assert dossier.exploitation_region.code == "tanger_tetouan_al_hoceima"
    assert [e.stage for e in dossier.events.order_by("id")] == ["screening", "presumed"]
    assert list(dossier.forms.values_list("code", flat=True)) == ["labour"]
    person = Person.objects.get(pk=dossier.person_id)
    assert person.registered_by == orgs["police"] and person.given_name_lat == "Mariama"
    with pytest.raises(ValidationError, match="already linked"):
        actions.open_dossier_from_screening(s, acting_user=carol, given_name_lat="X")
    assert AuditEvent.objects.filter(action="open_dossier_from_screening").count() == 1


def test_a_possible_indication_opens_at_screening_and_none_opens_nothing(users, orgs):
    carol = users["carol"]
    possible = submitted(carol, orgs["police"], answers=POSSIBLE_LABOUR)
    dossier = actions.open_dossier_from_screening(possible, acting_user=carol, given_name_lat="A")
    assert Dossier.objects.get(pk=dossier.pk).stage == "screening"
    none = submitted(carol, orgs["police"], answers=NONE_LABOUR)
    before = Dossier.objects.count()
    with pytest.raises(ValidationError, match="no indication"):
        actions.open_dossier_from_screening(none, acting_user=carol, given_name_lat="B")
    with pytest.raises(ValidationError, match="name"):  # the person needs a name
        actions.open_dossier_from_screening(submitted(carol, orgs["police"]), acting_user=carol)
    assert Dossier.objects.count() == before
    assert Person.objects.count() == 1


def test_a_screening_of_a_recorded_person_keeps_that_person(users, orgs):
    carol = users["carol"]
    person = f.person(carol, orgs["police"])
    s = submitted(carol, orgs["police"], person=person, alias="")
    dossier = actions.open_dossier_from_screening(s, acting_user=carol)
    assert dossier.person == person and Person.objects.count() == 1


def test_link_to_an_existing_dossier(users, orgs):
    carol, alice = users["carol"], users["alice"]
    own = f.dossier(carol, orgs["police"])
    theirs = f.dossier(alice, orgs["ngo_a"])
    s = submitted(carol, orgs["police"])
    with pytest.raises(ValidationError, match="owns"):
        actions.link_dossier(s, acting_user=carol, dossier=theirs)
    s = actions.link_dossier(s, acting_user=carol, dossier=own)
    assert s.dossier == own and s.person_id == own.person_id
    with pytest.raises(ValidationError, match="already linked"):
        actions.link_dossier(s, acting_user=carol, dossier=own)
    person = f.person(carol, orgs["police"], given_name_lat="Other")
    other = submitted(carol, orgs["police"], person=person, alias="")
    with pytest.raises(ValidationError, match="another person"):
        actions.link_dossier(other, acting_user=carol, dossier=f.dossier(carol, orgs["police"]))
    with pytest.raises(ValidationError, match="Submit"):
        actions.link_dossier(start(carol, orgs["police"]), acting_user=carol, dossier=own)


def test_campaigns(users, orgs):
    carol = users["carol"]
    c = campaign(carol, orgs["police"])
    s = start(carol, orgs["police"], campaign=c)
    assert s.campaign == c
    with pytest.raises(ValidationError, match="outside"):
        start(carol, orgs["police"], campaign=c, screened_on=TODAY() - datetime.timedelta(days=30))
    other = campaign(users["alice"], orgs["ngo_a"], name_fr="Casablanca")
    with pytest.raises(ValidationError, match="screening organisation"):
        start(carol, orgs["police"], campaign=other)
    c, changed = actions.update_campaign(
        c, acting_user=carol, expected_version=c.version, status="closed"
    )
    assert changed == ["status"]
    with pytest.raises(ValidationError, match="closed"):
        start(carol, orgs["police"], campaign=c)
    with pytest.raises(ValidationError, match="end before"):
        campaign(carol, orgs["police"], ends_on=TODAY() - datetime.timedelta(days=20))
    with pytest.raises(ValidationError, match="Describe"):
        campaign(carol, orgs["police"], target_group="other")
    with pytest.raises(PermissionDenied):
        campaign(users["ana"], orgs["commission"])
    with pytest.raises(PermissionDenied):
        actions.update_campaign(
            c, acting_user=users["alice"], expected_version=c.version, name_fr="x"
        )
    assert Campaign.objects.count() == 2


def test_published_questionnaire_is_required(users, orgs):
    draft = actions.new_version(published(), acting_user=users["root"])
    with pytest.raises(ValidationError, match="published"):
        actions.start_screening(
            acting_user=users["carol"], organisation=orgs["police"], questionnaire=draft, alias="x"
        )
