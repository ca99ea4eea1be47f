"""The dossier page's "Next step" and "Screenings" panels: the next step at every stage and who
can do it, buttons only for readers who may act, screenings of the person with a one-click link,
and the proposals of a positive screening and of a shelter admission.

Dates are set from the day the test starts (a dossier opened days before, a screening dated
between), and the assertions read them back from the records, never from the clock."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from himaya.cases import actions
from himaya.cases.actions import record_decision
from himaya.cases.models import StageEvent
from himaya.core.templatetags.himaya import mdate
from himaya.people import actions as people_actions
from himaya.referrals import actions as referral_actions
from himaya.screening.models import Screening
from himaya.screening.tests.helpers import NONE_LABOUR, submitted
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def dossier(users, orgs, today):
    """Alice's dossier (NGO A), opened five days ago, at the screening stage."""
    return f.dossier(users["alice"], orgs["ngo_a"], opened_on=today - datetime.timedelta(days=5))


def move(dossier, user, *stages, reason=""):
    """Stage events dated the day the dossier was opened, whatever the hour of the run."""
    for stage in stages:
        actions.change_stage(
            dossier, acting_user=user, stage=stage, reason=reason, on=dossier.opened_on
        )


def page(client, dossier):
    response = client.get(reverse("cases:detail", args=[dossier.pk]))
    assert response.status_code == 200
    return response


def steps(response):
    return {s.key: s for s in response.context["next_steps"]}


def share_with_police(dossier, users, orgs):
    """A grant with the identity, as a justice link gives: the police see, and may decide."""
    actions.grant_access(
        dossier,
        acting_user=users["alice"],
        organisation=orgs["police"],
        reason="Investigation",
    )


def consent(dossier, users, orgs, today):
    for purpose in ("services", "sharing"):
        people_actions.record_consent(
            dossier.person,
            acting_user=users["alice"],
            organisation=orgs["ngo_a"],
            purpose=purpose,
            given_on=today,
            given_by="person",
        )


def screen(users, orgs, dossier, today, answers=None, days_ago=2):
    kwargs = {"answers": answers} if answers else {}
    return submitted(
        users["alice"],
        orgs["ngo_a"],
        person=dossier.person,
        alias="",
        screened_on=today - datetime.timedelta(days=days_ago),
        **kwargs,
    )


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the next step at every stage --------------------------------------------------------------


def test_screening_stage_asks_for_a_screening_and_a_decision_by_the_competent_bodies(
    users, orgs, login, dossier
):
    found = steps(page(login(users["alice"]), dossier))
    assert list(found) == ["screen", "decide"]
    decide = found["decide"]
    # Organisation types from the code list, roles from the role list, as held by members.
    assert decide.who == "prosecution, court, police, gendarmerie or labour inspectorate"
    assert "possible victim of trafficking" in decide.text
    assert "investigator" in decide.roles and "prosecutor" in decide.roles
    assert "caseworker" not in decide.roles  # no deciding organisation has caseworkers here
    # NGO A does not decide: no button; it may screen its person: a button.
    assert decide.url == ""
    assert found["screen"].who == "NGO A" and found["screen"].roles == "caseworker"
    assert found["screen"].url == (reverse("screening:create") + f"?person={dossier.person_id}")


def test_every_stage_has_its_next_step(users, orgs, login, dossier, today):
    alice = login(users["alice"])
    consent(dossier, users, orgs, today)
    move(dossier, users["alice"], "presumed")
    assert list(steps(page(alice, dossier))) == ["decide", "refer"]
    move(dossier, users["alice"], "identified")
    found = steps(page(alice, dossier))
    assert list(found) == ["refer"]
    assert found["refer"].url == reverse("referrals:refer", args=[dossier.pk])
    move(dossier, users["alice"], "assisted")
    found = steps(page(alice, dossier))
    assert list(found) == ["support", "close"]
    assert found["close"].url == "#change-stage"
    assert found["support"].url == reverse("referrals:services", args=[dossier.pk])
    move(dossier, users["alice"], "closed")
    found = steps(page(alice, dossier))
    assert list(found) == ["closed"] and found["closed"].final
    move(dossier, users["alice"], "referred_out", reason="Moved abroad")
    assert list(steps(page(alice, dossier))) == ["referred-out"]
    move(dossier, users["alice"], "not_victim", reason="Entered by mistake")
    found = steps(page(alice, dossier))
    assert list(found) == ["not-victim", "review"]
    assert "police" in found["review"].who and found["review"].url == ""


