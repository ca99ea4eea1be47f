"""The pages of one record of the screening app read in a number of queries that does not grow
with what the record holds: a screening's page (its answers, the reasons and Palermo elements
of its result, its correction), a campaign's page (its screenings) and a questionnaire's page
(its questions)."""

import datetime

import pytest
from django.utils import timezone

from himaya.screening import actions
from himaya.testing import factories as f
from himaya.testing.queries import page_counts

from .helpers import POSSIBLE_LABOUR, published, start, submitted

pytestmark = pytest.mark.django_db


def _corrected(user, org, answers):
    """A screening of a recorded person with these answers, and a draft correcting it."""
    person = f.person(user, org)
    screening = submitted(user, org, answers, person=person, alias="")
    actions.start_correction(screening, acting_user=user)
    return screening


def test_the_screening_page_reads_in_constant_queries(users, orgs, login, figure):
    carol, police = users["carol"], orgs["police"]
    every_yes = {q.key: "yes" for q in published().questions.all()}
    small = _corrected(carol, police, POSSIBLE_LABOUR)
    large = _corrected(carol, police, every_yes)
    assert len(large.answers) > 3 * len(small.answers)
    counts, response = page_counts(login(carol), "screening:detail", (small, large))
    assert response.text.count("answer-yes") == len(every_yes)
    assert counts[0] == counts[1], counts
    figure(
        f"screening page (carol): {counts[0]} queries, {len(small.answers)} or "
        f"{len(large.answers)} answers"
    )


def _campaign_with(user, org, n):
    """A campaign with n screenings: n - 1 submitted, one draft."""
    the_campaign = actions.create_campaign(
        acting_user=user,
        organisation=org,
        name_fr=f"Campaign {n}",
        region=f.code("region", "tanger_tetouan_al_hoceima"),
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        ends_on=timezone.localdate() + datetime.timedelta(days=10),
        target_group="irregular_migrants",
        status="active",
    )
    for i in range(n):
        if i < n - 1:
            submitted(user, org, POSSIBLE_LABOUR, campaign=the_campaign)
        else:
            start(user, org, answers=POSSIBLE_LABOUR, campaign=the_campaign)
    return the_campaign


@pytest.mark.parametrize("who", ["carol", "ana"])
def test_the_campaign_page_reads_in_constant_queries(who, users, orgs, login, figure):
    small = _campaign_with(users["carol"], orgs["police"], 2)
    large = _campaign_with(users["carol"], orgs["police"], 5)
    counts, response = page_counts(login(users[who]), "screening:campaign_detail", (small, large))
    assert who == "ana" or response.text.count('href="/screening/') >= 5
    assert counts[0] == counts[1], counts
    figure(f"campaign page ({who}): {counts[0]} queries, 2 or 5 screenings")


def _draft(root, code, keep=None):
    """A new version of a published questionnaire, kept whole or cut to ``keep`` questions."""
    draft = actions.new_version(published(code), acting_user=root)
    for question in list(draft.questions.all())[keep:] if keep else []:
        actions.delete_question(question, acting_user=root)
    return draft


def test_the_questionnaire_page_reads_in_constant_queries(users, login, figure):
    root = users["root"]
    small, large = _draft(root, "adult_labour", keep=5), _draft(root, "child")
    sizes = [q.questions.count() for q in (small, large)]
    assert sizes[0] == 5 and sizes[1] > 50
    counts, response = page_counts(login(root), "screening:questionnaire_detail", (small, large))
    assert counts[0] == counts[1], counts
    figure(f"questionnaire page (root): {counts[0]} queries, {sizes[0]} or {sizes[1]} questions")
