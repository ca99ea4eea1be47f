"""Writes of the statistics app: freezing a year's report (DESIGN.md convention 1)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access

from . import public
from .models import FrozenReport
from .report import build_report

FIRST_YEAR = 2000


def check_year(year):
    """A report can be built for a year from 2000 to the current one."""
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError(_("There is no report for this year."))


def freeze_report(year, *, acting_user, note="", report=None):
    """Store the report of ``year`` as the next version of its official submission. A year still
    running cannot be frozen. ``report`` is a report just built for the same year (the page the
    analyst read); without it the report is built now."""
    if not access.freezes_national_report(acting_user):
        raise PermissionDenied(_("You cannot freeze the annual report."))
    check_year(year)
    if year >= timezone.localdate().year:
        raise ValidationError(_("A year can be frozen once it has ended."))
    report = report if report is not None and report.get("year") == year else build_report(year)
    if not report["data_version"]:  # counted while a writer was open (report.build_report)
        report = build_report(year)
    if not report["data_version"]:
        raise ValidationError(
            _("Records are being written right now: freeze the report again in a moment.")
        )
    latest = FrozenReport.objects.filter(year=year).order_by("-version").first()
    if latest is not None and latest.data_version == report["data_version"]:
        raise ValidationError(
            _("No record has changed since version %(version)s: there is nothing new to freeze.")
            % {"version": latest.version}
        )
    tables = public.snapshot(year)  # what /statistics/ will publish for the year
    for _attempt in range(3):  # two analysts freezing at once: the second gets the next number
        try:
            with transaction.atomic():
                last = FrozenReport.objects.filter(year=year).aggregate(v=Max("version"))["v"]
                frozen = FrozenReport.objects.create(
                    year=year,
                    version=(last or 0) + 1,
                    report=report,
                    public=tables,
                    data_version=report["data_version"],
                    note=note.strip(),
                    frozen_by=acting_user,
                )
        except IntegrityError:
            continue
        log.write(acting_user, "freeze_report", frozen, ["year", "version"])
        return frozen
    raise ValidationError(_("The report could not be frozen; please try again."))


def differences(old, new):
    """The rows whose figures differ between two reports (frozen or live): a list of
    {table, key, label, old, new}; a row present in one report only counts as 0 in the other.
    Only the year's values are compared (the previous-year column follows from them)."""

    def cells(report):
        return {(t["key"], r["key"]): (t, r) for t in report["tables"] for r in t["rows"]}

    before, after = cells(old), cells(new)
    out = []
    for key in list(before) + [k for k in after if k not in before]:
        t, r = after.get(key) or before[key]
        a = before[key][1]["value"] if key in before else 0
        b = after[key][1]["value"] if key in after else 0
        if a != b:
            out.append(
                {"table": t["title"], "key": key[1], "label": r["label"], "old": a, "new": b}
            )
    return out
