"""A pair's page on the linkage desk reads in a number of queries that does not grow with what
the pair holds: the citizenships of its two records, the desk's questions to the organisations
holding them (and their answers) and the organisations' requests to be put in touch."""

import pytest
from django.urls import reverse

from himaya.core.models import Code
from himaya.linkage import actions
from himaya.linkage.candidates import propose
from himaya.linkage.models import PairSource
from himaya.linkage.scoring import Score
from himaya.testing import factories as f
from himaya.testing.queries import steady_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def lina(orgs):
    return f.member(f.UserFactory(username="lina"), orgs["commission"], "linkage_officer")


def _pair(users, orgs, lina, n):
    """Records of one woman at two NGOs, each with n citizenships; the desk asks both
    organisations n times (alice answers each question about her record) and alice asks n
    times to be put in touch."""
    countries = list(Code.objects.of("country").order_by("sort", "code")[:n])
    a = f.person(users["alice"], orgs["ngo_a"], given_name_lat="Fatima", citizenships=countries)
    b = f.person(
        users["bob"],
        orgs["ngo_b"],
        given_name_lat="Fatima",
        family_name_lat="El Amrani",
        citizenships=countries,
    )
    result = Score({"name": 4, "birth": 4}, 12.0, 0.99, {})
    pair, _new = propose("person", a.pk, b.pk, result, source=PairSource.BATCH)
    for i in range(n):
        for question in actions.ask_owners(pair, acting_user=lina, text=f"Question {i}"):
            if question.organisation_id == orgs["ngo_a"].pk:
                actions.answer_question(question, acting_user=users["alice"], answer=f"Yes {i}")
        actions.request_contact(
            pair, acting_user=users["alice"], organisation_id=orgs["ngo_a"].pk, text=f"Req {i}"
        )
    return pair


def test_the_pair_page_reads_in_constant_queries(users, orgs, lina, login, figure):
    small, large = _pair(users, orgs, lina, 1), _pair(users, orgs, lina, 3)
    assert large.questions.count() == 6 and large.requests.count() == 3
    client = login(lina)
    counts = []
    for pair in (small, large):
        count, response = steady_queries(client, reverse("linkage:pair", args=[pair.pk]))
        counts.append(count)
    assert "Req 2" in response.text and "Yes 2" in response.text
    assert counts[0] == counts[1], counts
    figure(
        f"linkage pair page (lina): {counts[0]} queries, 1 or 3 citizenships a side, 2 or 6 "
        "questions, 1 or 3 requests"
    )
