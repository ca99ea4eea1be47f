"""The HTCDS page's list of the user's extracts costs the same queries whatever its length
(issue 18 item 4; himaya/tests/test_list_coverage.py finds it through ``COVERED``)."""

import pytest
from django.urls import reverse

from himaya.exchange import background
from himaya.exchange.models import Extract
from himaya.testing.queries import steady_queries

pytestmark = pytest.mark.django_db

COVERED = {"exchange:htcds"}


@pytest.mark.parametrize("who, org", [("alice", "ngo_a"), ("ana", "commission")])
def test_the_extracts_list_does_not_grow_with_the_extracts(users, orgs, login, who, org, figure):
    client = login(users[who])
    kind = Extract.Kind.CASES_CSV if who == "alice" else Extract.Kind.CTDC
    background.queue_extract(users[who], kind, orgs[org].pk)
    small, response = steady_queries(client, reverse("exchange:htcds"))
    assert len(response.context["extracts"]) == 1
    for _ in range(4):
        background.queue_extract(users[who], kind, orgs[org].pk)
    large, response = steady_queries(client, reverse("exchange:htcds"))
    assert len(response.context["extracts"]) == 5
    assert small == large
    figure(f"exchange:htcds ({who}): {small} queries at 1 and at 5 extracts")
