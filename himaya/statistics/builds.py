"""Computing the live annual report once per data version, in the background when the
caseload is large (DESIGN.md: django-tasks with its database backend; statistics.tasks).

A page asks for the report of a year: a build of the current data version is read if there is
one; a small caseload (up to HIMAYA_REPORT_INLINE_PERSONS persons) is computed at once;
a larger one is queued for the worker (`himaya db_worker`, started by `himaya run`) and the
page shows its progress until it is ready."""

import datetime

from django.conf import settings
from django.utils import timezone

from . import tasks
from .compute import run_build
from .models import BuildStatus, ReportBuild
from .report import FORMAT as REPORT_FORMAT
from .revision import data_state

# A queued build no worker has started after this long is reported as such on the page.
STALE_AFTER = datetime.timedelta(minutes=2)


def current_state():
    """(data version, persons recorded) now: the settled data version ("" while another writer,
    an import say, is still open: the builds counted meanwhile are read until it ends, then
    counted again) and one count."""
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
    # a build done first: a newer one of the same version may still wait or run
    latest = (
        builds.filter(status=BuildStatus.DONE).order_by("-created_at", "-id").first()
        or builds.order_by("-created_at", "-id").first()
    )
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
        tasks.build_report_task.enqueue(latest.pk)
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
