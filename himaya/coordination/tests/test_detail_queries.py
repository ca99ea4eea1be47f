"""The pages of one record of the coordination app read in a number of queries that does not
grow with what the record holds: a plan (its axes, objectives and measures), a measure (its
history, notes, evidence, indicators and recommendations), a recommendation (its progress year
by year and evidence), a meeting (attendance, decisions and their follow-up actions) and a
training's page (its audience)."""

import datetime
import re

import pytest
from django.utils import timezone

from himaya.coordination import actions
from himaya.testing import factories as f
from himaya.testing.queries import page_counts

from .test_actions import PDF

pytestmark = pytest.mark.django_db

PARTNERS = ("parquet", "police", "ngo_a")
STATUSES = ("under_way", "late", "under_way")
AGENCY_TYPES = ("police", "prosecution", "ngo")


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def _plan(ana, orgs, ministry, n):
    """A plan of n axes, each of one objective with n measures of n partners each."""
    plan = actions.do_create_plan(
        # Around the year the test runs: this year's targets are set below.
        acting_user=ana,
        start_year=timezone.localdate().year - 3,
        end_year=timezone.localdate().year + 4,
        title_fr=f"Plan {n}",
    )
    for i in range(n):
        axis = actions.do_add_axis(plan, acting_user=ana, title_fr=f"Axis {i}")
        objective = actions.do_add_objective(axis, acting_user=ana, title_fr=f"Objective {i}")
        for j in range(n):
            actions.do_add_measure(
                objective,
                acting_user=ana,
                title_fr=f"Measure {i}.{j}",
                lead_agency=ministry,
                partners=[orgs[p] for p in PARTNERS[:n]],
                budget_line=f"BG-{i}{j}",
                deadline=days_ago(-100),
                on=days_ago(400),
            )
    return plan


@pytest.mark.parametrize("who", ["ana", "carol"])
def test_the_plan_page_reads_in_constant_queries(who, users, orgs, ministry, login, figure):
    small = _plan(users["ana"], orgs, ministry, 1)
    large = _plan(users["ana"], orgs, ministry, 3)
    counts, response = page_counts(login(users[who]), "coordination:plan", (small, large))
    assert "Measure 2.2" in response.text
    assert counts[0] == counts[1], counts
    figure(f"action plan page ({who}): {counts[0]} queries, 1 or 9 measures in 1 or 3 axes")


def _measure(users, orgs, ministry, fatima, n):
    """A measure with n of each: status changes, progress notes (fatima) and comments (ana),
    evidence files, indicators entered by hand with this year's values, indicators computed
    from a figure, and recommendations."""
    ana = users["ana"]
    objective = actions.do_add_objective(
        actions.do_add_axis(_plan(ana, orgs, ministry, 1), acting_user=ana, title_fr="Axis"),
        acting_user=ana,
        title_fr="Objective",
    )
    measure = actions.do_add_measure(
        objective,
        acting_user=ana,
        title_fr="Train judges",
        lead_agency=ministry,
        partners=[orgs[p] for p in PARTNERS[:n]],
        deadline=days_ago(-100),
        on=days_ago(400),
    )
    year = timezone.localdate().year
    for i in range(n):
        measure.refresh_from_db()
        actions.do_set_measure_status(
            measure,
            acting_user=fatima,
            expected_version=measure.version,
            status=STATUSES[i],
            on=days_ago(300 - 10 * i),
        )
        actions.do_add_progress_note(measure, acting_user=fatima, text=f"Progress {i}")
        actions.do_add_progress_note(measure, acting_user=ana, text=f"Comment {i}")
        actions.do_attach_evidence(acting_user=fatima, measure=measure, name=f"e{i}.pdf", data=PDF)
        hand = actions.do_add_indicator(
            measure, acting_user=ana, name_fr=f"Judges {i}", source_fr="CSPJ", targets={year: 10}
        )
        actions.do_set_indicator_year(hand, acting_user=fatima, year=year, target=10, actual=i)
        actions.do_add_indicator(
            measure, acting_user=ana, name_fr=f"Sessions {i}", figure="training_sessions"
        )
        actions.do_add_recommendation(
            acting_user=ana,
            source="tip_report",
            year=2024,
            text_fr=f"Recommendation {i}",
            measures=[measure],
            agencies=[ministry],
        )
    return measure


@pytest.mark.parametrize("who", ["fatima", "ana", "carol"])
def test_the_measure_page_reads_in_constant_queries(
    who, users, orgs, ministry, fatima, login, figure
):
    small = _measure(users, orgs, ministry, fatima, 1)
    large = _measure(users, orgs, ministry, fatima, 3)
    assert large.indicators.count() == 6 and large.history.count() == 4
    user = fatima if who == "fatima" else users[who]
    counts, response = page_counts(login(user), "coordination:measure", (small, large))
    assert len(re.findall(r'href="/coordination/recommendations/\d+/"', response.text)) == 3
    assert "Comment 2" in response.text
    assert counts[0] == counts[1], counts
    figure(
        f"measure page ({who}): {counts[0]} queries, 1 or 3 status changes, notes, comments, "
        "files, recommendations, 2 or 6 indicators"
    )


