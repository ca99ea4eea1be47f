"""The hotline section of core/access.py, through the querysets every page and the API use."""

import pytest

from himaya.core import access
from himaya.hotline import actions
from himaya.hotline.models import Report, ReportAddition
from himaya.testing import factories as f

from .conftest import make_report, make_tip

pytestmark = pytest.mark.django_db


def visible(user):
    access.forget(user)
    return set(Report.objects.visible_to(user).values_list("pk", flat=True))


def writable(user):
    access.forget(user)
    return set(Report.objects.writable_by(user).values_list("pk", flat=True))


@pytest.fixture
def world(users, orgs):
    """A report of our hotline, a report of a second hotline, a web tip, and a report passed to
    the police."""
    harry = users["harry"]
    other_hotline = f.OrganisationFactory(type=f.code("org_type", "hotline"), name_en="Hotline 2")
    sara = f.member(f.UserFactory(username="sara"), other_hotline, "hotline_operator")
    # A helpline run by an NGO: its operators take reports, but web tips go to hotlines.
    helpline = f.member(f.UserFactory(username="nadia"), orgs["ngo_b"], "hotline_operator")
    own = make_report(harry, orgs["hotline"])
    theirs = make_report(sara, other_hotline)
    helpline_report = make_report(helpline, orgs["ngo_b"])
    tip, _code = make_tip()
    passed = make_report(harry, orgs["hotline"])
    actions.triage_pass_to_police(
        passed, acting_user=harry, expected_version=1, organisation=orgs["police"]
    )
    return {
        "own": own.pk,
        "theirs": theirs.pk,
        "helpline": helpline_report.pk,
        "tip": tip.pk,
        "passed": passed.pk,
        "sara": sara,
        "nadia": helpline,
        "other_hotline": other_hotline,
    }


def test_s4_each_user_sees_exactly_their_scope(users, world, figure):
    expected = {
        "harry": {world["own"], world["tip"], world["passed"]},
        "sara": {world["theirs"], world["tip"]},
        "nadia": {world["helpline"]},  # no web tips outside a hotline
        "carol": {world["passed"]},  # passed to the police
        "alice": set(),
        "bob": set(),  # same organisation as the helpline, but not an operator: nothing shared
        "paula": set(),
        "ana": set(),  # analysts: figures only
        "olivia": set(),
        "root": set(),
        "charlie": set(),
    }
    people = {**users, "sara": world["sara"], "nadia": world["nadia"]}
    out_of_scope = 0
    for name, ids in expected.items():
        got = visible(people[name])
        out_of_scope += len(got - ids)
        assert got == ids, name
    figure(f"S4: hotline reports seen by 11 users → {out_of_scope} out-of-scope rows")


def test_only_the_receiving_hotline_writes(users, world):
    assert writable(users["harry"]) == {world["own"], world["tip"], world["passed"]}
    assert writable(world["sara"]) == {world["theirs"], world["tip"]}
    assert writable(world["nadia"]) == {world["helpline"]}
    for name in ("carol", "alice", "ana", "root", "charlie"):
        assert writable(users[name]) == set(), name


def test_an_inactive_hotline_loses_the_web_tips(users, world):
    other = world["other_hotline"]
    other.active = False
    other.save()
    assert visible(world["sara"]) == set()


def test_passed_reports_show_only_to_victim_handling_members(users, orgs, world):
    analyst = f.member(f.UserFactory(username="pol_analyst"), orgs["police"], "analyst")
    admin = f.member(f.UserFactory(username="pol_admin"), orgs["police"], "org_admin")
    assert visible(analyst) == set() and visible(admin) == set()


def test_figures_scope(users, orgs, world):
    def counted(user):
        access.forget(user)
        return set(Report.objects.for_figures(user).values_list("pk", flat=True))

    everything = set(Report.objects.values_list("pk", flat=True))
    assert counted(users["ana"]) == everything  # the national commission's analyst
    assert counted(users["harry"]) == {world["own"], world["tip"], world["passed"]}
    hotline_analyst = f.member(f.UserFactory(username="hl_an"), orgs["hotline"], "analyst")
    assert counted(hotline_analyst) == {world["own"], world["tip"], world["passed"]}
    for name in ("carol", "alice", "olivia", "root", "charlie"):
        assert counted(users[name]) == set(), name
        assert not access.sees_report_figures(users[name])
    assert access.sees_report_figures(users["ana"]) and access.sees_report_figures(hotline_analyst)


def test_additions_follow_their_report(users, orgs, world):
    report = Report.objects.get(pk=world["own"])
    actions.add_note(report, acting_user=users["harry"], text="note")
    assert ReportAddition.objects.visible_to(users["harry"]).count() == 1
    for name in ("carol", "alice", "ana", "charlie"):
        assert ReportAddition.objects.visible_to(users[name]).count() == 0
