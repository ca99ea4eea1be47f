"""The linkage desk: only the commission's linkage officers open it; they see the two
identities of a pair and nothing else of the records; link, different, ask, unlink."""

import datetime

import pytest

from himaya.audit.models import AccessEvent, AuditEvent
from himaya.cases.actions import record_decision
from himaya.linkage import actions
from himaya.linkage.candidates import propose
from himaya.linkage.models import CandidatePair, Notice, PairSource, PairStatus, Question
from himaya.linkage.scoring import Score
from himaya.statistics import figures
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def lina(orgs):
    return f.member(f.UserFactory(username="lina"), orgs["commission"], "linkage_officer")


@pytest.fixture
def pair(users, orgs):
    """Victim records of one woman at two NGOs, both identified this year."""
    a = f.person(
        users["alice"],
        orgs["ngo_a"],
        given_name_ar="فاطمة",
        family_name_ar="العمراني",
        given_name_lat="",
        family_name_lat="",
    )
    b = f.person(users["bob"], orgs["ngo_b"], given_name_lat="Fatima", family_name_lat="El Amrani")
    f.dossier(users["alice"], orgs["ngo_a"], a)
    f.dossier(users["bob"], orgs["ngo_b"], b)
    result = Score({"name": 4, "birth": 4}, 12.0, 0.99, {})
    created, _new = propose("person", a.pk, b.pk, result, source=PairSource.BATCH)
    return created


def test_only_linkage_officers_open_the_desk(users, lina, pair, login, figure):
    refused = []
    for name in ("alice", "bob", "ana", "olivia", "harry", "paula", "root", "charlie"):
        client = login(users[name])
        for url in ("/linkage/", f"/linkage/pairs/{pair.pk}/"):
            if client.get(url).status_code != 404:
                refused.append((name, url))
        if (
            client.post(f"/linkage/pairs/{pair.pk}/decide/", {"decision": "link"}).status_code
            != 404
        ):
            refused.append((name, "decide"))
    assert refused == []
    assert CandidatePair.objects.get().status == PairStatus.OPEN
    figure(f"S2 linkage desk: 8 roles x 3 requests, {len(refused)} answered other than 404")
    officer = login(lina)
    assert officer.get("/linkage/").status_code == 200


