"""The annual report of a large caseload is computed in the background (django-tasks' database
queue, run here by its real worker command) while its page shows the progress; a queued build
that no worker takes up can be computed on the spot."""

import datetime

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from himaya.statistics import compute
from himaya.statistics.models import BuildStatus, ReportBuild
from himaya.statistics.report import STEPS, build_report, find_row
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

Y = 2023


@pytest.fixture
def large(settings, users, orgs):
    """Every caseload counts as large: the report goes to the background."""
    settings.HIMAYA_REPORT_INLINE_PERSONS = 0
    from himaya.cases.actions import record_decision

    carol, police = users["carol"], orgs["police"]
    d = f.dossier(carol, police, opened_on=datetime.date(Y, 1, 5))
    record_decision(
        d,
        acting_user=carol,
        organisation=police,
        status=f.code("trafficking_status", "possible"),
        decided_on=datetime.date(Y, 2, 1),
        reasons="x",
    )


def test_a_large_report_is_computed_by_the_worker_with_its_progress(
    large, users, login, figure, work
):
    client = login(users["ana"])
    url = reverse("statistics:report", args=[Y])
    waiting = client.get(url)
    assert waiting.status_code == 200
    page = waiting.content.decode()
    assert 'data-testid="report-progress"' in page and 'http-equiv="refresh"' in page
    build = ReportBuild.objects.get(year=Y)
    assert build.status == BuildStatus.QUEUED
    assert DBTaskResult.objects.count() == 1
    # asking again while it waits queues nothing more
    client.get(url)
    assert ReportBuild.objects.count() == 1 and DBTaskResult.objects.count() == 1
    # an export waits too
    export = client.get(reverse("statistics:export", args=[Y, "csv"]))
    assert export.status_code == 302
    work()
    build.refresh_from_db()
    assert (build.status, build.progress, build.step) == (BuildStatus.DONE, 100, "")
    assert find_row(build.report, "victims", "victims")["value"] == 1
    ready = client.get(url).content.decode()
    assert 'data-testid="table-victims"' in ready and 'http-equiv="refresh"' not in ready
    assert client.get(reverse("statistics:export", args=[Y, "csv"])).status_code == 200
    figure("background report: queued once, computed by db_worker, page then reads the build")


def test_progress_is_reported_step_by_step(large):
    seen = []
    build_report(Y, progress=lambda step, percent: seen.append((step, percent)))
    assert [s for s, _p in seen] == [key for key, _label in STEPS]
    assert [p for _s, p in seen] == [0, 20, 40, 60, 80]


def test_a_queued_build_no_worker_takes_up_can_be_computed_now(large, users, login):
    client = login(users["ana"])
    url = reverse("statistics:report", args=[Y])
    client.get(url)
    build = ReportBuild.objects.get(year=Y)
    ReportBuild.objects.filter(pk=build.pk).update(
        created_at=build.created_at - datetime.timedelta(minutes=5)
    )
    page = client.get(url).content.decode()
    assert reverse("statistics:compute", args=[Y]) in page
    assert 'http-equiv="refresh"' not in page  # no refreshing when nothing moves
    assert client.post(reverse("statistics:compute", args=[Y])).status_code == 302
    build.refresh_from_db()
    assert build.status == BuildStatus.DONE
    assert 'data-testid="table-victims"' in client.get(url).content.decode()
    assert login(users["alice"]).post(reverse("statistics:compute", args=[Y])).status_code == 404


def test_a_small_caseload_is_computed_at_once_and_kept_for_its_data_version(settings, users, login):
    settings.HIMAYA_REPORT_INLINE_PERSONS = 1_000_000
    client = login(users["ana"])
    url = reverse("statistics:report", args=[Y])
    assert 'data-testid="table-victims"' in client.get(url).content.decode()
    assert ReportBuild.objects.filter(status=BuildStatus.DONE).count() == 1
    client.get(url)
    assert ReportBuild.objects.count() == 1  # read again, not computed again
    assert DBTaskResult.objects.count() == 0


def test_a_failed_build_is_shown_not_queued_again_and_can_be_retried(
    large, users, login, monkeypatch, work
):
    client = login(users["ana"])
    url = reverse("statistics:report", args=[Y])
    client.get(url)

    def broken(year, progress=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(compute, "build_report", broken)
    work()
    build = ReportBuild.objects.get(year=Y)
    assert build.status == BuildStatus.FAILED and "disk full" in build.error
    page = client.get(url).content.decode()
    assert "failed" in page and 'http-equiv="refresh"' not in page
    assert ReportBuild.objects.count() == 1 and DBTaskResult.objects.count() == 1  # not re-queued
    assert client.post(reverse("statistics:compute", args=[Y]), follow=True).status_code == 200
    monkeypatch.undo()
    client.post(reverse("statistics:compute", args=[Y]))
    build.refresh_from_db()
    assert build.status == BuildStatus.DONE
    assert 'data-testid="table-victims"' in client.get(url).content.decode()


def test_every_write_to_a_counted_table_moves_the_data_version(users, orgs):
    """Whatever writes: an action saving one field, a bulk update, a delete, a many-to-many."""
    from himaya.cases.models import Dossier
    from himaya.justice import actions as ja
    from himaya.statistics.revision import data_version

    carol, police = users["carol"], orgs["police"]
    seen = [data_version()]

    def moved():
        seen.append(data_version())
        return seen[-1] != seen[-2]

    inv = ja.open_investigation(
        acting_user=carol, organisation=police, opened_on=datetime.date(Y, 1, 2)
    )
    assert moved()
    ja.close_investigation(inv, acting_user=carol, on=datetime.date(Y, 3, 1))
    assert moved()
    d = f.dossier(carol, police, opened_on=datetime.date(Y, 1, 5))
    assert moved()
    Dossier.objects.filter(pk=d.pk).update(opened_on=datetime.date(Y, 1, 6))
    assert moved()
    d.forms.add(f.code("exploitation_form", "labour"))
    assert moved()
    assert not moved()  # reading changes nothing
