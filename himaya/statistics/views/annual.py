"""The annual report pages: the report of a year (live or a frozen version) with its statement,
tables and charts; its exports; freezing; the records behind a figure. The report is read by
the analysts of the national commission (core.access, "Statistics"); anyone else gets 404."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from himaya.audit import log
from himaya.core import access
from himaya.core.shortcuts import add_action_errors

from .. import actions, builds, charts, drill, exports, figures, labels, statement
from ..forms import FreezeForm
from ..models import BuildStatus, FrozenReport
from ..report import LANGUAGES, STEPS

FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "unodc": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
}


def _check_reader(request):
    if not access.reads_national_report(request.user):
        raise Http404


def _year(year):
    try:
        actions.check_year(year)
    except ValidationError:
        raise Http404 from None
    return year


def _language(request):
    lang = request.GET.get("lang") or translation.get_language() or "ar"
    lang = lang.split("-")[0]
    return lang if lang in LANGUAGES else "ar"


def _report_for(request, year):
    """(report, frozen version, build): the frozen version asked for (?version=N), else the
    live report of the year, or (None, None, its build) while the build is under way."""
    raw = request.GET.get("version", "")
    if raw:
        try:
            number = int(raw)
        except ValueError:
            raise Http404 from None
        frozen = get_object_or_404(
            FrozenReport.objects.visible_to(request.user), year=year, version=number
        )
        return frozen.report, frozen, None
    report, build = builds.live_report(year, request.user)
    return report, None, build


def _progress_page(request, year, build):
    return render(
        request,
        "statistics/report_progress.html",
        {
            "year": year,
            "build": build,
            "stale": builds.is_stale(build),
            "steps": dict(STEPS),
        },
    )


@require_safe
def report_index(request):
    _check_reader(request)
    try:
        year = int(request.GET.get("year", ""))
        actions.check_year(year)
    except (ValueError, ValidationError):
        this_year = timezone.localdate().year
        ended = [y for y in _years_offered() if y < this_year]
        year = ended[0] if ended else this_year - 1
    return redirect("statistics:report", year=year)


def _years_offered():
    """The years with records, the running year, and any year with a frozen version, newest
    first (an empty year is not offered; it can still be typed in)."""
    this_year = timezone.localdate().year
    years = set(figures.years_with_data()) | {this_year}
    years |= set(FrozenReport.objects.values_list("year", flat=True).distinct())
    return sorted((y for y in years if actions.FIRST_YEAR <= y <= this_year), reverse=True)


@require_safe
def report_page(request, year):
    _check_reader(request)
    return _report_response(request, _year(year))


def _changes(report, frozen, versions):
    """(what a frozen version changed from the one before, what the live report changed since
    the last version): one of the two, or neither."""
    if frozen is not None:
        earlier = [v for v in versions if v.version < frozen.version]
        return (actions.differences(earlier[-1].report, frozen.report) if earlier else None), None
    if versions:
        return None, actions.differences(versions[-1].report, report)
    return None, None


def _report_response(request, year, freeze_form=None, status=200):
    """The report page; ``freeze_form`` is a freeze refused (the note too long), shown again with
    its message and the note as typed."""
    report, frozen, build = _report_for(request, year)
    if report is None:
        return _progress_page(request, year, build)
    lang = _language(request)
    versions = list(
        FrozenReport.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("frozen_by")
        .order_by("version")
    )
    changes, changes_since = _changes(report, frozen, versions)
    this_year = timezone.localdate().year
    # The stored report names its words; they are read here, in the page's language.
    shown = labels.localise(report, lang)
    return render(
        request,
        "statistics/report.html",
        {
            "report": shown,
            "year": year,
            "lang": lang,
            "frozen": frozen,
            "versions": versions,
            "latest_version": versions[-1] if versions else None,
            "changes": labels.localise(changes, lang),
            "changes_since": labels.localise(changes_since, lang),
            "statement": statement.statement(shown, lang),
            "statements": [
                (code, name, statement.statement(labels.localise(report, code), code))
                for code, name in (("ar", "العربية"), ("fr", "Français"), ("en", "English"))
                if code != lang
            ],
            "charts": [
                charts.bar_chart_victims_by_form_sex(shown, lang),
                charts.line_chart_justice_by_year(shown, lang),
                charts.occupancy_chart(shown, lang),
            ],
            "formats": [
                ("pdf", _("PDF")),
                ("xlsx", _("Excel (one sheet per table)")),
                ("csv", _("CSV")),
                ("unodc", _("UNODC questionnaire tables (Excel)")),
                ("json", _("JSON")),
            ],
            "can_freeze": access.freezes_national_report(request.user) and year < this_year,
            "freeze_form": freeze_form
            or FreezeForm(initial={"data_version": report.get("data_version", "")}),
            "years": _years_offered(),
            "this_year": this_year,
            "drillable": drill.FIGURES,
        },
        status=status,
    )


@require_safe
def report_export(request, year, fmt):
    _check_reader(request)
    year = _year(year)
    if fmt not in FORMATS:
        raise Http404
    report, frozen, _build = _report_for(request, year)
    if report is None:
        messages.info(request, _("The report is still being computed; download it once ready."))
        return redirect("statistics:report", year=year)
    lang = _language(request)
    report = labels.localise(report, lang)
    with translation.override(lang):
        if fmt == "json":
            body = json.dumps(report, ensure_ascii=False, indent=1).encode()
        elif fmt == "csv":
            body = exports.to_csv(report, lang)
        elif fmt == "xlsx":
            body = exports.to_xlsx(report, lang, statement.statement(report, lang))
        elif fmt == "unodc":
            body = exports.unodc_xlsx(report, lang)
        else:
            try:
                body = exports.cached_pdf(
                    report,
                    lang,
                    statement.statement(report, lang),
                    version=frozen.version if frozen else None,
                )
            except exports.ExportUnavailable:
                messages.error(
                    request, _("The PDF cannot be made on this server; use the Excel export.")
                )
                return redirect(reverse("statistics:report", args=[year]))
    content_type, extension = FORMATS[fmt]
    suffix = f"-v{frozen.version}" if frozen else ""
    name = f"himaya-{'unodc' if fmt == 'unodc' else 'report'}-{year}{suffix}-{lang}.{extension}"
    version = frozen.version if frozen else "live"
    log.write(request.user, f"export_report_{fmt}", ("statistics.report", f"{year}:{version}"))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def report_freeze(request, year):
    _check_reader(request)
    year = _year(year)
    form = FreezeForm(request.POST)
    if not form.is_valid():  # the note too long: the page again, with the note as typed
        return _report_response(request, year, freeze_form=form, status=400)
    note = form.cleaned_data["note"]
    report, _build = builds.live_report(year, request.user)
    if report is None:
        messages.info(request, _("The report is still being computed; freeze it once ready."))
        return redirect("statistics:report", year=year)
    try:
        frozen = actions.freeze_report(year, acting_user=request.user, note=note, report=report)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:  # nothing new to freeze: the note stays, as typed
        add_action_errors(form, error)
        return _report_response(request, year, freeze_form=form, status=400)
    seen = form.cleaned_data["data_version"]  # "" if counted while records were written
    if seen != frozen.data_version:
        messages.warning(
            request,
            _(
                "Records changed after you opened the report: version %(version)s holds the "
                "figures as they are now. Check them below."
            )
            % {"version": frozen.version},
        )
    else:
        messages.success(
            request,
            _("The %(year)s report is frozen as version %(version)s.")
            % {"year": year, "version": frozen.version},
        )
    return redirect(reverse("statistics:report", args=[year]) + f"?version={frozen.version}")


@require_POST
def report_compute_now(request, year):
    """Compute here and now a queued build no worker has taken up, or a failed one."""
    _check_reader(request)
    year = _year(year)
    _report, build = builds.live_report(year, request.user)
    if build is not None and (build.status == BuildStatus.FAILED or builds.is_stale(build)):
        build = builds.retry(build)
        if build.status == BuildStatus.FAILED:
            messages.error(request, _("Computing the report failed again."))
    return redirect("statistics:report", year=year)


@require_safe
def figure_records(request, year, figure):
    _check_reader(request)
    year = _year(year)
    if figure not in drill.FIGURES:
        raise Http404
    found = drill.records(figure, year, request.user)
    return render(
        request,
        "statistics/records.html",
        {"year": year, "figure": figure, "title": drill.FIGURES[figure], **found},
    )