def test_the_pair_page_shows_both_identities_and_nothing_of_the_dossiers(lina, pair, login):
    client = login(lina)
    response = client.get(f"/linkage/pairs/{pair.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "فاطمة" in html and "El Amrani" in html
    assert "names match across scripts" in html
    for d in (pair.left.dossiers.get(), pair.right.dossiers.get()):
        assert d.reference not in html
    audited = AccessEvent.objects.filter(purpose=f"linkage desk: pair {pair.pk}")
    assert sorted(audited.values_list("person_id", flat=True)) == sorted(
        [pair.left_person_id, pair.right_person_id]
    )


def test_linking_tells_both_organisations(lina, pair, orgs, login):
    client = login(lina)
    response = client.post(f"/linkage/pairs/{pair.pk}/decide/", {"decision": "link", "note": ""})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.LINKED
    assert pair.right_person.same_as_id == pair.left_person_id
    assert set(Notice.objects.values_list("organisation_id", flat=True)) == {
        orgs["ngo_a"].pk,
        orgs["ngo_b"].pk,
    }
    assert AuditEvent.objects.filter(action="linkage_link").count() == 1
    assert (
        login(lina).post(f"/linkage/pairs/{pair.pk}/decide/", {"decision": "link"}).status_code
        == 400
    )


def test_a_link_takes_effect_in_the_figures_at_once(lina, users, orgs):
    """Two records of one victim identified in 2023 by the police count as two until the desk
    links them, then as one; unlinking counts them as two again."""
    carol, police = users["carol"], orgs["police"]
    records = []
    for names, on in (
        ({"given_name_ar": "فاطمة", "family_name_ar": "العمراني", "given_name_lat": ""}, 3),
        ({"given_name_lat": "Fatima", "family_name_lat": "El Amrani"}, 5),
    ):
        person = f.person(carol, police, **names)
        d = f.dossier(carol, police, the_person=person, opened_on=datetime.date(2023, 1, 2))
        record_decision(
            d,
            acting_user=carol,
            organisation=police,
            status=f.code("trafficking_status", "actual"),
            decided_on=datetime.date(2023, on, 1),
            reasons="x",
        )
        records.append(person)
    before = figures.victims_identified_total(2023)
    result = Score({"name": 4, "birth": 4}, 12.0, 0.99, {})
    pair, _new = propose("person", records[0].pk, records[1].pk, result, source=PairSource.BATCH)
    actions.link_pair(pair, acting_user=lina)
    assert figures.victims_identified_total(2023) == before - 1
    actions.unlink_pair(pair, acting_user=lina, note="two sisters")
    assert figures.victims_identified_total(2023) == before


def test_unlinking_needs_a_reason_and_restores_the_count(lina, pair, login):
    client = login(lina)
    client.post(f"/linkage/pairs/{pair.pk}/decide/", {"decision": "link"})
    refused = client.post(f"/linkage/pairs/{pair.pk}/decide/", {"decision": "unlink", "note": ""})
    assert refused.status_code == 400
    assert "Say why." in refused.content.decode()
    done = client.post(
        f"/linkage/pairs/{pair.pk}/decide/",
        {"decision": "unlink", "note": "Two sisters: the NGO confirmed different birth dates."},
    )
    assert done.status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.UNLINKED
    assert pair.right_person.same_as_id is None


def test_different_persons_are_not_proposed_again_unless_a_record_changes(lina, pair, users):
    actions.mark_different(pair, acting_user=lina, note="siblings")
    result = Score({"name": 4}, 10.0, 0.95, {})
    again, created = propose(
        "person", pair.left_person_id, pair.right_person_id, result, source=PairSource.BATCH
    )
    assert not created and again.status == PairStatus.DIFFERENT
    person = pair.right_person
    from himaya.people import actions as people_actions

    people_actions.update_person(
        person, acting_user=users["bob"], expected_version=person.version, family_name_lat="Amrani"
    )
    again, created = propose(
        "person", pair.left_person_id, pair.right_person_id, result, source=PairSource.BATCH
    )
    assert created and again.status == PairStatus.OPEN


def test_asking_the_owners_and_their_answer(lina, pair, users, orgs, login):
    client = login(lina)
    client.post(
        f"/linkage/pairs/{pair.pk}/decide/",
        {"decision": "ask", "note": "Does she have a sister registered with you?"},
    )
    assert Question.objects.count() == 2
    bob = login(users["bob"])
    page = bob.get("/linkage/questions/")
    html = page.content.decode()
    assert "Does she have a sister" in html
    assert "فاطمة" not in html  # the other organisation's record is never shown
    question = Question.objects.get(organisation=orgs["ngo_b"])
    assert (
        bob.post(f"/linkage/questions/{question.pk}/answer/", {"answer": "No sister."}).status_code
        == 302
    )
    question.refresh_from_db()
    assert question.answer == "No sister."
    other = Question.objects.get(organisation=orgs["ngo_a"])
    assert bob.post(f"/linkage/questions/{other.pk}/answer/", {"answer": "x"}).status_code == 404
    assert login(users["carol"]).get("/linkage/questions/").content.decode().count("Does she") == 0


def test_a_linked_persons_page_says_only_that_she_is_known_elsewhere(lina, pair, users, login):
    actions.link_pair(pair, acting_user=lina)
    alice = login(users["alice"])
    html = alice.get(f"/people/{pair.left_person_id}/").content.decode()
    assert 'data-testid="known-elsewhere"' in html
    assert "El Amrani" not in html and pair.right.dossiers.get().reference not in html
    response = alice.post(
        f"/linkage/persons/{pair.left_person_id}/request/",
        {"text": "We would like to refer her to their shelter."},
    )
    assert response.status_code == 302
    request = pair.requests.get()
    assert request.organisation_id == users["alice"].memberships.get().organisation_id
    desk = login(lina).get(f"/linkage/pairs/{pair.pk}/").content.decode()
    assert "We would like to refer her" in desk
    # someone who does not see the person cannot use the form
    assert (
        login(users["carol"])
        .post(f"/linkage/persons/{pair.left_person_id}/request/", {"text": "x"})
        .status_code
        == 404
    )
    # before the link, nothing is shown
    actions.unlink_pair(pair, acting_user=lina, note="not her")
    html = alice.get(f"/people/{pair.left_person_id}/").content.decode()
    assert 'data-testid="known-elsewhere"' not in html


def test_a_victim_also_recorded_as_a_suspect_is_flagged_on_the_pair(lina, pair, users, login):
    from himaya.justice.models import Investigation

    inv = Investigation.objects.create(
        reference="ENQ-T-1",
        opened_on=datetime.date.today(),
        investigating_org=users["carol"].memberships.get().organisation,
        last_event_on=datetime.date.today(),
        created_by=users["carol"],
    )
    client = login(lina)
    assert (
        'data-testid="cross-flag"' not in client.get(f"/linkage/pairs/{pair.pk}/").content.decode()
    )
    from himaya.justice import actions as justice_actions

    justice_actions.add_suspect(
        inv,
        acting_user=users["carol"],
        given_name_lat="Fatima",
        family_name_lat="El Amrani",
        sex=f.code("sex", "female"),
        birth_date=datetime.date(1995, 3, 1),
        birth_date_precision="exact",
    )
    assert 'data-testid="cross-flag"' in client.get(f"/linkage/pairs/{pair.pk}/").content.decode()
