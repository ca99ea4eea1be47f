"""Small forms posted from a detail page to an action URL: refused input brings the page back
(400) with what was typed and the error beside its field, and writes nothing. They used to
redirect to the page with a message, and the text typed was lost (the rejection note of a
referral, an answer to the linkage desk, the note closing a follow-up action...).

Each case builds its records through the actions, then posts, as a user who may, a text one
character over its field's limit (or a date that does not exist) with characters that HTML
escapes, so the test also sees that the text comes back escaped, not raw."""

import datetime
import html

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from himaya.accounts.actions import set_preferred_language
from himaya.audit.models import AuditEvent
from himaya.coordination import actions as coordination_actions
from himaya.coordination.forms import CloseActionForm
from himaya.coordination.models import FollowUpAction
from himaya.core.templatetags.himaya_forms import too_long_message
from himaya.linkage import actions as linkage_actions
from himaya.linkage.candidates import propose
from himaya.linkage.models import DeskRequest, PairSource, Question
from himaya.linkage.scoring import Score
from himaya.linkage.views import AnswerForm, ContactForm
from himaya.people import actions as people_actions
from himaya.referrals import actions as referral_actions
from himaya.referrals.forms import RejectForm
from himaya.referrals.models import Referral, ReferralStatus, ShelterStay
from himaya.statistics.forms import FreezeForm
from himaya.statistics.models import FrozenReport
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

NOT_A_DATE = "2025-02-31"


def over_long(form_class, field):
    """A text one character longer than the field holds, with characters HTML escapes."""
    limit = form_class.base_fields[field].max_length
    head = "Ali & <Sara> \"quoted\" 'single' "
    return head + "n" * (limit + 1 - len(head))


def _consented_dossier(users, orgs):
    alice, ngo_a = users["alice"], orgs["ngo_a"]
    dossier = f.dossier(alice, ngo_a)
    for purpose in ("services", "sharing"):
        people_actions.record_consent(
            dossier.person,
            acting_user=alice,
            organisation=ngo_a,
            purpose=purpose,
            given_on=timezone.localdate(),
            given_by="person",
        )
    return dossier


def _referral(users, orgs, *, accepted=False):
    f.provider(orgs["shelter"], users["sam"], ["shelter"], ["women"])
    facility = referral_actions.create_facility(
        orgs["shelter"],
        acting_user=users["sam"],
        name_fr="Dar Amane",
        region=f.code("region", "casablanca_settat"),
        beds_women=2,
    )
    referral = referral_actions.send_referral(
        _consented_dossier(users, orgs),
        acting_user=users["alice"],
        to_org=orgs["shelter"],
        service="shelter",
        reason="Needs a safe place",
    )
    if accepted:
        referral = referral_actions.accept_referral(
            referral, acting_user=users["sam"], expected_version=referral.version
        )
    return referral, facility


def referral_reject(users, orgs):
    referral, _facility = _referral(users, orgs)
    typed = over_long(RejectForm, "note")
    data = {"version": referral.version, "reason": "no_capacity", "note": typed}

    def unchanged():
        return Referral.objects.get(pk=referral.pk).status == ReferralStatus.IN_PROGRESS

    return users["sam"], reverse("referrals:reject", args=[referral.pk]), data, typed, unchanged


def referral_admit(users, orgs):
    referral, facility = _referral(users, orgs, accepted=True)
    data = {"bed": f"{facility.pk}:women", "admitted_on": NOT_A_DATE}
    url = reverse("referrals:admit", args=[referral.pk])
    return users["sam"], url, data, NOT_A_DATE, lambda: not ShelterStay.objects.exists()


