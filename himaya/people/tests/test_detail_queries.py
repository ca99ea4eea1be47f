"""A person's page reads in a number of queries that does not grow with what the person's
record holds: citizenships and languages, identity documents, consents and dossiers."""

import datetime

import pytest
from django.utils import timezone

from himaya.cases import actions as case_actions
from himaya.core.models import Code
from himaya.people import actions
from himaya.people.models import ConsentPurpose
from himaya.testing import factories as f
from himaya.testing.queries import page_counts

pytestmark = pytest.mark.django_db


def first(code_list, n):
    return list(Code.objects.of(code_list).order_by("sort", "code")[:n])


def _person(users, orgs, n):
    """Alice's person with n of each: citizenships, languages, documents, consents (one a
    purpose) and dossiers, each dossier shared with bob's NGO with the identity."""
    alice, ngo = users["alice"], orgs["ngo_a"]
    person = f.person(alice, ngo, citizenships=first("country", n), languages=first("language", n))
    for i, kind in enumerate(first("document_type", n)):
        actions.add_document(
            person,
            acting_user=alice,
            type=kind,
            number=f"AB{i:06d}",
            issuing_country=f.code("country", "MA"),
            expires_on=timezone.localdate() + datetime.timedelta(days=300),
            held_by_person=i % 2 == 0,
        )
    for purpose in list(ConsentPurpose)[:n]:
        actions.record_consent(
            person,
            acting_user=alice,
            organisation=ngo,
            purpose=purpose,
            given_on=timezone.localdate(),
            given_by="person",
            informed_in=f.code("language", "ar"),
        )
    for _ in range(n):
        dossier = f.dossier(alice, ngo, the_person=person)
        case_actions.grant_access(
            dossier, acting_user=alice, organisation=orgs["ngo_b"], reason="Shared"
        )
    return person


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_person_page_reads_in_constant_queries(who, users, orgs, login, figure):
    small, large = _person(users, orgs, 1), _person(users, orgs, 3)
    assert large.documents.count() == 3 and large.dossiers.count() == 3
    client = login(users[who])
    counts, response = page_counts(client, "people:detail", (small, large))
    assert "AB000002" in response.text
    assert counts[0] == counts[1], counts
    figure(
        f"person page ({who}): {counts[0]} queries, 1 or 3 citizenships, languages, "
        "documents, consents and dossiers"
    )
