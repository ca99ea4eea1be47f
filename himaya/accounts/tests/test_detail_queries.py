"""The management pages of one organisation and of one account read in a number of queries that
does not grow with the organisation's members or the account's roles."""

import pytest

from himaya.testing import factories as f
from himaya.testing.queries import page_counts

pytestmark = pytest.mark.django_db

ROLES = ("caseworker", "org_admin", "shelter_manager")


@pytest.mark.parametrize("who", ["root", "olivia"])
def test_the_organisation_page_reads_in_constant_queries(who, users, orgs, login, figure):
    """NGO A has alice and olivia; a second organisation gets them and five more accounts (one
    of them with two roles). Olivia manages the organisations she is an admin of."""
    other = f.OrganisationFactory(name_en="NGO C")
    f.member(users["olivia"], other, "org_admin")
    f.member(users["alice"], other, "caseworker")
    for i in range(5):
        account = f.UserFactory(username=f"member{i}")
        for role in ROLES[: 1 + i % 2]:
            f.member(account, other, role)
    counts, response = page_counts(login(users[who]), "orgs:detail", (orgs["ngo_a"], other))
    assert "member4" in response.text
    assert counts[0] == counts[1], counts
    figure(f"organisation page ({who}): {counts[0]} queries, 2 or 9 roles held")


def test_the_account_page_reads_in_constant_queries(users, orgs, login, figure):
    """Alice holds one role; another account holds three roles in three organisations."""
    busy = f.UserFactory(username="busy")
    for org, role in zip(("ngo_a", "ngo_b", "shelter"), ROLES, strict=True):
        f.member(busy, orgs[org], role)
    counts, response = page_counts(login(users["root"]), "orgs:user_detail", (users["alice"], busy))
    assert "Dar Amane shelter" in response.text
    assert counts[0] == counts[1], counts
    figure(f"account page (root): {counts[0]} queries, 1 or 3 roles")
