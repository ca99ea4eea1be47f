"""The dossier page's "Referrals and services" panel, as the reader may see it."""

from django import template
from django.db.models import Q

from himaya.core import access

from ..models import Referral, ShelterStay

register = template.Library()


def dossier_referrals(user, dossier):
    """The referrals of one dossier the user sees: all of them when one of the user's victim
    organisations owns it, else those sent or received by one of them. These are the three
    paths of core.access.referral_ids for a dossier already loaded (its owner read with it),
    so the same rows as ``visible_to(user).filter(dossier=dossier)``, without PostgreSQL
    gathering every referral the user sees (~30,000 at 100k persons) to keep this dossier's."""
    orgs = access.victim_org_ids(user)
    referrals = Referral.objects.filter(dossier_id=dossier.pk)
    if not orgs:
        return referrals.none()
    if dossier.owner_org_id in orgs:
        return referrals
    return referrals.filter(Q(from_org_id__in=orgs) | Q(to_org_id__in=orgs))


@register.inclusion_tag("referrals/_dossier_panel.html", takes_context=True)
def referrals_panel(context):
    dossier = context["dossier"]
    user = context["request"].user
    if not context.get("sees_identity"):
        return {"dossier": dossier, "hidden": True}
    referrals = (
        dossier_referrals(user, dossier)
        .select_related("to_org")
        .defer(*Referral.FREE_TEXT_FIELDS)[:20]
    )
    stay = (
        ShelterStay.objects.visible_to(user)
        .filter(dossier=dossier, discharged_on__isnull=True)
        .select_related("facility")
        .first()
    )
    return {
        "dossier": dossier,
        "panel_referrals": referrals,
        "panel_stay": stay,
        "panel_can_refer": access.writes_dossier(user, dossier),
        "hidden": False,
    }
