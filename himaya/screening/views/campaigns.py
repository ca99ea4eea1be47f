"""Campaign pages and the screening figures page. Campaigns and figures are counts, never
identities: national-commission analysts see every campaign's counts; a campaign's screenings
are listed only to those who see them (core.access)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from himaya.accounts.models import Organisation
from himaya.audit.fetch import get_visible_or_404
from himaya.core import access
from himaya.core.models import Code
from himaya.core.pagination import CappedPaginator
from himaya.core.shortcuts import add_action_errors, apply_action

from .. import actions, figures
from ..forms import CampaignEditForm, CampaignFilterForm, CampaignForm, YearForm
from ..models import Campaign, CampaignStatus, QuestionnaireCode, Screening


def _sees_campaigns(request):
    if not access.member_org_ids(request.user) and not access.is_national_analyst(request.user):
        raise Http404


@require_safe
def campaign_list(request):
    _sees_campaigns(request)
    campaigns = Campaign.objects.visible_to(request.user)
    orgs = Organisation.objects.filter(pk__in=campaigns.values("organisation_id"))
    form = CampaignFilterForm(request.GET or None, organisations=orgs)
    data = form.valid_data()
    for name in ("status", "target_group", "region", "organisation"):
        if data.get(name):
            campaigns = campaigns.filter(**{name: data[name]})
    campaigns = campaigns.select_related("organisation", "region")
    page = CappedPaginator(campaigns, settings.HIMAYA_LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = figures.campaign_counts(list(page))
    rows = [(c, counts[c.pk]) for c in page]
    return render(
        request,
        "screening/campaign_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "can_create": access.handles_victims(request.user),
        },
    )


def campaign_create(request):
    if not access.handles_victims(request.user):
        raise Http404
    form = CampaignForm(
        request.POST or None,
        org_ids=access.victim_org_ids(request.user),
        with_organisation=True,
        initial={"status": CampaignStatus.ACTIVE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.create_campaign(
                acting_user=request.user,
                organisation=form.cleaned_data["organisation"],
                **form.campaign_fields(),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The campaign was created."))
            return redirect("screening:campaign_detail", campaign.pk)
    return render(
        request, "screening/campaign_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_safe
def campaign_detail(request, pk):
    user = request.user
    campaign = get_visible_or_404(
        Campaign.objects.select_related("organisation", "region", "created_by"),
        user,
        pk,
        audit_type="screening.campaign",
    )
    counts = figures.campaign_counts([campaign])[campaign.pk]
    screenings = (
        Screening.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("questionnaire", "screener")
        .defer("answers", "result", "notes", "place_detail")
    )
    page = CappedPaginator(screenings, settings.HIMAYA_LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "screening/campaign_detail.html",
        {
            "campaign": campaign,
            "counts": counts,
            "page": page,
            "sees_screenings": access.handles_victims(user),
            "can_edit": Campaign.objects.writable_by(user).filter(pk=campaign.pk).exists(),
            "can_screen": campaign.status != CampaignStatus.CLOSED
            and campaign.organisation_id in access.victim_org_ids(user),
        },
    )


def campaign_edit(request, pk):
    campaign = get_visible_or_404(
        Campaign.objects.writable_by(request.user).select_related("region"),
        request.user,
        pk,
        audit_type="screening.campaign",
    )
    form = CampaignEditForm(request.POST or None, initial=CampaignForm.initial_for(campaign))
    status = 200
    if request.method == "POST" and form.is_valid():
        _result, status = apply_action(
            form,
            actions.update_campaign,
            campaign,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            **form.campaign_fields(),
        )
        if status == 200:
            messages.success(request, _("The changes were saved."))
            return redirect("screening:campaign_detail", campaign.pk)
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "screening/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=status,
    )


@require_safe
def figures_page(request):
    org_ids = access.screening_figure_org_ids(request.user)
    if org_ids is not None and not org_ids:
        raise Http404
    form = YearForm(request.GET or None)
    year = form.chosen_year()
    if not form.is_bound:
        form = YearForm(initial={"year": year})
    data = figures.year_figures(year, org_ids)
    types = {c.code: c.label for c in Code.objects.of("org_type")}
    return render(
        request,
        "screening/figures.html",
        {
            "form": form,
            "f": data,
            "by_type": [(types.get(t, t), c) for t, c in data["by_organisation_type"].items()],
            "by_questionnaire": [
                (QuestionnaireCode(code).label if code in QuestionnaireCode.values else code, c)
                for code, c in data["by_questionnaire"].items()
            ],
            "all_organisations": org_ids is None,
        },
    )
