"""Hotline pages: the triage queue, taking a report, a report with its triage, notes and what
was passed on, editing before triage, and the hotline figures. Thin views: parse, fetch
through visible_to (404 otherwise, the attempt audited), call one action, respond."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from himaya.audit import log
from himaya.audit.fetch import get_visible_or_404
from himaya.cases.models import Dossier
from himaya.core import access, entry
from himaya.core.models import Code
from himaya.core.pagination import CappedPaginator
from himaya.core.shortcuts import add_action_errors, apply_action, report_form_errors

from .. import actions, figures
from ..forms import (
    KIND_OUTCOME,
    TRIAGE_FORMS,
    FiguresForm,
    HeldReviewForm,
    NoteForm,
    ReportEditForm,
    ReportFilterForm,
    ReportForm,
    ShareForm,
)
from ..models import Channel, Hold, Outcome, Report, ReportAddition, Status, Urgency

FILTERS = ("status", "outcome", "channel", "urgency", "region", "start", "end")


def _get_report(request, pk, *, write=False):
    qs = Report.objects.select_related(
        "received_by", "taken_by", "triaged_by", "triage_org", "language", "region", "dossier"
    )
    if write:  # only the receiving hotline changes a report; a partner reads what was passed
        qs = qs.writable_by(request.user)
    return get_visible_or_404(qs, request.user, pk, audit_type="hotline.report")


def _log_report_read(request, report, purpose):
    """Reports are not persons, but their free text is about people: each display of it is a
    read in the audit trail, tied to the person once the report is linked to a dossier."""
    person_id = report.dossier.person_id if report.dossier_id else None
    log.read(request.user, person_id, report, purpose)


@require_safe
def report_list(request):
    user = request.user
    if not access.handles_victims(user):
        raise Http404
    form = ReportFilterForm(request.GET)
    data = form.valid_data()
    hotline = access.handles_reports(user)
    held = data.get("held") if hotline else None
    scope = Report.objects.visible_to(user)
    # The held queue is reviewed apart: its tips are not in the triage queue's list.
    scope = scope.held().filter(hold=held) if held else scope.in_queue()
    reports = (
        scope.filtered(**{k: data.get(k) for k in FILTERS})
        .queue_order()
        .select_related("region", "received_by")
        .prefetch_related("forms__parent")
    )
    # A held tip's display is a read of its person's record; nothing about people is listed else.
    reports = reports.select_related("dossier") if held else reports.defer(*Report.FREE_TEXT_FIELDS)
    page = CappedPaginator(reports, settings.HIMAYA_LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    for r in page:
        r.overdue = r.is_overdue(now)
    if held:  # what was written is what tells spam from a tip: each display is a read
        shown = [(r.dossier.person_id if r.dossier_id else None, r) for r in page]
        log.read_listed(request.user, "held_review", shown)
    writable = Report.objects.writable_by(user)
    return render(
        request,
        "hotline/list.html",
        {
            "form": form,
            "page": page,
            "hotline": hotline,
            "held": held,
            "review_form": HeldReviewForm() if held else None,
            "untriaged": writable.untriaged().count() if hotline else None,
            "overdue": writable.overdue(now).count() if hotline else None,
            "held_count": writable.held().count() if hotline else None,
            "held_url": reverse("hotline:list") + f"?held={Hold.OVER_ADDRESS_LIMIT}",
        },
    )


@require_POST
def held_review(request):
    """Dismiss as spam, or accept into the queue, the held tips ticked on the held queue."""
    if not access.handles_reports(request.user):
        raise Http404
    form = HeldReviewForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(reverse("hotline:list") + f"?held={Hold.OVER_ADDRESS_LIMIT}")
    ids, decision = form.cleaned_data["reports"], form.cleaned_data["decision"]
    try:
        if decision == HeldReviewForm.DISMISS:
            done = actions.dismiss_held_tips(ids, acting_user=request.user)
            text = ngettext(
                "%(count)s held tip was dismissed as spam.",
                "%(count)s held tips were dismissed as spam.",
                done,
            )
        else:
            done = actions.accept_held_tips(ids, acting_user=request.user)
            text = ngettext(
                "%(count)s held tip was moved into the triage queue.",
                "%(count)s held tips were moved into the triage queue.",
                done,
            )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, text % {"count": done})
        if done < len(ids):
            messages.info(
                request,
                _("The others had already been reviewed, or are not yours to review."),
            )
    return redirect(reverse("hotline:list") + f"?held={Hold.OVER_ADDRESS_LIMIT}")


@require_http_methods(["GET", "POST"])
def report_create(request):
    org_ids = access.hotline_org_ids(request.user)
    if not org_ids:
        raise Http404
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        org_ids=org_ids,
        initial={"received_at": now},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = actions.record_report(
                acting_user=request.user,
                organisation=form.cleaned_data["organisation"],
                **form.report_fields(),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The report %(ref)s was recorded.") % {"ref": report})
            return redirect("hotline:detail", report.pk)
    return render(request, "hotline/form.html", {"form": form}, status=400 if form.errors else 200)


def _initial_share_org(form, report):
    """Suggest the organisation of the report's region when there is one."""
    if report.region_id:
        local = form.fields["organisation"].queryset.filter(region_id=report.region_id).first()
        if local:
            form.initial["organisation"] = local.pk