def stay_discharge(users, orgs):
    referral, facility = _referral(users, orgs, accepted=True)
    stay = referral_actions.admit(
        referral,
        acting_user=users["sam"],
        facility=facility,
        bed_group="women",
        admitted_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    data = {"version": stay.version, "discharged_on": NOT_A_DATE, "discharge_reason": "other"}
    url = reverse("referrals:discharge", args=[stay.pk])

    def unchanged():
        return ShelterStay.objects.get(pk=stay.pk).discharged_on is None

    return users["sam"], url, data, NOT_A_DATE, unchanged


def _linked_pair(users, orgs):
    lina = f.member(f.UserFactory(username="lina"), orgs["commission"], "linkage_officer")
    a = f.person(users["alice"], orgs["ngo_a"], given_name_lat="Fatima", family_name_lat="Amrani")
    b = f.person(users["bob"], orgs["ngo_b"], given_name_lat="Fatima", family_name_lat="Amrani")
    f.dossier(users["alice"], orgs["ngo_a"], a)
    f.dossier(users["bob"], orgs["ngo_b"], b)
    score = Score({"name": 4, "birth": 4}, 12.0, 0.99, {})
    pair, _new = propose("person", a.pk, b.pk, score, source=PairSource.BATCH)
    return lina, pair


def linkage_answer(users, orgs):
    lina, pair = _linked_pair(users, orgs)
    linkage_actions.ask_owners(pair, acting_user=lina, text="Does she have a sister?")
    question = Question.objects.get(organisation=orgs["ngo_b"])
    typed = over_long(AnswerForm, "answer")
    url = reverse("linkage:answer", args=[question.pk])

    def unchanged():
        return Question.objects.get(pk=question.pk).answered_at is None

    return users["bob"], url, {"answer": typed}, typed, unchanged


def linkage_contact_request(users, orgs):
    lina, pair = _linked_pair(users, orgs)
    linkage_actions.link_pair(pair, acting_user=lina)
    typed = over_long(ContactForm, "text")
    url = reverse("linkage:request", args=[pair.left_person_id])
    return users["alice"], url, {"text": typed}, typed, lambda: not DeskRequest.objects.exists()


def meeting_action_close(users, orgs):
    ana = users["ana"]
    meeting = coordination_actions.do_record_meeting(
        acting_user=ana,
        held_on=datetime.date(2025, 3, 10),
        title="Session plénière",
        attendance=[(orgs["police"], 1)],
    )
    decision = coordination_actions.do_add_decision(meeting, acting_user=ana, text="Guide")
    action = coordination_actions.do_assign_action(
        decision,
        acting_user=ana,
        text="Traduire le guide",
        agency=orgs["police"],
        due_on=datetime.date(2025, 5, 1),
    )
    typed = over_long(CloseActionForm, "note")
    data = {"version": action.version, "note": typed}
    url = reverse("coordination:action_close", args=[action.pk])

    def unchanged():
        return FollowUpAction.objects.get(pk=action.pk).done_on is None

    return ana, url, data, typed, unchanged


def report_freeze(users, orgs):
    typed = over_long(FreezeForm, "note")
    url = reverse("statistics:freeze", args=[2023])
    return users["ana"], url, {"note": typed}, typed, lambda: not FrozenReport.objects.exists()


CASES = [
    referral_reject,
    referral_admit,
    stay_discharge,
    linkage_answer,
    linkage_contact_request,
    meeting_action_close,
    report_freeze,
]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_a_refused_form_comes_back_with_what_was_typed(case, orgs, users, login):
    user, url, data, typed, unchanged = case(users, orgs)
    writes = AuditEvent.objects.count()
    response = login(user).post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert html.escape(typed) in page
    assert 'role="alert"' in page  # the error is said on the page, beside the field
    assert unchanged() and AuditEvent.objects.count() == writes


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_error_beside_the_field_is_in_the_readers_language(language, orgs, users, login):
    user, url, data, typed, _unchanged = referral_reject(users, orgs)
    limit = RejectForm.base_fields["note"].max_length
    with translation.override(language):
        said = too_long_message(limit, limit + 1)
    assert said != too_long_message(limit, limit + 1)  # translated, not the English
    set_preferred_language(user, language)  # as the language menu does: account and cookie
    client = login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    assert html.escape(said) in page and html.escape(typed) in page
