"""Frozen annual reports: the figures of a year as they were submitted, kept unchanged."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access


class FrozenReportQuerySet(access.RestrictedQuerySet):
    """Read by the national commission's analysts (core.access.policies)."""


class FrozenReport(models.Model):
    """One version of the official submission of a year: the report exactly as it was built
    (statistics.report.build_report), with the data version it was built from. Later edits to
    the records never change it; a new version is issued beside it, with the differences."""

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"))
    report = models.JSONField(_("figures"))
    # The public tables of the year (statistics.public), in ar/fr/en, protected against
    # disclosure: what /statistics/ publishes while this is the latest version.
    public = models.JSONField(_("published tables"), default=dict, blank=True)
    data_version = models.CharField(_("data version"), max_length=64)
    note = models.TextField(_("note"), blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    frozen_at = models.DateTimeField(_("frozen at"), default=timezone.now, editable=False)

    objects = FrozenReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("frozen report")
        verbose_name_plural = _("frozen reports")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="frozen_report_version")
        ]

    def __str__(self):
        return f"{self.year} v{self.version}"


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("being computed")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class ReportBuildQuerySet(access.RestrictedQuerySet):
    """Read by the national commission's analysts (core.access.policies)."""


class ReportBuild(models.Model):
    """The live report of a year computed for one data version (statistics.report), kept so
    that pages and exports read it instead of counting again; computed in the background
    (statistics.tasks) when the caseload is large, with its progress."""

    year = models.PositiveSmallIntegerField(_("year"))
    data_version = models.CharField(_("data version"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=64, blank=True)
    report = models.JSONField(_("figures"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ReportBuildQuerySet.as_manager()

    class Meta:
        verbose_name = _("report computation")
        verbose_name_plural = _("report computations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["year", "data_version", "status"])]

    def __str__(self):
        return f"{self.year} · {self.status} · {self.progress}%"