def _render_detail(
    request, report, *, posted=None, note_form=None, share_form=None, candidates=None, status=200
):
    user = request.user
    can_write = Report.objects.writable_by(user).filter(pk=report.pk).exists()
    _log_report_read(request, report, "report")
    additions = ReportAddition.objects.filter(report=report).select_related("by", "organisation")
    shares = report.shares.select_related("organisation", "by")
    if not can_write:
        # A partner reads what was passed to it: the report, the triage, what the reporter
        # added; not the hotline's internal notes, nor who else received it.
        additions = additions.filter(by__isnull=True)
        shares = shares.filter(organisation_id__in=access.victim_org_ids(user))
    triage_forms = {}
    if can_write and not report.is_triaged:
        for kind, form_class in TRIAGE_FORMS.items():
            if posted and posted.prefix == kind:
                triage_forms[kind] = posted
                continue
            triage_forms[kind] = form_class(user=user, initial={"version": report.version})
            if "organisation" in triage_forms[kind].fields:
                _initial_share_org(triage_forms[kind], report)
    sees_dossier = bool(
        report.dossier_id and Dossier.objects.visible_to(user).filter(pk=report.dossier_id).exists()
    )
    return render(
        request,
        "hotline/detail.html",
        {
            "report": report,
            "forms": report.forms.select_related("parent"),
            "additions": additions,
            "shares": shares,
            "can_write": can_write,
            "overdue": report.is_overdue(),
            "triage_forms": triage_forms,
            "posted_kind": posted.prefix if posted else None,
            "candidates": candidates,
            "note_form": (note_form or NoteForm()) if can_write else None,
            "share_form": (
                (share_form or ShareForm())
                if can_write and report.outcome in (Outcome.POLICE, Outcome.NGO)
                else None
            ),
            "sees_dossier": sees_dossier,
        },
        status=status,
    )


@require_safe
def report_detail(request, pk):
    return _render_detail(request, _get_report(request, pk))


