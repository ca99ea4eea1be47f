"""The screening panel of the home page (the lead includes ``screening/_home.html`` with this
context): drafts to finish, strong indications still without a dossier, campaigns under way."""

from himaya.core import access
from himaya.core.pagination import first_rows

from . import figures
from .models import Campaign, CampaignStatus, Recommendation, Screening

PANEL_SIZE = 8
# Roles that screen people in the field; others (prosecutors, shelter managers, the hotline)
# see the panel only when something of theirs is waiting in it.
FIELD_ROLES = ("investigator", "caseworker")


def home_context(user) -> dict:
    if not access.handles_victims(user):
        return {}
    orgs = access.victim_org_ids(user)
    private = Screening.PRIVATE_FIELDS
    drafts = (
        Screening.objects.writable_by(user)
        .filter(screener=user)
        .select_related("questionnaire")
        .defer(*private)
        .order_by("-updated_at")[:PANEL_SIZE]
    )
    strong = (
        Screening.objects.visible_to(user)
        .current()
        .filter(
            organisation_id__in=orgs,
            recommendation=Recommendation.STRONG,
            dossier__isnull=True,
        )
        .defer(*private)
        .order_by("-screened_on", "-id")
    )
    campaigns = list(
        Campaign.objects.filter(organisation_id__in=orgs, status=CampaignStatus.ACTIVE).order_by(
            "-starts_on"
        )[:PANEL_SIZE]
    )
    # Read path by path of what the user sees, each walk stopping at the panel's size, not by
    # gathering every screening the user may see first (issue 17).
    drafts, strong = list(drafts), first_rows(strong, PANEL_SIZE)
    screens = user.memberships.filter(active=True, role__in=FIELD_ROLES).exists()
    if not (screens or drafts or strong or campaigns):
        return {}
    counts = figures.campaign_counts(campaigns)
    return {
        "screening_panel": True,
        "screening_drafts": drafts,
        "screening_strong": strong,
        "screening_campaigns": [(c, counts[c.pk]) for c in campaigns],
    }
