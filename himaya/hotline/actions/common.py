"""What the hotline's actions share: the limits on what a report holds, the checks every
write makes, and the notices sent when a report is urgent or passed on."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.accounts.models import Organisation
from himaya.core import access
from himaya.core.bidi import blank
from himaya.notifications.actions import notify
from himaya.notifications.models import Kind

from ..models import (
    Report,
    Urgency,
)

URGENT_LEVELS = (Urgency.IMMEDIATE, Urgency.URGENT)

# Longest text accepted per field (the forms and the API say the same).
TEXT_LIMITS = {
    "narrative": 10000,
    "possible_victims": 2000,
    "suspects": 2000,
    "city": 100,
    "reporter_contact": 300,
}
NOTE_MAX = 5000
ADDITION_MAX = 5000
# What one web tip may receive through its receipt code: enough for any reporter, not a flood.
MAX_PUBLIC_ADDITIONS = 30
# A report may be dated a little ahead of the server clock (a phone's clock), not more.
CLOCK_SKEW = datetime.timedelta(minutes=5)

EDITABLE_FIELDS = [
    "channel",
    "received_at",
    "caller_type",
    "language",
    "region",
    "city",
    "possible_victims",
    "suspects",
    "urgency",
    "narrative",
    "reporter_contact",
]


def _next_reference(report):
    year = timezone.localtime(report.received_at).year
    return f"HL-{year}-{report.pk:06d}"


def _clean_text(fields):
    """Strip the free text and refuse what is too long (the forms say so first)."""
    for name, limit in TEXT_LIMITS.items():
        if name in fields:
            value = (fields[name] or "").strip()
            if len(value) > limit:
                raise ValidationError(
                    {name: _("At most %(limit)s characters.") % {"limit": f"{limit:,}"}}
                )
            fields[name] = value
    return fields


def _check_report(report):
    if blank(report.narrative):
        raise ValidationError({"narrative": _("Say what happened.")})
    if report.received_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"received_at": _("A report cannot be received in the future.")})
    report.full_clean(
        exclude=["reference", "received_by", "taken_by", "dossier", "triaged_by", "triage_org"]
    )


def _writable(user, report):
    if not Report.objects.writable_by(user).filter(pk=report.pk).exists():
        raise PermissionDenied


def _announce_held_danger(report):
    """A tip in immediate danger held over its address's limit must not wait unseen for the
    bulk review; but a flood must not flood the hotline either: one notice an hour, pointing
    to the held queue, however many such tips arrive."""
    hour = timezone.now().strftime("%Y-%m-%dT%H")
    notify(
        Kind.TIP_HELD_DANGER,
        target=None,
        reference=report.reference,
        detail=Urgency(report.urgency).label,
        url=reverse("hotline:list") + "?held=over_address_limit",
        urgent=True,
        organisations=Organisation.objects.filter(
            active=True, type__code__in=access.HOTLINE_ORG_TYPES
        ).values_list("pk", flat=True),
        key=f"tip_held_danger:{hour}",
    )


def _announce_urgent_tip(report, actor=None):
    """An urgent web tip waits for no one: every active hotline learns of it."""
    if report.urgency not in URGENT_LEVELS:
        return
    notify(
        Kind.TIP_URGENT,
        target=report,
        reference=report.reference,
        detail=Urgency(report.urgency).label,
        url=reverse("hotline:detail", args=[report.pk]),
        urgent=True,
        organisations=Organisation.objects.filter(
            active=True, type__code__in=access.HOTLINE_ORG_TYPES
        ).values_list("pk", flat=True),
        actor=actor,
    )


def _announce_pass(report, organisation, acting_user):
    """The organisation a report is passed to learns of it; urgency marks it urgent."""
    notify(
        Kind.REPORT_ROUTED,
        target=report,
        reference=report.reference,
        detail=Urgency(report.urgency).label,
        url=reverse("hotline:detail", args=[report.pk]),
        urgent=report.urgency in URGENT_LEVELS,
        organisations=[organisation.pk],
        actor=acting_user,
    )
