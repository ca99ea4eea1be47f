"""The duplicate hint a new suspect gets is one flow (identities.duplicate_hint), given alike by
the page and the API: the suspects the user sees with matching names, each one shown an audited
read of its identity; never a suspect already in the investigation; none once the user
confirmed a new suspect."""

import pytest
from django.urls import reverse

from himaya.audit.models import AccessEvent
from himaya.justice import actions as ja
from himaya.justice.identities import duplicate_hint
from himaya.justice.models import Suspect
from himaya.testing import factories as f

from .conftest import days_ago

pytestmark = pytest.mark.django_db

KARIM = {"given_name_lat": "Karim", "family_name_lat": "Official"}


def _second_investigation(users, orgs):
    return ja.open_investigation(
        acting_user=users["carol"],
        organisation=orgs["police"],
        opened_on=days_ago(30),
        forms=[f.code("exploitation_form", "labour")],
    )


def _reads(purpose):
    return list(AccessEvent.objects.filter(purpose=purpose).values_list("object_type", "object_id"))


def test_the_page_and_the_api_give_the_same_hint_each_read_audited(login, users, orgs, case):
    inv = _second_investigation(users, orgs)
    official = case["official"]
    carol = login(users["carol"])

    page = carol.post(
        reverse("justice:suspect_add", args=[inv.pk]),
        {**KARIM, "birth_date_precision": "unknown", "added_on": days_ago(1).isoformat()},
    )
    api = carol.post(
        f"/api/investigations/{inv.pk}/suspects/", KARIM, content_type="application/json"
    )

    assert page.status_code == 409 and api.status_code == 409
    assert f'name="existing" value="{official.pk}"' in page.content.decode()
    assert api.json()["candidates"] == [official.pk] and api.json()["hidden_match"] is False
    assert _reads("duplicate hint") == [("justice.suspect", str(official.pk))]
    assert _reads("api:duplicate hint") == [("justice.suspect", str(official.pk))]
    assert Suspect.objects.count() == 2  # neither answer added a suspect


def test_no_hint_for_a_suspect_already_in_the_investigation_nor_once_confirmed(users, orgs, case):
    carol = users["carol"]
    inv = _second_investigation(users, orgs)
    purpose = "duplicate hint"

    assert duplicate_hint(carol, KARIM, case["inv"], confirmed=False, purpose=purpose) is None
    assert duplicate_hint(carol, KARIM, inv, confirmed=True, purpose=purpose) is None
    assert _reads(purpose) == []
    hint = duplicate_hint(carol, KARIM, inv, confirmed=False, purpose=purpose)
    assert hint.candidates == [case["official"]] and hint.hidden_match is False
    assert _reads(purpose) == [("justice.suspect", str(case["official"].pk))]