def test_an_adult_without_consent_is_asked_for_it_before_a_referral(users, orgs, login, dossier):
    move(dossier, users["alice"], "presumed", "identified")
    found = steps(page(login(users["alice"]), dossier))
    assert list(found) == ["consent"]
    assert "receiving services and sharing with other organisations" in found["consent"].text
    assert found["consent"].url == reverse("people:detail", args=[dossier.person_id])


def test_the_decision_button_is_for_deciding_organisations_and_stage_buttons_for_the_owner(
    users, orgs, login, dossier, today
):
    consent(dossier, users, orgs, today)
    move(dossier, users["alice"], "presumed")
    share_with_police(dossier, users, orgs)
    decision_url = reverse("cases:decision_create", args=[dossier.pk])

    police = steps(page(login(users["carol"]), dossier))
    assert police["decide"].url == decision_url
    assert police["refer"].url == ""  # only the owner refers
    html = page(login(users["carol"]), dossier).content.decode()
    assert decision_url in html and reverse("referrals:refer", args=[dossier.pk]) not in html

    owner = steps(page(login(users["alice"]), dossier))
    assert owner["decide"].url == "" and owner["refer"].url

    # The analyst reads the steps, de-identified, and acts on none of them.
    analyst = page(login(users["ana"]), dossier)
    assert all(s.url == "" for s in analyst.context["next_steps"])
    assert 'data-testid="next-step-action"' not in analyst.content.decode()
    assert 'data-testid="screenings-panel"' not in analyst.content.decode()


def test_a_negative_decision_is_reviewed_from_the_panel(users, orgs, login, dossier):
    share_with_police(dossier, users, orgs)
    record_decision(
        dossier,
        acting_user=users["carol"],
        organisation=orgs["police"],
        status=f.code("trafficking_status", "not_victim"),
        decided_on=dossier.opened_on,
        reasons="No indicator",
    )
    found = steps(page(login(users["carol"]), dossier))
    assert list(found) == ["not-victim", "review"]
    assert found["review"].label == "Review the last decision"
    assert found["review"].url == reverse("cases:decision_create", args=[dossier.pk])


# --- screenings of the person ------------------------------------------------------------------


def test_a_screening_of_the_person_shows_with_result_date_and_screener(
    users, orgs, login, dossier, today
):
    s = screen(users, orgs, dossier, today)
    response = page(login(users["alice"]), dossier)
    assert [x.pk for x in response.context["person_screenings"]] == [s.pk]
    html = response.content.decode()
    assert s.reference in html
    assert "strong indication of trafficking" in html
    assert mdate(s.screened_on) in html
    assert users["alice"].display_name in html and "NGO A" in html
    assert "Not linked to a dossier." in html
    assert 'data-testid="link-screening"' in html
    # The next step is to link it, not to screen her again.
    assert list(steps(response)) == ["link-screening", "decide"]
    assert steps(response)["link-screening"].url == "#screenings"
    # Another organisation's reader does not see Alice's unlinked screening.
    share_with_police(dossier, users, orgs)
    police = page(login(users["carol"]), dossier)
    assert police.context["person_screenings"] == []


# --- proposals ---------------------------------------------------------------------------------


def test_a_positive_screening_proposes_presumed_victim_and_the_click_moves_the_stage(
    users, orgs, login, dossier, today
):
    s = screen(users, orgs, dossier, today, days_ago=2)
    alice = login(users["alice"])
    alice.post(reverse("screening:link_to_dossier", args=[s.pk, dossier.pk]))
    share_with_police(dossier, users, orgs)

    found = steps(page(alice, dossier))
    proposal = found["propose-screening"]
    assert s.reference in proposal.text and "strong indication of trafficking" in proposal.text
    follow = reverse("cases:follow", args=[dossier.pk, "screening"])
    assert proposal.url == follow and proposal.post
    assert "screen" not in found  # already screened
    # The police read the proposal and the dossier's screening, without the button.
    police = steps(page(login(users["carol"]), dossier))
    assert police["propose-screening"].url == ""
    assert login(users["carol"]).post(follow).status_code == 404
    dossier.refresh_from_db()
    assert dossier.current_stage == "screening"  # a proposal changes nothing by itself

    response = alice.post(follow)
    assert response.status_code == 302
    assert messages_of(response) == ["The stage was changed."]
    event = StageEvent.objects.filter(dossier=dossier).last()
    assert event.stage == "presumed" and event.actor == users["alice"]
    # Dated by the screening, never before the dossier's last stage.
    assert event.on == max(s.screened_on, dossier.opened_on)
    assert "propose-screening" not in steps(page(alice, dossier))
    # Clicked again (a stale page): a message, nothing written.
    again = alice.post(follow)
    assert messages_of(again) == ["This move is no longer proposed for the dossier."]
    assert StageEvent.objects.filter(dossier=dossier).count() == 2


