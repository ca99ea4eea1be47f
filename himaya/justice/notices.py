"""Proceedings newly stalled (no event for HIMAYA_STALLED_MONTHS months), announced once per
stall to the justice organisations that hold them; found by `himaya notify`. A new event
ends the stall, and a later stall is announced again."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.notifications.actions import notify
from himaya.notifications.models import Kind

from .models import Investigation, Prosecution


def scan_stalled(today=None):
    today = today or timezone.localdate()
    n = 0
    for inv in Investigation.objects.stalled(today):
        notify(
            Kind.PROCEEDING_STALLED,
            target=inv,
            reference=inv.reference,
            detail=_("Investigation"),
            url=reverse("justice:detail", args=[inv.pk]),
            organisations=[inv.investigating_org_id],
            key=f"stalled:investigation:{inv.pk}:{inv.last_event_on.isoformat()}",
        )
        n += 1
    for pro in Prosecution.objects.select_related("investigation").stalled(today):
        notify(
            Kind.PROCEEDING_STALLED,
            target=pro,
            reference=pro.investigation.reference,
            detail=_("Prosecution"),
            url=reverse("justice:prosecution", args=[pro.pk]),
            organisations=[pro.office_id],
            key=f"stalled:prosecution:{pro.pk}:{pro.last_event_on.isoformat()}",
        )
        n += 1
    return n
