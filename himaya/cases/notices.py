"""Access grants ending soon (within HIMAYA_GRANT_ENDING_DAYS days), announced once per grant
and end date to the organisation holding it; found by `himaya notify`."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from himaya.core import access
from himaya.notifications.actions import notify
from himaya.notifications.models import Kind

from .models import AccessGrant


def scan_ending_grants(now=None):
    now = now or timezone.now()
    soon = now + datetime.timedelta(days=settings.HIMAYA_GRANT_ENDING_DAYS)
    ending = (
        AccessGrant.objects.filter(access.live_grant_q(""), until__isnull=False, until__lte=soon)
        .select_related("dossier")
        .only("pk", "until", "organisation_id", "dossier__id", "dossier__reference")
    )
    n = 0
    for grant in ending.iterator(chunk_size=500):
        day = timezone.localtime(grant.until).date()
        notify(
            Kind.GRANT_ENDING,
            target=grant.dossier,
            reference=grant.dossier.reference,
            # a date, the same in every language's digits: ISO
            detail=day.isoformat(),
            url=reverse("cases:detail", args=[grant.dossier_id]),
            organisations=[grant.organisation_id],
            key=f"grant_ending:{grant.pk}:{day.isoformat()}",
        )
        n += 1
    return n
