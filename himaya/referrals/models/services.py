"""What a dossier receives: shelter stays, service sessions, return assistance, the support
plan's goals and follow-ups. Each is visible to the dossier's owner and to the organisation that
recorded it (core.access)."""

import datetime
from collections import defaultdict

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access
from himaya.core.fields import EncryptedTextField

from .facilities import BED_GROUPS, Facility
from .referrals import Referral


class DossierRecordQuerySet(access.RestrictedQuerySet):
    """Service records: core.access.policies.ServiceRecordPolicy."""


class StayQuerySet(DossierRecordQuerySet):
    def running_on(self, day):
        return self.filter(admitted_on__lte=day).filter(
            Q(discharged_on__isnull=True) | Q(discharged_on__gt=day)
        )

    def occupancy(self, day):
        """Stays running on ``day``, per facility and bed group, in one query:
        ``{facility_id: {group: n}}``, every bed group counted (0 when none runs)."""
        counts = defaultdict(lambda: dict.fromkeys(BED_GROUPS, 0))
        rows = (
            self.running_on(day)
            .order_by()
            .values_list("facility_id", "bed_group")
            .annotate(n=Count("id"))
        )
        for facility_id, group, n in rows:
            counts[facility_id][group] = counts[facility_id].get(group, 0) + n
        return counts


def load_boards(facilities, day=None):
    """Give each of ``facilities`` its board (``rows``, Facility.board) and its free beds
    (``free``), the running stays of all of them counted in one query. Returns the list."""
    facilities = list(facilities)
    day = day or timezone.localdate()
    occupied = ShelterStay.objects.filter(facility__in=facilities).occupancy(day)
    for f in facilities:
        f.rows = f.board(day, occupied=occupied[f.pk])
        f.free = sum(row[3] for row in f.rows)
    return facilities


class DischargeReason(models.TextChoices):
    PLAN_COMPLETED = "plan_completed", _("support plan completed")
    MOVED = "moved", _("moved to another provider")
    RETURNED = "returned", _("returned home")
    LEFT = "left", _("left on their own")
    OTHER = "other", _("other")


class ShelterStay(models.Model):
    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="stays"
    )
    dossier = models.ForeignKey(
        "cases.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="stays"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="stays"
    )
    bed_group = models.CharField(
        _("bed"), max_length=16, choices=[(g.value, g.label) for g in BED_GROUPS]
    )
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_reason = models.CharField(
        _("reason for discharge"), max_length=16, choices=DischargeReason.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = StayQuerySet.as_manager()

    class Meta:
        verbose_name = _("shelter stay")
        verbose_name_plural = _("shelter stays")
        ordering = ["-admitted_on", "-id"]

    def __str__(self):
        return f"{self.facility} · {self.admitted_on}"

    def nights_in(self, start, end):
        """Bed-nights between ``start`` and ``end`` (inclusive): the nights from admission to
        discharge (or past ``end``) that fall in the period."""
        last = self.discharged_on or (end + datetime.timedelta(days=1))
        first = max(self.admitted_on, start)
        stop = min(last, end + datetime.timedelta(days=1))
        return max((stop - first).days, 0)


class SessionKind(models.TextChoices):
    PSYCHOSOCIAL = "psychosocial", _("psychosocial support")
    MEDICAL = "medical", _("medical care")
    LEGAL_AID = "legal_aid", _("legal aid")
    INTERPRETATION = "interpretation", _("interpretation")
    REINTEGRATION = "reintegration", _("reintegration")
    LIVELIHOOD = "livelihood", _("livelihood")
    EDUCATION = "education", _("education")


class ServiceRecord(models.Model):
    """A session or service given to the person on a day, by someone."""

    dossier = models.ForeignKey(
        "cases.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("service"), max_length=16, choices=SessionKind.choices)
    on = models.DateField(_("date"))
    given_by = models.ForeignKey(
        "accounts.User", verbose_name=_("given by"), on_delete=models.PROTECT, related_name="+"
    )
    note = EncryptedTextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DossierRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("service session")
        verbose_name_plural = _("service sessions")
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.on}"


class ReturnAssistance(models.Model):
    dossier = models.ForeignKey(
        "cases.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="returns"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    destination = models.ForeignKey(
        "core.Code",
        verbose_name=_("destination country"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "country"},
    )
    partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    partner_other = models.CharField(
        _("other partner (e.g. a consulate)"), max_length=200, blank=True
    )
    travel_on = models.DateField(_("travel date"))
    reintegration_followup = EncryptedTextField(_("reintegration follow-up"), blank=True)
    given_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DossierRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("return assistance")
        verbose_name_plural = _("return assistance")
        ordering = ["-travel_on", "-id"]

    def __str__(self):
        return f"{self.destination} · {self.travel_on}"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    ACHIEVED = "achieved", _("achieved")
    DROPPED = "dropped", _("dropped")


class SupportGoal(models.Model):
    """A goal of the dossier's support plan."""

    dossier = models.ForeignKey(
        "cases.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="goals"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    goal = EncryptedTextField(_("goal"))
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    target_on = models.DateField(_("target date"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = DossierRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("support plan goal")
        verbose_name_plural = _("support plan goals")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.get_status_display()


class FollowUp(models.Model):
    dossier = models.ForeignKey(
        "cases.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="followups",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    purpose = EncryptedTextField(_("purpose"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("scheduled by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DossierRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]

    def __str__(self):
        return str(self.due_on)
