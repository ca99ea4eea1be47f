"""Investigation pages: list, open, edit, transfer, close; link victims' dossiers and hotline
reports."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.pagination import CappedPaginator
from himaya.core.shortcuts import apply_action
from himaya.hotline.models import Report

from .. import actions
from ..forms import (
    CloseForm,
    InvestigationEditForm,
    InvestigationFilterForm,
    InvestigationForm,
    LinkDossierForm,
    LinkReportForm,
    ReturnForm,
    TransferForm,
)
from ..models import (
    Handoff,
    Investigation,
    InvestigationStatus,
    Prosecution,
    Suspect,
    SuspectEvent,
)
from .common import form_page, get_investigation, log_suspects, may_write, require_justice


@require_safe
def investigation_list(request):
    require_justice(request)
    user = request.user
    form = InvestigationFilterForm(request.GET or None)
    data = form.valid_data() if request.GET else {}
    if data.get("reference"):
        data["reference"] = data["reference"].strip()
    qs = (
        Investigation.objects.visible_to(user)
        .filtered(**data)
        .select_related("investigating_org", "prosecution_office", "region")
    )
    page = CappedPaginator(qs.prefetch_related("forms"), settings.HIMAYA_LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "justice/list.html",
        {
            "form": form,
            "page": page,
            "can_open": bool(access.investigating_org_ids(user)),
        },
    )


def investigation_create(request):
    user = request.user
    org_ids = access.investigating_org_ids(user)
    if not org_ids:
        raise Http404
    form = InvestigationForm(request.POST or None, org_ids=org_ids)
    status = 200
    if request.method == "POST" and form.is_valid():
        inv, status = apply_action(
            form, actions.open_investigation, acting_user=user, **form.cleaned_data
        )
        if status == 200:
            messages.success(
                request, _("The investigation %(ref)s was opened.") % {"ref": inv.reference}
            )
            return redirect("justice:detail", inv.pk)
    return form_page(
        request,
        form,
        title=_("Open an investigation"),
        back=reverse("justice:list"),
        submit=_("Open the investigation"),
        status=status,
    )


@require_safe
def investigation_detail(request, pk):
    require_justice(request)
    user = request.user
    inv = get_investigation(request, pk)
    suspects = list(
        Suspect.objects.visible_to(user)
        .filter(links__investigation=inv)
        .select_related("role_in_process", "citizenship", "sex", "official_body_type")
        .order_by("links__added_on", "pk")
    )
    events = SuspectEvent.objects.filter(investigation=inv).order_by("on", "pk")
    by_suspect = {}
    for e in events:
        by_suspect.setdefault(e.suspect_id, []).append(e)
    for s in suspects:
        s.timeline = by_suspect.get(s.pk, [])
    log_suspects(user, suspects, "investigation")
    visible_dossiers = set(
        Dossier.objects.visible_to(user)
        .filter(pk__in=inv.dossier_links.values("dossier_id"))
        .values_list("pk", flat=True)
    )
    links = list(inv.dossier_links.select_related("dossier", "organisation"))
    for link in links:
        link.visible = link.dossier_id in visible_dossiers
    reports = Report.objects.visible_to(user).filter(pk__in=inv.reports.values("pk"))
    prosecutions = (
        Prosecution.objects.visible_to(user)
        .filter(investigation=inv)
        .select_related("office", "court", "suspect")
        .prefetch_related("charges__form")
    )
    writable = may_write(user, inv)
    editable = Investigation.objects.filter(access.investigation_edit_q(user), pk=inv.pk).exists()
    handoffs, sent_back = _handoffs(user, inv)
    return render(
        request,
        "justice/detail.html",
        {
            "inv": inv,
            "suspects": suspects,
            "links": links,
            "reports": reports,
            "prosecutions": prosecutions,
            "handoffs": handoffs,
            "sent_back": sent_back,
            "can_write": writable,
            "can_edit": editable,
            "is_open": inv.status == InvestigationStatus.OPEN,
            "can_prosecute": bool(access.prosecuting_org_ids(user)) and bool(suspects),
            "can_return": actions.returnable(user).filter(pk=inv.pk).exists(),
        },
    )


def _handoffs(user, inv):
    """The investigation's transfers and returns, each marked with whether the user reads its
    reason (core.access), and the latest return whose reason the user reads, if it is the
    latest hand-off."""
    handoffs = list(inv.handoffs.select_related("office"))
    for handoff in handoffs:
        handoff.reason_shown = access.reads_handoff_reason(user, handoff)
    latest = handoffs[-1] if handoffs else None
    shown = latest is not None and latest.kind == Handoff.RETURNED and latest.reason_shown
    return handoffs, latest if shown else None


def investigation_edit(request, pk):
    user = request.user
    inv = get_investigation(request, pk, access.investigation_edit_q(user))
    initial = {
        "opened_on": inv.opened_on,
        "region": inv.region_id,
        "forms": list(inv.forms.values_list("pk", flat=True)),
        "version": inv.version,
    }
    form = InvestigationEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        _r, status = apply_action(
            form,
            actions.order_confirmed,
            actions.update_investigation,
            inv,
            acting_user=user,
            expected_version=version,
            **data,
        )
        if status == 200:
            messages.success(request, _("The investigation was saved."))
            return redirect("justice:detail", inv.pk)
    return form_page(
        request,
        form,
        title=_("Edit the investigation %(ref)s") % {"ref": inv.reference},
        back=reverse("justice:detail", args=[inv.pk]),
        submit=_("Save"),
        status=status,
    )


def _simple(
    request, pk, *, q, form_class, action, title, submit, done, form_kwargs=None, then=None
):
    """A form on an investigation whose cleaned data go to one action as keywords; then the
    investigation's page, or ``then`` (a URL) when the action takes it out of the user's sight."""
    user = request.user
    inv = get_investigation(request, pk, q(user))
    form = form_class(request.POST or None, **(form_kwargs(inv) if form_kwargs else {}))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        _r, status = apply_action(form, action, inv, acting_user=user, **data)
        if status == 200:
            messages.success(request, done)
            return redirect(then or reverse("justice:detail", args=[inv.pk]))
    return form_page(
        request,
        form,
        title=title % {"ref": inv.reference},
        back=reverse("justice:detail", args=[inv.pk]),
        submit=submit,
        status=status,
    )


def investigation_transfer(request, pk):
    return _simple(
        request,
        pk,
        q=access.investigation_edit_q,
        form_class=TransferForm,
        form_kwargs=lambda inv: {"exclude_org": inv.investigating_org_id},
        action=actions.transfer_investigation,
        title=_("Transfer %(ref)s to the prosecution"),
        submit=_("Transfer"),
        done=_("The investigation was transferred."),
    )


def investigation_return(request, pk):
    return _simple(
        request,
        pk,
        q=access.investigation_return_q,
        form_class=ReturnForm,
        action=actions.return_investigation,
        title=_("Send %(ref)s back to the investigators"),
        submit=_("Send back"),
        done=_("The investigation was sent back to the investigators."),
        # The office no longer sees it: back to its list.
        then=reverse("justice:list"),
    )


def investigation_close(request, pk):
    return _simple(
        request,
        pk,
        q=access.investigation_edit_q,
        form_class=CloseForm,
        action=actions.close_investigation,
        title=_("Close %(ref)s without prosecution"),
        submit=_("Close the investigation"),
        done=_("The investigation was closed."),
    )


def link_refusal(user, ref):
    """Why a dossier reference cannot be linked, and what to do: linking needs the dossier's
    identity (core.access "Justice"), which an NGO gives by referring the dossier. A dossier the
    user does not see at all gets the same answer as a missing one."""
    seen = Dossier.objects.visible_to(user).filter(reference=ref).select_related("owner_org")
    seen = seen.first()
    if seen is not None:
        return _(
            "Your organisation sees the dossier %(ref)s without the identity, and linking it "
            "needs the identity. Ask “%(owner)s”, which holds the dossier, to refer it to your "
            "organisation with the identity; then link it here."
        ) % {"ref": ref, "owner": seen.owner_org.name}
    return _(
        "No dossier with this reference is shared with your organisation. Check the "
        "reference; if another organisation (an NGO, a shelter) holds the dossier, ask it to "
        "refer the dossier to your organisation with the identity, then link it here."
    )


def dossier_link(request, pk):
    user = request.user
    inv = get_investigation(request, pk, access.investigation_write_q(user))
    form = LinkDossierForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        ref = form.cleaned_data["reference"].strip().upper()
        dossier = Dossier.objects.with_identity_for(user).filter(reference=ref).first()
        if dossier is None:
            form.add_error("reference", link_refusal(user, ref))
            status = 400
        else:
            _r, status = apply_action(form, actions.link_dossier, inv, dossier, acting_user=user)
            if status == 200:
                messages.success(request, _("The dossier %(ref)s was linked.") % {"ref": ref})
                return redirect("justice:detail", inv.pk)
    return form_page(
        request,
        form,
        title=_("Link a victim's dossier to %(ref)s") % {"ref": inv.reference},
        back=reverse("justice:detail", args=[inv.pk]),
        submit=_("Link the dossier"),
        status=status,
    )


def report_link(request, pk):
    user = request.user
    inv = get_investigation(request, pk, access.investigation_write_q(user))
    form = LinkReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        ref = form.cleaned_data["reference"].strip().upper()
        report = Report.objects.visible_to(user).filter(reference=ref).first()
        if report is None:
            form.add_error(
                "reference", _("No hotline report with this reference that you can see.")
            )
            status = 400
        else:
            _r, status = apply_action(form, actions.link_report, inv, report, acting_user=user)
            if status == 200:
                messages.success(request, _("The hotline report was linked."))
                return redirect("justice:detail", inv.pk)
    return form_page(
        request,
        form,
        title=_("Link a hotline report to %(ref)s") % {"ref": inv.reference},
        back=reverse("justice:detail", args=[inv.pk]),
        submit=_("Link the report"),
        status=status,
    )
