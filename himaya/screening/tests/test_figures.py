"""Screening figures follow the rules written in figures.py: submitted screenings dated in
the year, corrections replacing what they correct, persons counted once, no identities."""

import datetime

import pytest

from himaya.screening import actions, figures
from himaya.testing import factories as f

from .helpers import NONE_LABOUR, POSSIBLE_LABOUR, STRONG_LABOUR, start, submitted
from .test_actions import campaign

pytestmark = pytest.mark.django_db


def test_year_figures_follow_the_counting_rules(users, orgs, figure):
    carol, alice = users["carol"], users["alice"]
    this_year = datetime.date.today().year
    jan = datetime.date(this_year, 1, 1)
    last_year = datetime.date(this_year - 1, 12, 31)
    person = f.person(carol, orgs["police"])
    submitted(carol, orgs["police"], screened_on=jan)  # strong
    submitted(carol, orgs["police"], answers=POSSIBLE_LABOUR, screened_on=jan, person=person)
    submitted(carol, orgs["police"], answers=NONE_LABOUR, screened_on=jan, person=person)
    submitted(alice, orgs["ngo_a"], answers=NONE_LABOUR, screened_on=jan, code="child")
    submitted(carol, orgs["police"], screened_on=last_year)  # the year before
    start(carol, orgs["police"], answers=STRONG_LABOUR, screened_on=jan)  # a draft: never counted
    corrected = submitted(carol, orgs["police"], answers=NONE_LABOUR, screened_on=jan)
    correction = actions.start_correction(corrected, acting_user=carol)
    actions.save_answers(correction, acting_user=carol, answers=POSSIBLE_LABOUR)
    actions.submit_screening(correction, acting_user=carol)
    linked = submitted(carol, orgs["police"], screened_on=jan)
    actions.link_dossier(linked, acting_user=carol, dossier=f.dossier(carol, orgs["police"]))

    data = figures.year_figures(this_year)
    assert data["by_recommendation"] == {"strong": 2, "possible": 2, "none": 2, "total": 6}
    assert data["by_recommendation_before"]["total"] == 1
    # person screened twice counts once; the linked one takes its dossier's person
    assert data["people"] == 5
    assert data["people_before"] == 1
    assert data["dossiers"] == 1
    assert data["by_questionnaire"]["child"] == {"strong": 0, "possible": 0, "none": 1, "total": 1}
    assert data["by_questionnaire"]["adult_labour"]["total"] == 5
    assert data["by_organisation_type"]["police"]["total"] == 5
    assert data["by_organisation_type"]["ngo"]["total"] == 1
    # limited to some organisations
    assert figures.by_recommendation(this_year, {orgs["ngo_a"].pk})["total"] == 1
    figure(
        "screening figures: 6 counted of 9 screenings made (1 draft, 1 corrected, 1 the year "
        "before excluded)"
    )


def test_campaign_counts(users, orgs):
    carol = users["carol"]
    c = campaign(carol, orgs["police"])
    empty = campaign(carol, orgs["police"], name_fr="empty")
    person = f.person(carol, orgs["police"])
    submitted(carol, orgs["police"], campaign=c, person=person, alias="")
    submitted(carol, orgs["police"], campaign=c, person=person, alias="", answers=NONE_LABOUR)
    s = submitted(carol, orgs["police"], campaign=c, answers=POSSIBLE_LABOUR)
    start(carol, orgs["police"], campaign=c, answers=STRONG_LABOUR)
    actions.open_dossier_from_screening(s, acting_user=carol, given_name_lat="Awa")
    counts = figures.campaign_counts([c, empty])
    assert counts[c.pk] == {"people": 2, "screenings": 3, "strong": 1, "possible": 1, "dossiers": 1}
    assert counts[empty.pk] == {
        "people": 0,
        "screenings": 0,
        "strong": 0,
        "possible": 0,
        "dossiers": 0,
    }
    year = c.starts_on.year
    assert [x.pk for x, _n in figures.campaigns(year)] == [c.pk, empty.pk]
    assert figures.campaigns(year + 5) == []
