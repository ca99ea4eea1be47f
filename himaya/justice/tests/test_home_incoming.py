"""The prosecutor's home page lists the investigations transferred to her office that no
prosecution has taken up yet (issue 11: ENQ-2026-000061 sent to the Tangier prosecution appeared
nowhere); the police see what they sent; nobody else sees either. Dates are injected: the
lists do not depend on the day or the hour the tests run."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from himaya.justice import actions as ja
from himaya.justice.home import SHOWN, home_context
from himaya.testing import factories as f
from himaya.testing.queries import page_queries

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def transferred(carol, police, office, *, days_ago=3, opened_days_ago=40):
    inv = ja.open_investigation(
        acting_user=carol,
        organisation=police,
        opened_on=today() - datetime.timedelta(days=opened_days_ago),
    )
    ja.transfer_investigation(
        inv, acting_user=carol, office=office, on=today() - datetime.timedelta(days=days_ago)
    )
    return inv


@pytest.fixture
def rabat(orgs):
    """Another prosecution office, with its prosecutor."""
    office = f.OrganisationFactory(
        name_fr="Parquet de Rabat",
        name_en="Rabat prosecution",
        type=f.code("org_type", "prosecution"),
        region=f.code("region", "rabat_sale_kenitra"),
    )
    return f.member(f.UserFactory(username="rachid"), office, "prosecutor")


def test_transferred_investigation_reaches_the_prosecutor_home(users, orgs, login, rabat):
    carol, paula = users["carol"], users["paula"]
    assert home_context(paula)["justice_incoming_count"] == 0
    inv = transferred(carol, orgs["police"], orgs["parquet"], days_ago=3)

    ctx = home_context(paula, today=today())
    assert ctx["justice_incoming_count"] == 1
    [row] = ctx["justice_incoming"]
    assert row.pk == inv.pk and row.investigating_org == orgs["police"]
    assert row.status_on == today() - datetime.timedelta(days=3) and row.waiting_days == 3

    page = login(paula).get(reverse("home")).content.decode()
    assert 'data-testid="home-justice-incoming"' in page
    assert inv.reference in page and reverse("justice:detail", args=[inv.pk]) in page
    assert "Tangier police" in page
    assert f"{reverse('justice:list')}?status=transferred" in page

    # The police see it among what they sent, not as incoming.
    ctx = home_context(carol, today=today())
    assert "justice_incoming" not in ctx
    assert [r.pk for r in ctx["justice_sent"]] == [inv.pk] and ctx["justice_sent_count"] == 1

    # Another prosecution office, the court, caseworkers and the outsider see nothing of it.
    ctx = home_context(rabat, today=today())
    assert ctx["justice_incoming"] == [] and ctx["justice_incoming_count"] == 0
    assert inv.reference not in login(rabat).get(reverse("home")).content.decode()
    assert "justice_incoming" not in home_context(users["cole"])
    for name in ("alice", "sam", "harry", "charlie"):
        assert home_context(users[name]) == {}, name
    charlie = login(users["charlie"]).get(reverse("home"))
    assert charlie.status_code == 200 and inv.reference not in charlie.content.decode()


def test_incoming_leaves_once_a_prosecution_starts(users, orgs):
    carol, paula = users["carol"], users["paula"]
    inv = transferred(carol, orgs["police"], orgs["parquet"], days_ago=5)
    suspect = ja.add_suspect(
        inv,
        acting_user=carol,
        added_on=today() - datetime.timedelta(days=30),
        given_name_lat="Karim",
        family_name_lat="Suspect",
        role_in_process=f.code("role_in_process", "recruiter"),
    )
    assert home_context(paula)["justice_incoming_count"] == 1
    ja.start_prosecution(
        inv, suspect, acting_user=paula, office=orgs["parquet"], started_on=today()
    )
    assert home_context(paula)["justice_incoming_count"] == 0
    assert home_context(carol)["justice_sent_count"] == 0
    # Still open investigations and closed ones are not incoming either.
    ja.open_investigation(acting_user=carol, organisation=orgs["police"], opened_on=today())
    assert home_context(paula)["justice_incoming_count"] == 0


def test_oldest_first_at_most_shown_and_the_true_total(users, orgs):
    carol, paula = users["carol"], users["paula"]
    invs = [
        transferred(carol, orgs["police"], orgs["parquet"], days_ago=d) for d in range(1, SHOWN + 3)
    ]
    ctx = home_context(paula, today=today())
    assert ctx["justice_incoming_count"] == SHOWN + 2
    rows = ctx["justice_incoming"]
    assert len(rows) == SHOWN
    assert [r.pk for r in rows] == [i.pk for i in reversed(invs)][:SHOWN]
    assert [r.waiting_days for r in rows] == list(range(SHOWN + 2, 2, -1))


def test_stalled_count_is_the_total_and_the_list_bounded(users, orgs):
    carol = users["carol"]
    old = today() - datetime.timedelta(days=400)
    for i in range(SHOWN + 2):
        ja.open_investigation(
            acting_user=carol,
            organisation=orgs["police"],
            opened_on=old + datetime.timedelta(days=i),
        )
    ctx = home_context(carol, today=today())
    assert ctx["justice_stalled_count"] == SHOWN + 2
    assert len(ctx["justice_stalled"]) == SHOWN
    assert ctx["justice_stalled"][0].idle_days == 400  # the longest idle first


def home_queries(client):
    return page_queries(client, reverse("home"))


@pytest.mark.parametrize("name", ["paula", "carol"])
def test_home_queries_do_not_grow_with_the_rows(users, orgs, login, name):
    carol = users["carol"]
    transferred(carol, orgs["police"], orgs["parquet"])
    client = login(users[name])
    one = home_queries(client)
    for d in range(19):
        transferred(carol, orgs["police"], orgs["parquet"], days_ago=d + 4)
    assert home_queries(client) == one
