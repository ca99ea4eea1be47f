"""A referral's buttons run their action through core.shortcuts.run_action (issue 18 item 6): a
refusal is an error message on the referral's page, never a 500, and the record is unchanged;
success says so."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from himaya.referrals import actions
from himaya.referrals.models import ReferralStatus

from .conftest import refer

pytestmark = pytest.mark.django_db


def _press(client, name, referral, data):
    response = client.post(reverse(f"referrals:{name}", args=[referral.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("referrals:detail", args=[referral.pk])
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def test_accepting_says_so(orgs, users, shelter_setup, consented_dossier, login):
    r = refer(users, orgs, consented_dossier)
    said = _press(login(users["sam"]), "accept", r, {"version": r.version})
    assert said == [("success", "The referral was accepted.")]
    r.refresh_from_db()
    assert r.status == ReferralStatus.ACCEPTED


def test_a_stale_version_is_a_message(orgs, users, shelter_setup, consented_dossier, login):
    r = refer(users, orgs, consented_dossier)
    said = _press(login(users["sam"]), "accept", r, {"version": r.version + 1})
    assert said == [("error", str(said[0][1]))] and "changed by someone else" in said[0][1]
    r.refresh_from_db()
    assert r.status == ReferralStatus.IN_PROGRESS


def test_a_refused_role_is_a_message_saying_who_may(
    orgs, users, shelter_setup, consented_dossier, login
):
    r = refer(users, orgs, consented_dossier)
    # Alice sent it and sees it: accepting is the receiver's, and the message names it.
    said = _press(login(users["alice"]), "accept", r, {"version": r.version})
    assert [level for level, _text in said] == ["error"]
    assert str(orgs["shelter"]) in said[0][1]
    r.refresh_from_db()
    assert r.status == ReferralStatus.IN_PROGRESS


def test_a_refused_move_is_a_message(orgs, users, shelter_setup, consented_dossier, login):
    r = actions.accept_referral(
        refer(users, orgs, consented_dossier), acting_user=users["sam"], expected_version=1
    )
    said = _press(login(users["sam"]), "accept", r, {"version": r.version})
    assert said == [("error", "Only a referral in progress can be accepted.")]
    r.refresh_from_db()
    assert r.status == ReferralStatus.ACCEPTED and r.version == 2
