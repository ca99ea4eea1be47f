"""The three flows a user waits on at every entry cost the same number of queries whatever the
size of the register (issue 15, item 23): a person's creation (with and without candidates
shown by the duplicate check, and its confirmed save), a name search and a screening's
submission, each with the page it leads to. Their times at 10k and 100k persons are
benchmarks/flows.py's matter, never a test's."""

import re

import pytest
from django.urls import reverse

from himaya.screening.tests.helpers import STRONG_LABOUR, start, submitted
from himaya.testing import factories as f
from himaya.testing.queries import PageQueries

TOKEN = re.compile(r'name="entry_confirmed" value="([^"]+)"')


def counted(call):
    with PageQueries() as captured:
        response = call()
    return len(captured), response


def grow(users, orgs, n):
    """``n`` more persons of the names the flows look for, each with a submitted screening,
    held by the user's organisation and by another one."""
    for i in range(n):
        org, user = (orgs["ngo_a"], users["alice"]) if i % 2 else (orgs["ngo_b"], users["bob"])
        person = f.person(user, org, given_name_lat="Fatima", family_name_lat="Bennani")
        submitted(user, org, person=person)


def create(client, orgs, data):
    return client.post(reverse("people:create"), {"organisation": orgs["ngo_a"].pk, **data})


# Names no one else has, one per round (the second round must not find the first's person).
NEW = [
    {"given_name_lat": "Zineb", "family_name_lat": "Lahlou", "birth_date_precision": "unknown"},
    {"given_name_lat": "Omar", "family_name_lat": "Sqalli", "birth_date_precision": "unknown"},
    {"given_name_lat": "Hind", "family_name_lat": "Tazi", "birth_date_precision": "unknown"},
]
KNOWN = {
    "given_name_lat": "Fatima",
    "family_name_lat": "Bennani",
    "birth_date": "1995-03-01",
    "birth_date_precision": "exact",
}


def flows(client, users, orgs, round_no):
    """Queries of each step, for one round of the flows."""
    out = {}
    n, response = counted(lambda: create(client, orgs, NEW[round_no]))
    assert response.status_code == 302, response.status_code
    out["person create, new"] = n
    out["person page"], _ = counted(lambda: client.get(response["Location"]))
    n, response = counted(lambda: create(client, orgs, KNOWN))
    assert response.status_code == 409  # the candidates shown
    out["person create, candidates"] = n
    token = TOKEN.search(response.text).group(1)
    n, response = counted(lambda: create(client, orgs, {**KNOWN, "entry_confirmed": token}))
    assert response.status_code == 302
    out["person create, confirmed"] = n
    posted = client.post(reverse("people:list"), {"q": "Fatima"})
    n, response = counted(lambda: client.get(posted["Location"]))
    assert response.status_code == 200 and response.context["page"].paginator.count
    out["name search"] = n
    draft = start(users["alice"], orgs["ngo_a"], answers=STRONG_LABOUR)
    n, response = counted(lambda: client.post(reverse("screening:submit", args=[draft.pk])))
    assert response.status_code == 302
    out["screening submit"] = n
    out["screening page"], _ = counted(lambda: client.get(response["Location"]))
    return out


@pytest.mark.django_db
def test_the_flows_cost_the_same_queries_at_any_size(users, orgs, login, figure):
    client = login(users["alice"])
    grow(users, orgs, 2)
    # Once before: what a process keeps for every later request (the code lists, a select's
    # choices: core/codelabels) is read on the first, whatever the size.
    flows(client, users, orgs, 2)
    small = flows(client, users, orgs, 0)
    grow(users, orgs, 24)  # a dozen more candidates and search results of the user's, and others'
    large = flows(client, users, orgs, 1)
    assert small == large
    figure(
        "flows, queries at 3 and 28 persons of the searched name (after a first round): "
        + ", ".join(f"{k} {v}" for k, v in small.items())
    )
