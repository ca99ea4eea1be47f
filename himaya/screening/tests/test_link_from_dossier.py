"""Linking a screening to its person's dossier in one click, from the dossier page
(``screening:link_to_dossier``): only by the screening's organisation when it owns the
dossier; everyone else is refused and nothing changes; the action's refusals come back as
messages, never a server error."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from himaya.audit.models import AuditEvent
from himaya.cases import actions as case_actions
from himaya.testing import factories as f

from .helpers import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(users, orgs):
    return f.dossier(
        users["alice"], orgs["ngo_a"], opened_on=timezone.localdate() - datetime.timedelta(days=5)
    )


@pytest.fixture
def screening(users, orgs, dossier):
    """Alice's screening of the dossier's person, not linked to any dossier."""
    return submitted(
        users["alice"],
        orgs["ngo_a"],
        person=dossier.person,
        alias="",
        screened_on=dossier.opened_on + datetime.timedelta(days=1),
    )


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def url(screening, dossier):
    return reverse("screening:link_to_dossier", args=[screening.pk, dossier.pk])


def test_one_click_links_the_screening_to_the_dossier(users, login, dossier, screening):
    alice = login(users["alice"])
    page = alice.get(reverse("cases:detail", args=[dossier.pk])).content.decode()
    assert f'action="{url(screening, dossier)}"' in page
    response = alice.post(url(screening, dossier))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[dossier.pk])
    assert messages_of(response) == ["The screening was linked to the dossier."]
    screening.refresh_from_db()
    assert screening.dossier_id == dossier.pk
    assert (
        AuditEvent.objects.filter(action="link_screening", actor_id=users["alice"].pk).count() == 1
    )
    page = alice.get(reverse("cases:detail", args=[dossier.pk])).content.decode()
    assert 'data-testid="link-screening"' not in page
    # Twice: the action's refusal, as a message in the user's language, never a 500.
    again = alice.post(url(screening, dossier))
    assert again.status_code == 302
    assert messages_of(again) == ["This screening is already linked to a dossier."]


def test_the_refusal_speaks_the_users_language(users, orgs, login, dossier, screening):
    other = f.dossier(users["alice"], orgs["ngo_a"])  # another person's dossier
    users["alice"].preferred_language = "fr"
    users["alice"].save()
    response = login(users["alice"]).post(url(screening, other), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    english = "This dossier is about another person than the screening."
    with translation.override("fr"):
        french = translation.gettext(english)
    assert french != english and messages_of(response) == [french]
    screening.refresh_from_db()
    assert screening.dossier_id is None


@pytest.mark.parametrize(("name", "status"), [("charlie", 404), ("bob", 404), ("carol", 403)])
def test_outsiders_and_readers_who_may_not_write_are_refused(
    users, orgs, login, dossier, screening, name, status
):
    # The police read the dossier through a grant; only its owner writes it.
    case_actions.grant_access(
        dossier, acting_user=users["alice"], organisation=orgs["police"], reason="Investigation"
    )
    client = login(users[name])
    assert client.post(url(screening, dossier)).status_code == status
    assert client.get(url(screening, dossier)).status_code in (404, 405)
    screening.refresh_from_db()
    assert screening.dossier_id is None


def test_a_screening_of_another_organisation_is_not_linked(users, orgs, login, dossier):
    theirs = submitted(users["carol"], orgs["police"], alias="Met at the port")
    assert login(users["alice"]).post(url(theirs, dossier)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.dossier_id is None


def test_the_link_needs_a_csrf_token(users, login, dossier, screening):
    client = login(users["alice"])
    client.handler.enforce_csrf_checks = True
    assert client.post(url(screening, dossier)).status_code == 403
    screening.refresh_from_db()
    assert screening.dossier_id is None
