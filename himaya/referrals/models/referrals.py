"""Referrals of a dossier to a provider (with consent, DOMAIN.md §3), and their answer limit."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access
from himaya.core.fields import EncryptedTextField

from .facilities import Facility, Service


class ReferralStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    DONE = "done", _("done")
    REVOKED = "revoked", _("revoked")


OPEN_STATUSES = (ReferralStatus.IN_PROGRESS, ReferralStatus.ACCEPTED)


class RejectionReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("no capacity")
    NOT_ELIGIBLE = "not_eligible", _("not eligible for the service")
    NOT_OFFERED = "not_offered", _("service not offered")
    PERSON_DECLINED = "person_declined", _("the person declined")
    OTHER = "other", _("other")


class ReferralQuerySet(access.RestrictedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        """Referrals still in progress past their answer limit (settings, urgent or not)."""
        now = now or timezone.now()
        normal = now - datetime.timedelta(hours=settings.HIMAYA_REFERRAL_ANSWER_HOURS)
        urgent = now - datetime.timedelta(hours=settings.HIMAYA_REFERRAL_ANSWER_HOURS_URGENT)
        return self.filter(status=ReferralStatus.IN_PROGRESS).filter(
            Q(urgent=False, sent_at__lt=normal) | Q(urgent=True, sent_at__lt=urgent)
        )


class Referral(models.Model):
    FREE_TEXT_FIELDS = ("reason", "override_reason", "guardian", "rejection_note")

    dossier = models.ForeignKey(
        "cases.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="referrals",
    )
    from_org = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    to_org = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    service = models.CharField(_("service"), max_length=16, choices=Service.choices)
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("facility"),
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
    )
    reason = EncryptedTextField(_("reason"))
    urgent = models.BooleanField(_("urgent"), default=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReferralStatus.choices,
        default=ReferralStatus.IN_PROGRESS,
    )
    consent = models.ForeignKey(
        "people.Consent",
        verbose_name=_("consent"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    is_child = models.BooleanField(_("child at referral"), default=False)
    guardian = EncryptedTextField(_("guardian"), blank=True)
    consent_override = models.BooleanField(_("consent overridden"), default=False)
    override_reason = EncryptedTextField(_("reason for the override"), blank=True)
    rejection_reason = models.CharField(
        _("reason for rejection"), max_length=16, choices=RejectionReason.choices, blank=True
    )
    rejection_note = EncryptedTextField(_("note on the rejection"), blank=True)
    grant = models.ForeignKey(
        "cases.AccessGrant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_by = models.ForeignKey(
        "accounts.User", verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-id"]
        # The referral lists' order: whole, and per sending and receiving organisation (issue
        # 17: each access path reads its first rows from an index, core/pagination.py).
        indexes = [
            models.Index(fields=["to_org", "status"]),
            models.Index(fields=["-sent_at", "-id"], name="referral_newest"),
            models.Index(fields=["from_org", "-sent_at", "-id"], name="referral_sender_newest"),
            models.Index(fields=["to_org", "-sent_at", "-id"], name="referral_receiver_newest"),
            # The home page's lists (referrals/home.py), each in its order from an index of its
            # own rows, so that reading ten stops at ten: the referrals to answer, the accepted
            # ones under way, the shelter waiting list, and the referrals in progress past
            # their answer's limit (a few in a hundred referrals are in progress).
            models.Index(
                fields=["to_org", "-urgent", "sent_at", "id"],
                condition=Q(status=ReferralStatus.IN_PROGRESS),
                name="referral_to_answer",
            ),
            models.Index(
                fields=["to_org", "accepted_at", "id"],
                condition=Q(status=ReferralStatus.ACCEPTED),
                name="referral_accepted",
            ),
            models.Index(
                fields=["to_org", "accepted_at", "id"],
                condition=Q(status=ReferralStatus.ACCEPTED, service=Service.SHELTER),
                name="referral_shelter_accepted",
            ),
            models.Index(
                fields=["-sent_at", "-id"],
                condition=Q(status=ReferralStatus.IN_PROGRESS),
                name="referral_in_progress",
            ),
        ]

    def __str__(self):
        return f"{self.get_service_display()} · {self.get_status_display()}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def answered_at(self):
        return self.accepted_at or self.rejected_at

    @property
    def answer_due_at(self):
        hours = (
            settings.HIMAYA_REFERRAL_ANSWER_HOURS_URGENT
            if self.urgent
            else settings.HIMAYA_REFERRAL_ANSWER_HOURS
        )
        return self.sent_at + datetime.timedelta(hours=hours)

    @property
    def is_overdue(self):
        return self.status == ReferralStatus.IN_PROGRESS and timezone.now() > self.answer_due_at
