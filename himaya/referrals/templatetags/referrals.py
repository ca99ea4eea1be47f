"""The dossier page's "Referrals and services" panel, as the reader may see it."""

from django import template

from himaya.core import access

from ..models import Referral, ShelterStay

register = template.Library()


@register.inclusion_tag("referrals/_dossier_panel.html", takes_context=True)
def referrals_panel(context):
    dossier = context["dossier"]
    user = context["request"].user
    if not context.get("sees_identity"):
        return {"dossier": dossier, "hidden": True}
    referrals = (
        Referral.objects.visible_to(user)
        .filter(dossier=dossier)
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
