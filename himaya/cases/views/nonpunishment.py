"""Non-punishment pages: recording an offence charged against a victim (which raises the alert),
the list of open alerts of one's organisations, and resolving an alert."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from himaya.audit import log
from himaya.audit.fetch import get_visible_or_404
from himaya.core import access
from himaya.core.pagination import CappedPaginator
from himaya.core.punctuation import join_words
from himaya.core.shortcuts import apply_action

from ..actions import record_offence, resolve_alert
from ..identify_forms import OffenceForm, ResolveForm
from ..models import OFFENCE_STAGES, Dossier, NonPunishmentAlert, Stage
from .common import get_dossier


def offence_create(request, pk):
    user = request.user
    dossier = get_dossier(request, pk, identity=True)
    org_ids = access.offence_org_ids_for(user, dossier)
    if not org_ids:
        raise PermissionDenied(_("You cannot record an offence on this dossier."))
    stage_ok = dossier.current_stage in OFFENCE_STAGES
    form = OffenceForm(
        request.POST or None,
        org_ids=org_ids,
        initial={"region": dossier.exploitation_region_id},
    )
    status = 200
    if request.method == "POST" and stage_ok and form.is_valid():
        data = dict(form.cleaned_data)
        result, status = apply_action(
            form,
            record_offence,
            dossier,
            acting_user=user,
            **data,
        )
        if status == 200:
            _offence, alert = result
            if alert.recipients.exists():
                messages.success(
                    request,
                    _("The offence was recorded; the alert went to %(orgs)s.")
                    % {"orgs": join_words(o.name for o in alert.recipients.all())},
                )
            else:
                messages.warning(
                    request,
                    _(
                        "The offence was recorded. No prosecution organisation of that region "
                        "is in Himaya: inform the prosecution directly."
                    ),
                )
            return redirect("cases:detail", dossier.pk)
    if request.method == "POST" and status == 200:  # refused by the form or the stage rule
        status = 400
    log.read(user, dossier.person_id, dossier, "identity")
    return render(
        request,
        "cases/offence_form.html",
        {
            "dossier": dossier,
            "person": dossier.person,
            "form": form,
            "stage_ok": stage_ok,
            "stage_label": Stage(dossier.current_stage).label if dossier.current_stage else "",
        },
        status=status,
    )


@require_safe
def alert_list(request):
    """Alerts for one's organisations: sent to them (the prosecution), or about their
    dossiers (the owner and its caseworkers). Open ones first; resolved ones on request."""
    user = request.user
    if not access.handles_victims(user):
        raise Http404
    show = "resolved" if request.GET.get("state") == "resolved" else "open"
    # The dossiers (and their owners) of the page's rows are read by primary key after the
    # page: joined into the sorted query, they made PostgreSQL hash every dossier (100,000:
    # 36 ms of a 25-row page, against 5 ms for the alerts alone).
    alerts = (
        NonPunishmentAlert.objects.inbox(user)
        .select_related("offence", "offence__region", "resolved_org")
        .prefetch_related("dossier__owner_org")
    )
    if show == "open":
        alerts = alerts.filter(resolved_on__isnull=True).order_by("raised_at", "id")
    else:
        alerts = alerts.filter(resolved_on__isnull=False).order_by("-resolved_on", "-id")
    page = CappedPaginator(alerts.defer("outcome_note"), settings.HIMAYA_LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "cases/alert_list.html", {"page": page, "show": show})


def alert_resolve(request, pk):
    user = request.user
    alert = get_visible_or_404(
        NonPunishmentAlert.objects.select_related(
            "dossier", "dossier__owner_org", "offence", "offence__region", "offence__authority"
        ),
        user,
        pk,
        audit_type="cases.nonpunishmentalert",
    )
    orgs = access.alert_resolver_org_ids(user, alert)
    dossier = alert.dossier
    if not orgs or not access.sees_identity(user, dossier):
        # An analyst sees the alert in the dossier's figures, not as work to do.
        log.denied(user, ("cases.nonpunishmentalert", str(alert.pk)), "resolve")
        raise Http404
    form = ResolveForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        _alert, status = apply_action(
            form,
            resolve_alert,
            alert,
            acting_user=user,
            **form.cleaned_data,
        )
        if status == 200:
            messages.success(request, _("The alert was resolved."))
            if Dossier.objects.visible_to(user).filter(pk=dossier.pk).exists():
                return redirect("cases:detail", dossier.pk)
            messages.info(request, _("The dossier is no longer shared with your organisation."))
            return redirect("cases:alerts:list")
    if form.errors and status == 200:
        status = 400
    log.read(user, dossier.person_id, dossier, "identity")
    return render(
        request,
        "cases/alert_resolve.html",
        {"alert": alert, "dossier": dossier, "person": dossier.person, "form": form},
        status=status,
    )
