"""The trainings figure (DOMAIN.md §6), the annual report's trainings table, and indicators
computed from the statistics' figures (the frozen report's value when the year is frozen)."""

import datetime

import pytest

from himaya.coordination import actions
from himaya.coordination.indicators import indicator_rows
from himaya.statistics import figures
from himaya.statistics.labels import localise
from himaya.statistics.models import FrozenReport
from himaya.statistics.report import build_report, find_row
from himaya.testing import factories as f

from .conftest import TODAY


def _training(user, organiser, day, audience, topic="identification"):
    return actions.do_record_training(
        acting_user=user,
        organiser=organiser,
        topic=topic,
        title=f"Session {day.isoformat()}",
        starts_on=day,
        ends_on=day + datetime.timedelta(days=1),
        audience=audience,
        on=TODAY,
    )


@pytest.fixture
def sessions(users, orgs):
    ana, police, ngo = users["ana"], f.code("org_type", "police"), f.code("org_type", "ngo")
    # first day on 31 December 2023: counted in 2023, though it ends in 2024
    _training(ana, orgs["commission"], datetime.date(2023, 12, 31), [(police, 1, 4, 0)])
    _training(ana, orgs["commission"], datetime.date(2024, 1, 1), [(police, 2, 3, 1)])
    _training(
        ana,
        orgs["police"],
        datetime.date(2024, 11, 5),
        [(police, 0, 2, 0), (ngo, 5, 0, 0)],
        topic="non_punishment",
    )


def test_trainings_count_sessions_by_first_day_and_participants_by_agency_and_sex(sessions):
    t = figures.trainings(2024)
    assert (t["sessions"], t["participants"]) == (2, 13)
    assert t["by_sex"] == {"women": 7, "men": 5, "unrecorded": 1}
    assert t["by_agency_type"]["police"] == {"women": 2, "men": 5, "unrecorded": 1, "total": 8}
    assert t["by_agency_type"]["ngo"]["total"] == 5
    assert t["by_topic"] == {"identification": 1, "non_punishment": 1}
    assert figures.trainings(2023)["sessions"] == 1 and figures.trainings(2022)["sessions"] == 0


def test_the_annual_report_has_its_trainings_table(sessions):
    report = build_report(2024)
    table = next(t for t in report["tables"] if t["key"] == "trainings")
    rows = {r["key"]: (r["value"], r["previous"]) for r in table["rows"]}
    assert rows["sessions"] == (2, 1)
    assert rows["participants"] == (13, 5)
    assert rows["sex:women"] == (7, 1)
    assert rows["agency:police:men"] == (5, 4)
    assert rows["agency:ngo:women"] == (5, 0)
    shown = {lang: localise(report, lang) for lang in ("en", "ar")}
    trainings = {
        lang: next(t for t in r["tables"] if t["key"] == "trainings") for lang, r in shown.items()
    }
    assert "counts twice" in trainings["en"]["rule"] and trainings["ar"]["title"]
    support = next(t for t in shown["en"]["tables"] if t["key"] == "ngo_support")
    assert "not recorded" not in support["rule"]


def test_a_computed_indicator_moves_with_the_figures_and_keeps_the_frozen_value(users, orgs, plan):
    ana = users["ana"]
    indicator = actions.do_add_indicator(
        plan["measure"],
        acting_user=ana,
        name_en="Sessions held",
        figure="training_sessions",
        baseline_year=2023,
        baseline=0,
    )
    actions.do_set_indicator_year(indicator, acting_user=ana, year=2024, target=3)
    [row] = indicator_rows([indicator], [2024])
    assert row["years"][0]["actual"] == 0 and row["years"][0]["target"] == 3
    _training(
        ana,
        orgs["commission"],
        datetime.date(2024, 3, 3),
        [(f.code("org_type", "police"), 1, 1, 0)],
    )
    [row] = indicator_rows([indicator], [2024])
    assert row["years"][0]["actual"] == 1 and row["years"][0]["frozen"] is None
    FrozenReport.objects.create(
        year=2024, version=1, report=build_report(2024), data_version="x", frozen_by=ana
    )
    _training(
        ana,
        orgs["commission"],
        datetime.date(2024, 4, 4),
        [(f.code("org_type", "police"), 1, 1, 0)],
    )
    [row] = indicator_rows([indicator], [2024])
    assert (row["years"][0]["actual"], row["years"][0]["frozen"]) == (1, 1)
    assert find_row(build_report(2024), "trainings", "sessions")["value"] == 2


def test_an_indicator_names_a_known_figure_or_a_source(users, plan):
    from django.core.exceptions import ValidationError

    for bad in ({"figure": "victims_named"}, {"figure": "", "source_fr": ""}):
        with pytest.raises(ValidationError):
            actions.do_add_indicator(plan["measure"], acting_user=users["ana"], name_en="x", **bad)
