"""Computing one build of the live annual report (statistics.builds), in the page's request or
in the worker (statistics.tasks): its progress, its result or its failure recorded on the build,
and who asked for it told when it ran in the background."""

import logging

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from himaya.notifications.actions import job_done

from .models import BuildStatus, ReportBuild
from .report import build_report

log = logging.getLogger(__name__)


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
        # the version the figures were counted at: a newer one if records were written since
        # the build was asked for; "" if a writer was still open (read only while one is)
        data_version=report["data_version"],
        progress=100,
        step="",
        finished_at=timezone.now(),
    )
    build.refresh_from_db()
    if background:
        _tell(build, ok=True)
    # Builds of versions no page will ask for again are dropped, once figures of a settled
    # version are in (one counted while a writer was open, "", leaves the others be).
    if build.data_version:
        ReportBuild.objects.filter(year=build.year, status=BuildStatus.DONE).exclude(
            pk=build.pk
        ).delete()
    return build
