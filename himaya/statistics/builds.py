"""Computing the live annual report once per data version, in the background when the
caseload is large (DESIGN.md: django-tasks with its database backend; statistics.tasks).

A page asks for the report of a year: a build of the current data version is read if there is
one; a small caseload (up to HIMAYA_REPORT_INLINE_PERSONS persons) is computed at once;
a larger one is queued for the worker (`himaya db_worker`, started by `himaya run`) and the
page shows its progress until it is ready."""

import datetime
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from himaya.notifications.actions import job_done

from .models import BuildStatus, ReportBuild
from .report import FORMAT as REPORT_FORMAT
from .report import build_report, data_state

log = logging.getLogger(__name__)

# A queued build no worker has started after this long is reported as such on the page.
STALE_AFTER = datetime.timedelta(minutes=2)


def current_state():
    """(data version, persons recorded) now: one read of the data revision and one count."""
    return data_state()


def inline_limit():
    return int(getattr(settings, "HIMAYA_REPORT_INLINE_PERSONS", 20000))


def live_report(year, user=None):
    """(report, build) for the year's live figures: the report when it is ready (from a build
    of the current data version, or computed now for a small caseload), else (None, the
    queued, running or failed build). A failed build is not queued again by itself: the page
    shows the failure and offers to try again (``retry``)."""
    version, persons = current_state()
    builds = ReportBuild.objects.filter(year=year, data_version=version)
    latest = builds.order_by("-created_at", "-id").first()
    if latest is not None and latest.status == BuildStatus.DONE and not is_current(latest):
        latest.delete()  # stored in an older shape (its words in one language): count again
        latest = None
    if latest is not None and latest.status == BuildStatus.DONE:
        return latest.report, latest
    if latest is not None and latest.status == BuildStatus.FAILED:
        return None, latest
    if latest is None and persons <= inline_limit():
        build = ReportBuild.objects.create(
            year=year, data_version=version, status=BuildStatus.RUNNING, requested_by=user
        )
        try:
            return run_build(build.pk).report, build
        except Exception:  # recorded on the build; the page says it failed
            build.refresh_from_db()
            return None, build
    if latest is None:
        latest = ReportBuild.objects.create(year=year, data_version=version, requested_by=user)
        from .tasks import build_report_task

        build_report_task.enqueue(latest.pk)
    return None, latest


def is_current(build):
    return (build.report or {}).get("format") == REPORT_FORMAT


def retry(build):
    """Compute a queued build no worker took up, or a failed one, here and now. Returns the
    build, done or failed again (the failure is recorded, not raised)."""
    if build.status not in (BuildStatus.QUEUED, BuildStatus.FAILED):
        return build
    try:
        return run_build(build.pk)
    except Exception:
        build.refresh_from_db()
        return build


def is_stale(build, now=None):
    now = now or timezone.now()
    return build.status == BuildStatus.QUEUED and now - build.created_at > STALE_AFTER


def _tell(build, *, ok):
    job_done(
        build.requested_by,
        what=gettext_lazy("The annual report"),
        reference=str(build.year),
        url=reverse("statistics:report", args=[build.year]),
        ok=ok,
    )


def run_build(build_id, *, background=False):
    """Compute the report of a build, recording its progress; a build already done is left
    as it is. A failure is recorded on the build (and logged) before it is raised again. A
    build in the background tells who asked for it when it ends."""
    build = ReportBuild.objects.get(pk=build_id)
    if build.status == BuildStatus.DONE:
        return build
    ReportBuild.objects.filter(pk=build.pk).update(status=BuildStatus.RUNNING, progress=0, error="")

    def progress(step, percent):
        ReportBuild.objects.filter(pk=build.pk).update(step=step, progress=percent)

    try:
        report = build_report(build.year, progress=progress)
    except Exception as exc:
        log.exception("annual report %s: build %s failed", build.year, build.pk)
        ReportBuild.objects.filter(pk=build.pk).update(
            status=BuildStatus.FAILED, error=repr(exc)[:2000], finished_at=timezone.now()
        )
        if background:
            _tell(build, ok=False)
        raise
    ReportBuild.objects.filter(pk=build.pk).update(
        status=BuildStatus.DONE,
        report=report,
        progress=100,
        step="",
        finished_at=timezone.now(),
    )
    build.refresh_from_db()
    if background:
        _tell(build, ok=True)
    # Builds of versions no page will ask for again are dropped.
    ReportBuild.objects.filter(year=build.year, status=BuildStatus.DONE).exclude(
        pk=build.pk
    ).delete()
    return build