@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = _get_report(request, pk, write=True)
    if report.is_triaged:
        messages.error(request, _("A triaged report is not edited any more: add a note instead."))
        return redirect("hotline:detail", report.pk)
    form = ReportEditForm(
        request.POST if request.method == "POST" else None,
        web_tip=report.is_web_tip,
        initial=ReportEditForm.initial_for(report),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        fields = form.report_fields()
        _result, status = apply_action(
            form,
            actions.update_report,
            report,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            **fields,
        )
        if status == 200:
            messages.success(request, _("The changes were saved."))
            return redirect("hotline:detail", report.pk)
    if form.errors and status == 200:
        status = 400
    _log_report_read(request, report, "report_edit")
    return render(request, "hotline/form.html", {"form": form, "report": report}, status=status)


@require_POST
def report_triage(request, pk):
    report = _get_report(request, pk, write=True)
    form_class = TRIAGE_FORMS.get(request.POST.get("kind", ""))
    if report.is_triaged or form_class is None:
        messages.error(
            request,
            _("This report was already triaged.") if report.is_triaged else _("Choose an outcome."),
        )
        return _render_detail(request, report, status=400)
    form = form_class(request.POST, user=request.user)
    status, candidates = 400, None
    if form.is_valid():
        values = form.identity() if hasattr(form, "identity") else None
        if values is not None:
            candidates = entry.check(request, form, "person", values)
        if candidates:
            return _render_detail(request, report, posted=form, candidates=candidates, status=409)
        kwargs = form.action_kwargs()
        outcome = KIND_OUTCOME.get(form.kind) or kwargs.pop("outcome")
        with transaction.atomic():
            result, status = apply_action(
                form, actions.triage, report, outcome=outcome, acting_user=request.user, **kwargs
            )
            if status == 200 and values is not None:
                dossier = result.dossier
                entry.record(
                    request, form, "person", dossier.person, values, organisation=dossier.owner_org
                )
        if status == 200:
            messages.success(
                request,
                _("The report was triaged: %(outcome)s.") % {"outcome": Outcome(outcome).label},
            )
            return redirect("hotline:detail", report.pk)
    return _render_detail(request, report, posted=form, status=status)


@require_POST
def note_add(request, pk):
    report = _get_report(request, pk, write=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            actions.add_note(report, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The note was added."))
            return redirect("hotline:detail", report.pk)
    return _render_detail(request, report, note_form=form, status=400)


@require_POST
def report_share(request, pk):
    report = _get_report(request, pk, write=True)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            share = actions.share_report(report, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("The report was passed to %(org)s.") % {"org": share.organisation.name},
            )
            return redirect("hotline:detail", report.pk)
    return _render_detail(request, report, share_form=form, status=400)


@require_safe
def report_figures(request):
    user = request.user
    if not access.sees_report_figures(user):
        raise Http404
    form = FiguresForm(request.GET)
    start, end = form.period()
    scope = Report.objects.for_figures(user)
    current = figures.summary(scope, start, end)
    # The same period a year before, beside it (DOMAIN.md §6).
    try:
        before = (start.replace(year=start.year - 1), end.replace(year=end.year - 1))
    except ValueError:  # 29 February
        before = (start - datetime.timedelta(days=365), end - datetime.timedelta(days=365))
    previous = figures.summary(scope, *before)
    return render(
        request,
        "hotline/figures.html",
        {
            "form": form,
            "current": current,
            "previous": previous,
            **_figure_tables(current, previous),
        },
    )


def _figure_tables(current, previous):
    """Rows of (label, this period, the period before) for the figures page."""
    regions = {c.code: c.label for c in Code.objects.filter(list="region")}
    outcome_labels = {o.value: o.label for o in Outcome}
    outcome_labels[figures.UNTRIAGED] = Status.UNTRIAGED.label
    forms = [
        (row.label or _("not stated"), row.depth, row.count, before.count)
        for row, before in zip(current["form"], previous["form"], strict=True)
    ]
    triage = [(_("all reports"), current["triage"], previous["triage"])] + [
        (
            u.label,
            current["triage"]["by_urgency"][u.value],
            previous["triage"]["by_urgency"][u.value],
        )
        for u in Urgency
    ]
    return {
        "channel_rows": [
            (Channel(c).label, n, previous["channel"][c]) for c, n in current["channel"].items()
        ],
        "outcome_rows": [
            (outcome_labels[o], n, previous["outcome"][o]) for o, n in current["outcome"].items()
        ],
        "region_rows": [
            (regions.get(c) if c else _("not stated"), n, previous["region"][c])
            for c, n in current["region"].items()
        ],
        "form_rows": forms,
        "triage_rows": triage,
    }
