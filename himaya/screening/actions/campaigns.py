"""Proactive screening campaigns: create and update them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access
from himaya.core.actions import save_versioned
from himaya.core.bidi import blank

from ..models import (
    Campaign,
    TargetGroup,
)

# How far from this year a campaign may be dated (the page said it first).
CAMPAIGN_YEARS = 50

CAMPAIGN_FIELDS = [
    "name_ar",
    "name_fr",
    "name_en",
    "region",
    "place",
    "starts_on",
    "ends_on",
    "target_group",
    "target_other",
    "status",
    "description",
]


def _check_campaign(campaign):
    errors = {}
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        errors["ends_on"] = _("The campaign cannot end before it starts.")
    # The page's rule for every client: a campaign dated 0001 to 9999 would be counted in the
    # figures of every year.
    this_year = timezone.localdate().year
    for name in ("starts_on", "ends_on"):
        day = getattr(campaign, name)
        if day and abs(day.year - this_year) > CAMPAIGN_YEARS and name not in errors:
            errors[name] = _("Check the year.")
    if campaign.target_group == TargetGroup.OTHER and blank(campaign.target_other):
        errors["target_other"] = _("Describe the target group.")
    if campaign.region_id and campaign.region.list != "region":
        errors["region"] = _("Choose a value from the list.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_campaign(*, acting_user, organisation, **fields):
    if organisation.pk not in access.victim_org_ids(acting_user):
        raise PermissionDenied(_("You cannot run campaigns for this organisation."))
    campaign = Campaign(
        organisation=organisation,
        created_by=acting_user,
        **{k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS},
    )
    _check_campaign(campaign)
    campaign.full_clean(exclude=["organisation", "created_by"])
    campaign.save()
    log.write(
        acting_user,
        "create_campaign",
        campaign,
        [f for f in CAMPAIGN_FIELDS if fields.get(f)],
        organisation_id=organisation.pk,
    )
    return campaign


@transaction.atomic
def update_campaign(campaign, *, acting_user, expected_version, **fields):
    if not Campaign.objects.writable_by(acting_user).filter(pk=campaign.pk).exists():
        raise PermissionDenied
    changed = [f for f in CAMPAIGN_FIELDS if f in fields and getattr(campaign, f) != fields[f]]
    for f in changed:
        setattr(campaign, f, fields[f])
    _check_campaign(campaign)
    campaign.full_clean(exclude=["organisation", "created_by"])
    save_versioned(campaign, changed, expected_version)
    log.write(acting_user, "update_campaign", campaign, changed)
    return campaign, changed
