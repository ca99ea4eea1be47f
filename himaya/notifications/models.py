"""Notifications: one row per reader of a hand-off (a referral sent, an investigation
transferred, an alert raised...), their inbox, and how each user wants to be told by e-mail.

A notification holds no identity: a kind, the reference of the record (HMY-2026-346,
ENQ-2026-000061), a short untranslated detail (a service, an outcome), the record it is about
and a link. Its text is written in the reader's language when shown, and the record is checked
against what the reader may see at that moment (S16).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from himaya.core.bidi import html_sentence


class Kind(models.TextChoices):
    REFERRAL_SENT = "referral_sent", _("referral received")
    REFERRAL_ACCEPTED = "referral_accepted", _("referral accepted")
    REFERRAL_REJECTED = "referral_rejected", _("referral rejected")
    REFERRAL_REVOKED = "referral_revoked", _("referral revoked")
    REFERRAL_COMPLETED = "referral_completed", _("referral completed")
    REFERRAL_OVERDUE = "referral_overdue", _("referral unanswered")
    TRANSFER_PROPOSED = "transfer_proposed", _("dossier transfer proposed")
    TRANSFER_ANSWERED = "transfer_answered", _("dossier transfer answered")
    GRANT_GIVEN = "grant_given", _("access to a dossier given")
    GRANT_ENDING = "grant_ending", _("access to a dossier ending soon")
    INVESTIGATION_TRANSFERRED = "investigation_transferred", _("investigation transferred")
    INVESTIGATION_RETURNED = "investigation_returned", _("investigation sent back")
    ALERT_RAISED = "alert_raised", _("non-punishment alert raised")
    ALERT_ANSWERED = "alert_answered", _("non-punishment alert answered")
    REPORT_ROUTED = "report_routed", _("hotline report passed on")
    TIP_URGENT = "tip_urgent", _("urgent web tip")
    TIP_HELD_DANGER = "tip_held_danger", _("web tip in immediate danger held")
    PROCEEDING_STALLED = "proceeding_stalled", _("case stalled")
    JOB_FINISHED = "job_finished", _("background job finished")
    JOB_FAILED = "job_failed", _("background job failed")
    LINKAGE_QUESTION = "linkage_question", _("question from the linkage desk")
    LINKAGE_ANSWER = "linkage_answer", _("answer to the linkage desk")
    SUBJECT_REQUEST = "subject_request", _("data subject request to pass on")
    ACTION_OVERDUE = "action_overdue", _("follow-up action of the commission overdue")


# The sentence of each kind. %(reference)s is the record's reference, %(detail)s a short
# label (a service, an outcome, a job) translated when shown. No sentence may take a name.
TEXTS = {
    Kind.REFERRAL_SENT: _("New referral %(reference)s (%(detail)s)"),
    Kind.REFERRAL_ACCEPTED: _("Referral %(reference)s (%(detail)s) was accepted"),
    Kind.REFERRAL_REJECTED: _("Referral %(reference)s (%(detail)s) was rejected"),
    Kind.REFERRAL_REVOKED: _("Referral %(reference)s (%(detail)s) was revoked by its sender"),
    Kind.REFERRAL_COMPLETED: _("Referral %(reference)s (%(detail)s) was completed"),
    Kind.REFERRAL_OVERDUE: _("Referral %(reference)s (%(detail)s) is unanswered past its limit"),
    Kind.TRANSFER_PROPOSED: _("Dossier %(reference)s is proposed for transfer to you"),
    Kind.TRANSFER_ANSWERED: _("Transfer of dossier %(reference)s: %(detail)s"),
    Kind.GRANT_GIVEN: _("Your organisation may now see dossier %(reference)s (%(detail)s)"),
    Kind.GRANT_ENDING: _("Your access to dossier %(reference)s ends on %(detail)s"),
    Kind.INVESTIGATION_TRANSFERRED: _("Investigation %(reference)s was transferred to you"),
    Kind.INVESTIGATION_RETURNED: _(
        "Investigation %(reference)s was sent back to you by the prosecution office"
    ),
    Kind.ALERT_RAISED: _("Non-punishment alert on dossier %(reference)s: %(detail)s"),
    Kind.ALERT_ANSWERED: _("The non-punishment alert on dossier %(reference)s: %(detail)s"),
    Kind.REPORT_ROUTED: _("Hotline report %(reference)s passed to you: %(detail)s"),
    Kind.TIP_URGENT: _("New web tip %(reference)s: %(detail)s"),
    Kind.TIP_HELD_DANGER: _(
        "Web tip %(reference)s (%(detail)s) is held over its address's limit: review the held tips"
    ),
    Kind.PROCEEDING_STALLED: _("%(detail)s %(reference)s has had no event for months"),
    Kind.JOB_FINISHED: _("%(detail)s %(reference)s is finished"),
    Kind.JOB_FAILED: _("%(detail)s %(reference)s failed"),
    Kind.LINKAGE_QUESTION: _(
        "The linkage desk asks about one of your records (pair %(reference)s)"
    ),
    Kind.LINKAGE_ANSWER: _("An organisation answered the desk's question on pair %(reference)s"),
    Kind.SUBJECT_REQUEST: _("Data subject request %(reference)s (%(detail)s): pass it on"),
    Kind.ACTION_OVERDUE: _("%(detail)s of the commission's decision %(reference)s is overdue"),
}


class EmailChoice(models.TextChoices):
    IMMEDIATE = "immediate", _("at once")
    DIGEST = "digest", _("once a day (a digest)")
    NONE = "none", _("never")


class MailState(models.TextChoices):
    NONE = "none", _("not mailed")
    PENDING = "pending", _("to mail")
    SENT = "sent", _("mailed")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's own notifications, from organisations they are still an active member of
        (a member who left stops reading what came to them as a member)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        orgs = user.memberships.filter(active=True, organisation__active=True).values(
            "organisation_id"
        )
        return self.filter(
            Q(organisation__isnull=True) | Q(organisation_id__in=orgs), recipient=user
        )

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # The organisation the recipient receives it as (none for a job the user started).
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    # The English source of a label (gettext'd when shown), or a date or number.
    detail = models.CharField(_("detail"), max_length=120, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    target_type = models.CharField(max_length=64, blank=True)  # "app_label.model"
    target_id = models.CharField(max_length=40, blank=True)
    url = models.CharField(max_length=200, blank=True)
    # For notices found by a scan (overdue, stalled, ending): one per recipient and key.
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    mail_state = models.CharField(max_length=8, choices=MailState.choices, default=MailState.NONE)
    mail_attempts = models.PositiveSmallIntegerField(default=0)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["mail_state", "recipient"], name="notification_mail"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notification_once"
            )
        ]

    def __str__(self):
        return self.text

    @property
    def text(self):
        """The sentence in the active language: a reference and a translated label only."""
        detail = gettext(self.detail) if self.detail else ""
        return str(TEXTS[self.kind]) % {"reference": self.reference, "detail": detail}

    @property
    def html(self):
        """The sentence for a page: the reference isolated (<bdi>), so that HMY-2026-000346
        reads whole inside Arabic text; every piece escaped."""
        detail = gettext(self.detail) if self.detail else ""
        return html_sentence(
            TEXTS[self.kind],
            reference=format_html('<bdi dir="ltr">{}</bdi>', self.reference),
            detail=detail,
        )


class Preference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        _("e-mail me"), max_length=12, choices=EmailChoice.choices, default=EmailChoice.DIGEST
    )
    last_digest_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return self.get_email_display()