@pytest.mark.parametrize("who", ["ana", "carol"])
def test_the_indicators_page_of_a_plan_reads_in_constant_queries(
    who, users, orgs, ministry, fatima, login, figure
):
    plans = [_measure(users, orgs, ministry, fatima, n).objective.axis.plan for n in (1, 3)]
    counts, response = page_counts(login(users[who]), "coordination:indicators", plans)
    assert "Sessions 2" in response.text
    assert counts[0] == counts[1], counts
    figure(
        f"plan indicators page ({who}): {counts[0]} queries, 1 or 3 indicators by hand and computed"
    )


def _recommendation(ana, fatima, ministry, n):
    """A recommendation of two years ago with its progress of n years (fatima, then ana) and n
    evidence files."""
    this_year = timezone.localdate().year
    rec = actions.do_add_recommendation(
        acting_user=ana,
        source="tip_report",
        year=this_year - 2,
        priority=True,
        text_fr="Former les juges.",
        agencies=[ministry],
    )
    for i in range(n):
        actions.do_record_progress(
            rec,
            acting_user=fatima,
            year=this_year - i,
            status="in_progress",
            evidence=f"Done in year {i}",
        )
        actions.do_attach_evidence(
            acting_user=fatima, recommendation=rec, name=f"r{i}.pdf", data=PDF
        )
    return rec


@pytest.mark.parametrize("who", ["fatima", "ana", "carol"])
def test_the_recommendation_page_reads_in_constant_queries(
    who, users, ministry, fatima, login, figure
):
    small = _recommendation(users["ana"], fatima, ministry, 1)
    large = _recommendation(users["ana"], fatima, ministry, 3)
    user = fatima if who == "fatima" else users[who]
    counts, response = page_counts(login(user), "coordination:recommendation", (small, large))
    assert "Done in year 2" in response.text
    assert counts[0] == counts[1], counts
    figure(f"recommendation page ({who}): {counts[0]} queries, 1 or 3 years of progress and files")


def _meeting(ana, orgs, n):
    """A meeting of n attending organisations and n decisions, each with n follow-up actions
    (the first one closed)."""
    meeting = actions.do_record_meeting(
        acting_user=ana,
        held_on=days_ago(30),
        title=f"Meeting {n}",
        attendance=[(orgs[p], 2) for p in PARTNERS[:n]],
    )
    for i in range(n):
        decision = actions.do_add_decision(meeting, acting_user=ana, text=f"Decision {i}")
        for j in range(n):
            action = actions.do_assign_action(
                decision,
                acting_user=ana,
                text=f"Action {i}.{j}",
                agency=orgs[PARTNERS[j]],
                due_on=days_ago(-30),
            )
        actions.do_close_action(action, acting_user=ana, expected_version=action.version)
    return meeting


@pytest.mark.parametrize("who", ["ana", "carol"])
def test_the_meeting_page_reads_in_constant_queries(who, users, orgs, login, figure):
    small, large = _meeting(users["ana"], orgs, 1), _meeting(users["ana"], orgs, 3)
    counts, response = page_counts(login(users[who]), "coordination:meeting", (small, large))
    assert "Action 2.2" in response.text
    assert counts[0] == counts[1], counts
    figure(
        f"meeting page ({who}): {counts[0]} queries, 1 or 3 organisations attending and "
        "decisions, 1 or 9 follow-up actions"
    )


def _training(pierre, orgs, n):
    """A training of the police (its focal point pierre) with an audience of n types of
    agency."""
    return actions.do_record_training(
        acting_user=pierre,
        organiser=orgs["police"],
        audience=[(f.code("org_type", t), 3, 2, 0) for t in AGENCY_TYPES[:n]],
        topic="identification",
        title=f"Training {n}",
        starts_on=days_ago(20),
        ends_on=days_ago(18),
        region=f.code("region", "tanger_tetouan_al_hoceima"),
    )


def test_the_training_page_reads_in_constant_queries(orgs, pierre, login, figure):
    small, large = _training(pierre, orgs, 1), _training(pierre, orgs, 3)
    assert large.audience.count() == 3
    counts, _response = page_counts(login(pierre), "coordination:training_edit", (small, large))
    assert counts[0] == counts[1], counts
    figure(f"training page (pierre): {counts[0]} queries, 1 or 3 rows of audience")


def _progress_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from himaya.coordination import exports

    exports.progress(2024, "fr")  # what a process keeps (code lists) read once
    with CaptureQueriesContext(connection) as captured:
        content = exports.progress(2024, "fr")
    return len(captured), content


def test_the_progress_export_reads_in_constant_queries(users, orgs, ministry, fatima, figure):
    """The recommendations' progress export (XLSX and PDF read it): its rows' progress and
    their indicators' figures are read for all recommendations at once, not one by one."""
    _measure(users, orgs, ministry, fatima, 1)
    small, content = _progress_queries()
    assert len(content["rows"]) == 1
    _measure(users, orgs, ministry, fatima, 3)
    large, content = _progress_queries()
    assert len(content["rows"]) == 4
    assert any("Sessions 2" in figure_text for figure_text in content["rows"][-1]["figures"])
    assert small == large, (small, large)
    figure(f"recommendations' progress export: {small} queries, 1 or 4 recommendations")
