"""The name search (PersonQuerySet.search, ranked_by_spelling): what it finds, in which order,
and the shape of its SQL (issue 15, item 23: two IN subqueries joined by OR made PostgreSQL read
the whole person table for a common name at 100k persons)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from himaya.people.models import Person
from himaya.testing import factories as f


def names_found(text, user):
    persons = Person.objects.visible_to(user).search(text).ranked_by_spelling(text)
    return [p.display_name for p in persons]


def test_every_word_in_either_script_and_joined_spellings(users, orgs):
    alice, ngo = users["alice"], orgs["ngo_a"]
    f.person(alice, ngo, given_name_lat="Fatima", family_name_lat="Zahra")
    f.person(alice, ngo, given_name_lat="Fatimazahra", family_name_lat="Alaoui")
    f.person(
        alice,
        ngo,
        given_name_ar="فاطمة",
        family_name_ar="الزهراء",
        given_name_lat="",
        family_name_lat="",
    )
    f.person(alice, ngo, given_name_lat="Fatima", family_name_lat="Bennani")
    f.person(bob := users["bob"], orgs["ngo_b"], given_name_lat="Fatima", family_name_lat="Zahra")
    found = names_found("Fatima Zahra", alice)
    # both words, the joined spelling, the Arabic script; not Bennani, not bob's record
    assert sorted(found) == sorted(["Fatima Zahra", "Fatimazahra Alaoui", "فاطمة الزهراء"])
    assert found[0] == "Fatima Zahra"  # both words as written rank first
    assert names_found("Fatima Zahra", bob) == ["Fatima Zahra"]
    assert names_found("Youssef", alice) == []


def test_the_exact_spelling_first_then_the_newest(users, orgs):
    alice, ngo = users["alice"], orgs["ngo_a"]
    f.person(alice, ngo, given_name_lat="Mohamed", family_name_lat="Alami")
    f.person(alice, ngo, given_name_lat="Mohammed", family_name_lat="Alami")
    f.person(alice, ngo, given_name_lat="Muhammad", family_name_lat="Alami")
    assert names_found("Mohammed Alami", alice) == [
        "Mohammed Alami",  # both words as written
        "Muhammad Alami",  # one (the family name), newest first
        "Mohamed Alami",
    ]


def test_the_search_reads_the_blind_index_through_one_in(users, orgs):
    """One ``IN`` (a UNION for the joined spelling), no OR between subqueries: the planner can
    then start from the digest index instead of reading every person."""
    alice = users["alice"]
    f.person(alice, orgs["ngo_a"], given_name_lat="Fatima", family_name_lat="Zahra")
    with CaptureQueriesContext(connection) as captured:
        assert names_found("Fatima Zahra", alice)
    sql = captured.captured_queries[-1]["sql"]
    assert " UNION " in sql  # the joined spelling ("Fatimazahra"), in the same IN
    assert 'OR "people_person"."id" IN' not in sql
