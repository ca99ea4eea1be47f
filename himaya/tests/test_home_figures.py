"""The home page's figures are computed once per data revision and access scope
(himaya.home_figures), and whatever changes what they count shows at the next visit: a new
dossier, a stage change, a grant given, ended or expired, a membership, a referral."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from himaya import views
from himaya.cases import actions as case_actions
from himaya.cases.models import AccessGrant, Stage
from himaya.home_figures import HomeFigures
from himaya.referrals.home import home_context as referrals_home
from himaya.statistics.revision import settled_revision
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

# Inside a test's transaction that has written a counted table, PostgreSQL holds the revision's
# lock, so nothing is cached there (see settled_revision): the tests that count cache hits run
# on SQLite; on PostgreSQL the others check the figures without the cache, and the last test
# checks the lock rule and a hit.
on_postgresql = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="cache hits need a committed revision"
)


@pytest.fixture
def computed(monkeypatch):
    """The users for whom the stage counts were computed (not read from the cache)."""
    calls = []
    real = views.stage_counts

    def counting(user):
        calls.append(user.username)
        return real(user)

    monkeypatch.setattr(views, "stage_counts", counting)
    return calls


def visit(login, user):
    response = login(user).get(reverse("home"))
    assert response.status_code == 200
    stages = {stage.value: n for stage, n in response.context["stage_counts"]}
    return response.context["dossier_total"], stages


@on_postgresql
def test_the_stage_counts_are_computed_once_then_read(users, orgs, login, computed):
    alice = users["alice"]
    f.dossier(alice, orgs["ngo_a"])
    assert visit(login, alice)[0] == 1
    assert visit(login, alice)[0] == 1
    assert computed == ["alice"]


def test_a_new_dossier_and_a_stage_change_show_at_once(users, orgs, login, computed):
    alice = users["alice"]
    d = f.dossier(alice, orgs["ngo_a"])
    total, stages = visit(login, alice)
    assert total == 1 and stages[Stage.SCREENING] == 1
    f.dossier(alice, orgs["ngo_a"])
    total, stages = visit(login, alice)
    assert total == 2 and stages[Stage.SCREENING] == 2
    case_actions.change_stage(d, acting_user=alice, stage=Stage.PRESUMED)
    total, stages = visit(login, alice)
    assert total == 2 and stages[Stage.SCREENING] == 1 and stages[Stage.PRESUMED] == 1
    assert computed == ["alice"] * 3  # each change is a new revision or scope


def test_a_grant_shows_at_once_and_goes_when_it_ends_or_expires(users, orgs, login):
    alice, bob = users["alice"], users["bob"]
    d = f.dossier(alice, orgs["ngo_a"])
    assert visit(login, bob)[0] == 0
    grant = case_actions.grant_access(
        d, acting_user=alice, organisation=orgs["ngo_b"], reason="Shared for follow-up."
    )
    assert visit(login, bob)[0] == 1
    case_actions.end_grant(grant, acting_user=alice)
    assert visit(login, bob)[0] == 0
    again = case_actions.grant_access(
        d, acting_user=alice, organisation=orgs["ngo_b"], reason="Shared again."
    )
    assert visit(login, bob)[0] == 1
    # A grant that runs out by its date, with no write at all (the grants are not counted
    # by the data revision: the scope token sees it).
    AccessGrant.objects.filter(pk=again.pk).update(
        until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert visit(login, bob)[0] == 0


def test_a_new_membership_shows_at_once(users, orgs, login):
    alice, bob = users["alice"], users["bob"]
    f.dossier(alice, orgs["ngo_a"])
    assert visit(login, bob)[0] == 0
    f.member(bob, orgs["ngo_a"], "caseworker")
    assert visit(login, bob)[0] == 1
    bob.memberships.filter(organisation=orgs["ngo_a"]).update(active=False)
    assert visit(login, bob)[0] == 0


@on_postgresql
def test_each_user_has_their_own_figures(users, orgs, login, computed):
    f.dossier(users["alice"], orgs["ngo_a"])
    f.dossier(users["bob"], orgs["ngo_b"])
    f.dossier(users["bob"], orgs["ngo_b"])
    assert visit(login, users["alice"])[0] == 1
    assert visit(login, users["bob"])[0] == 2
    assert visit(login, users["alice"])[0] == 1
    assert computed == ["alice", "bob"]


def test_a_referral_to_answer_shows_at_once(users, orgs, login):
    alice, bob = users["alice"], users["bob"]
    f.provider(orgs["ngo_b"], bob, ["psychosocial"])
    d = f.dossier(alice, orgs["ngo_a"])

    def inbox():
        context = login(bob).get(reverse("home")).context
        return context["referral_inbox_count"], context["referral_waiting_count"]

    assert inbox() == (0, 0)
    referral = f.referral(d, alice, orgs["ngo_b"], service="psychosocial")
    assert inbox() == (1, 0)
    # The same figures as computed without the cache.
    ctx = referrals_home(bob)
    assert (ctx["referral_inbox_count"], ctx["referral_inbox_urgent"]) == (1, 0)
    assert [r.pk for r in ctx["referral_inbox"]] == [referral.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's revision sequence")
def test_nothing_is_kept_while_another_writer_is_open():
    """The revision sequence advances before the writer commits: a figure computed meanwhile
    would miss its rows under the new revision, so it is neither read nor stored. (No rows are
    written here: the test's own transaction must not hold the revision's lock.)"""
    nobody = AnonymousUser()
    assert settled_revision() is not None
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            # What a trigger does when a counted table is written, not yet committed.
            cursor.execute("SELECT nextval('himaya_data_revision')")
        assert settled_revision() is None
        calls = []
        figures = HomeFigures(nobody)
        for _ in range(2):
            figures.get("n", lambda: calls.append(1) or len(calls))
        assert calls == [1, 1]
        other.rollback()
    finally:
        other.close()
    assert settled_revision() is not None
    settled = HomeFigures(nobody)
    assert [settled.get("n", lambda: 7), settled.get("n", lambda: 8)] == [7, 7]