def test_a_screening_without_indication_proposes_nothing(users, orgs, login, dossier, today):
    s = screen(users, orgs, dossier, today, answers=NONE_LABOUR)
    client = login(users["alice"])
    client.post(reverse("screening:link_to_dossier", args=[s.pk, dossier.pk]))
    found = steps(page(client, dossier))
    assert "propose-screening" not in found and list(found) == ["decide"]
    response = client.post(reverse("cases:follow", args=[dossier.pk, "screening"]))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.current_stage == "screening"
    assert client.post(reverse("cases:follow", args=[dossier.pk, "nonsense"])).status_code == 302


@pytest.fixture
def shelter(users, orgs):
    f.provider(orgs["shelter"], users["sam"], ["shelter"], ["women"])
    return referral_actions.create_facility(
        orgs["shelter"],
        acting_user=users["sam"],
        name_fr="Dar Amane",
        region=f.code("region", "casablanca_settat"),
        beds_women=2,
    )


def admitted(users, orgs, dossier, facility, on):
    referral = referral_actions.send_referral(
        dossier,
        acting_user=users["alice"],
        to_org=orgs["shelter"],
        service="shelter",
        reason="Needs a safe place",
        facility=facility,
    )
    referral = referral_actions.accept_referral(
        referral, acting_user=users["sam"], expected_version=referral.version
    )
    return referral, referral_actions.admit(
        referral, acting_user=users["sam"], facility=facility, bed_group="women", admitted_on=on
    )


def test_a_shelter_admission_proposes_assisted(users, orgs, login, dossier, shelter, today):
    consent(dossier, users, orgs, today)
    move(dossier, users["alice"], "presumed", "identified")
    referral = referral_actions.send_referral(
        dossier,
        acting_user=users["alice"],
        to_org=orgs["shelter"],
        service="shelter",
        reason="Needs a safe place",
        facility=shelter,
    )
    sam = login(users["sam"])
    found = steps(page(sam, dossier))
    assert found["answer-referral"].url == reverse("referrals:detail", args=[referral.pk])
    assert found["answer-referral"].who == "Dar Amane shelter"
    assert steps(page(login(users["alice"]), dossier))["answer-referral"].url == ""
    referral = referral_actions.accept_referral(
        referral, acting_user=users["sam"], expected_version=referral.version
    )
    assert steps(page(sam, dossier))["admit"].url == reverse("referrals:detail", args=[referral.pk])
    stay = referral_actions.admit(
        referral, acting_user=users["sam"], facility=shelter, bed_group="women", admitted_on=today
    )

    alice = login(users["alice"])
    proposal = steps(page(alice, dossier))["propose-admission"]
    assert "Dar Amane" in proposal.text and proposal.post
    assert steps(page(sam, dossier))["propose-admission"].url == ""  # the owner moves stages
    response = alice.post(proposal.url)
    assert messages_of(response) == ["The stage was changed."]
    event = StageEvent.objects.filter(dossier=dossier).last()
    assert (event.stage, event.on, event.reason) == ("assisted", stay.admitted_on, "")
    found = steps(page(alice, dossier))
    assert list(found) == ["support", "discharge", "close"]
    assert found["discharge"].url == ""
    assert steps(page(sam, dossier))["discharge"].url == reverse(
        "referrals:detail", args=[referral.pk]
    )


def test_an_admission_before_identification_moves_with_its_reason(
    users, orgs, login, dossier, shelter, today
):
    consent(dossier, users, orgs, today)
    move(dossier, users["alice"], "presumed")
    _referral, stay = admitted(users, orgs, dossier, shelter, today)
    alice = login(users["alice"])
    found = steps(page(alice, dossier))
    assert list(found) == ["decide", "propose-admission"]
    alice.post(found["propose-admission"].url)
    event = StageEvent.objects.filter(dossier=dossier).last()
    assert event.stage == "assisted"
    # Skipping "identified victim" is off the ordinary path: the admission is the reason.
    assert event.reason == f"Admitted to the shelter Dar Amane on {stay.admitted_on.isoformat()}."


def test_panels_keep_the_screening_private_fields_encrypted(users, orgs, login, dossier, today):
    """The panel reads the recommendation in clear, never the answers or the result."""
    screen(users, orgs, dossier, today)
    response = page(login(users["alice"]), dossier)
    (s,) = response.context["person_screenings"]
    assert set(Screening.PRIVATE_FIELDS) <= s.get_deferred_fields()
