"""Computing the live annual report once per data version, in the background when the
caseload is large (DESIGN.md: django-tasks with its database backend; statistics.tasks).

A page asks for the report of a year: a build of the current data version is read if there is
one; a small caseload (HIMAYA_REPORT_INLINE_RECORDS rows counted in all) is computed at once;
a larger one is queued for the worker (`himaya db_worker`, started by `himaya run`) and the
page shows its progress until it is ready."""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .models import BuildStatus, ReportBuild
from .report import build_report, data_state

log = logging.getLogger(__name__)

STATE_KEY = "himaya:statistics:data-state"


def state_seconds():
    """A data version is read again at most this often (HIMAYA_REPORT_STATE_SECONDS): a page
    may show figures this old when records were written by another process."""
    return int(getattr(settings, "HIMAYA_REPORT_STATE_SECONDS", 30))


# A queued build no worker has started after this long is reported as such on the page.
STALE_AFTER = datetime.timedelta(minutes=2)


def current_state():
    """(data version, rows counted) of the records now, cached for ``state_seconds()``."""
    return cache.get_or_set(STATE_KEY, data_state, state_seconds())


def forget_state():
    cache.delete(STATE_KEY)


def inline_limit():
    return int(getattr(settings, "HIMAYA_REPORT_INLINE_RECORDS", 20000))


def live_report(year, user=None):
    """(report, build) for the year's live figures: the report when it is ready (from a build
    of the current data version, or computed now for a small caseload), else (None, the
    queued or running build)."""
    version, rows = current_state()
    builds = ReportBuild.objects.filter(year=year, data_version=version)
    done = builds.filter(status=BuildStatus.DONE).order_by("-finished_at", "-id").first()
    if done is not None:
        return done.report, done
    if rows <= inline_limit():
        build = ReportBuild.objects.create(
            year=year, data_version=version, status=BuildStatus.RUNNING, requested_by=user
        )
        return run_build(build.pk).report, build
    pending = builds.filter(status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING]).first()
    if pending is None:
        pending = ReportBuild.objects.create(year=year, data_version=version, requested_by=user)
        from .tasks import build_report_task

        build_report_task.enqueue(pending.pk)
    return None, pending


def is_stale(build, now=None):
    now = now or timezone.now()
    return build.status == BuildStatus.QUEUED and now - build.created_at > STALE_AFTER


def run_build(build_id):
    """Compute the report of a build, recording its progress; a build already done is left
    as it is. A failure is recorded on the build (and logged) before it is raised again."""
    build = ReportBuild.objects.get(pk=build_id)
    if build.status == BuildStatus.DONE:
        return build
    ReportBuild.objects.filter(pk=build.pk).update(status=BuildStatus.RUNNING, progress=0)

    def progress(step, percent):
        ReportBuild.objects.filter(pk=build.pk).update(step=step, progress=percent)

    try:
        report = build_report(build.year, progress=progress)
    except Exception as exc:
        log.exception("annual report %s: build %s failed", build.year, build.pk)
        ReportBuild.objects.filter(pk=build.pk).update(
            status=BuildStatus.FAILED, error=repr(exc)[:2000], finished_at=timezone.now()
        )
        raise
    ReportBuild.objects.filter(pk=build.pk).update(
        status=BuildStatus.DONE,
        report=report,
        progress=100,
        step="",
        finished_at=timezone.now(),
    )
    build.refresh_from_db()
    # Builds of versions no page will ask for again are dropped.
    ReportBuild.objects.filter(year=build.year, status=BuildStatus.DONE).exclude(
        pk=build.pk
    ).delete()
    return build
