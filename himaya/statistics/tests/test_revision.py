"""What is kept per data revision (statistics.revision): never while a writer counted into the
revision is still open, and never past the test whose rolled-back rows it counted."""

import pathlib
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.urls import reverse

from himaya.cases.models import Dossier
from himaya.statistics import compute, home, revision
from himaya.statistics.actions import freeze_report
from himaya.statistics.models import FrozenReport, ReportBuild
from himaya.statistics.report import build_report
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db


def _count():
    return Dossier.objects.count()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's revision is a table row")
def test_a_rolled_back_revision_comes_again_so_each_test_forgets_what_was_kept(users, orgs):
    """A rolled-back transaction takes its revisions back: the next writer, here the next test,
    gets the same numbers again with other rows. What a PerRevision kept under them is what the
    fixture ``empty_cache`` forgets before each test (a query-count test once read the figures
    another test had left on its worker)."""
    memo = revision.PerRevision(size=4)
    with transaction.atomic():
        f.dossier(users["alice"], orgs["ngo_a"])
        f.dossier(users["alice"], orgs["ngo_a"])
        rolled_back = revision.data_revision()
        assert memo.get("dossiers", _count) == 2
        transaction.set_rollback(True)
    f.dossier(users["alice"], orgs["ngo_a"])
    with connection.cursor() as cursor:
        while revision.data_revision() < rolled_back:
            cursor.execute("UPDATE himaya_data_revision SET value = value + 1 WHERE id = 1")
    assert revision.data_revision() == rolled_back
    assert memo.get("dossiers", _count) == 2  # the rolled-back rows, under the same number
    revision.forget()
    assert memo.get("dossiers", _count) == 1


def test_a_value_is_read_again_after_a_write_only():
    memo = revision.PerRevision(size=4)
    calls = []

    def compute():
        calls.append(1)
        return _count()

    assert [memo.get("n", compute), memo.get("n", compute)] == [0, 0]
    assert len(calls) == (1 if revision.settled_revision() is not None else 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's revision sequence")
def test_nothing_is_kept_in_the_process_or_for_the_commission_while_a_writer_is_open(
    open_writer, monkeypatch
):
    """The revision sequence advances before the writer commits: the memos of the figures
    (first decisions, indicators) and the commission's panel keep nothing meanwhile. (No rows
    are written here, no user either: the test's own transaction must not hold the revision's
    lock. The panel is asked for by a reader of the national report.)"""
    memo = revision.PerRevision(size=4)
    reader = AnonymousUser()
    assert revision.settled_revision() is None
    calls = []
    for _ in range(2):
        memo.get("n", lambda: calls.append(1))
    assert calls == [1, 1]
    panels = []
    real = home.year_so_far
    monkeypatch.setattr(home, "year_so_far", lambda today: panels.append(1) or real(today))
    monkeypatch.setattr(home.access, "reads_national_report", lambda user: True)
    home.home_context(reader)
    home.home_context(reader)
    assert panels == [1, 1]
    open_writer.rollback()
    assert revision.settled_revision() is not None
    home.home_context(reader)
    home.home_context(reader)
    assert panels == [1, 1, 1]
    assert [memo.get("n", lambda: 7), memo.get("n", lambda: 8)] == [7, 7]


def test_only_the_revision_module_reads_the_bare_revision():
    """Whatever keeps figures per revision goes through ``settled_revision`` (or PerRevision,
    which ``forget`` empties, or ``settled_version``): a cache keyed by the bare revision or
    its version would keep a count taken while a writer is open, and outlive a rolled-back
    test."""
    root = pathlib.Path(revision.__file__).parents[1]
    readers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.name != "revision.py"
        and re.search(r"\bdata_(revision|version)\(", path.read_text(encoding="utf-8"))
    )
    assert readers == []


@pytest.fixture
def open_writer():
    """Another connection that has advanced the revision, as a trigger does, and not committed
    (an import's transaction, say); ``open_writer.commit()`` ends it."""
    other = connections.create_connection("default")
    other.set_autocommit(False)
    with other.cursor() as cursor:
        cursor.execute("SELECT nextval('himaya_data_revision')")
    yield other
    other.rollback()
    other.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's revision sequence")
def test_a_report_counted_while_another_writer_is_open_is_kept_for_no_version(
    users, orgs, settings, login, open_writer
):
    """The writer's rows are not in the count though the revision already counts them: the
    report's version is "", its build is read by no later page, and it cannot be frozen. This
    transaction's own writes do not count (a build stored here is rolled back with them)."""
    settings.HIMAYA_REPORT_INLINE_PERSONS = 1_000_000
    f.dossier(users["carol"], orgs["police"])  # a write of this very transaction
    assert build_report(2023)["data_version"] == ""
    client = login(users["ana"])
    url = reverse("statistics:report", args=[2023])
    for _ in range(2):
        assert 'data-testid="table-victims"' in client.get(url).content.decode()
    assert list(ReportBuild.objects.values_list("data_version", flat=True)) == [""]
    with pytest.raises(ValidationError, match="being written"):
        freeze_report(2023, acting_user=users["ana"])
    assert not FrozenReport.objects.exists()
    open_writer.rollback()
    settled = build_report(2023)
    assert settled["data_version"] == revision.data_version()
    client.get(url)
    assert ReportBuild.objects.get().data_version == settled["data_version"]
    client.get(url)
    assert ReportBuild.objects.count() == 1  # read again, not computed again


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's revision sequence")
def test_while_a_writer_is_open_the_worker_s_build_is_read_not_queued_again(
    users, orgs, settings, login, open_writer
):
    """A large caseload's report, asked for during an import: the worker's build, counted
    while the import is open, is what the page shows until the import ends; it is not
    queued again at every refresh of the page."""
    settings.HIMAYA_REPORT_INLINE_PERSONS = 0  # a person recorded is a large caseload
    f.dossier(users["carol"], orgs["police"])
    client = login(users["ana"])
    url = reverse("statistics:report", args=[2023])
    assert 'data-testid="report-progress"' in client.get(url).content.decode()
    queued = ReportBuild.objects.get()
    assert queued.data_version == ""
    compute.run_build(queued.pk, background=True)
    for _ in range(2):
        assert 'data-testid="table-victims"' in client.get(url).content.decode()
    assert ReportBuild.objects.count() == 1
    open_writer.rollback()
    assert 'data-testid="report-progress"' in client.get(url).content.decode()
    settled = ReportBuild.objects.exclude(pk=queued.pk).get()
    compute.run_build(settled.pk, background=True)
    assert list(ReportBuild.objects.values_list("data_version", flat=True)) == [
        revision.data_version()
    ]
