"""Trainings and the commission's meetings, decisions and follow-up actions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .plan import TEXT_MAX, TITLE_MAX, CoordinationQuerySet


class TrainingTopic(models.TextChoices):
    IDENTIFICATION = "identification", _("identification of victims")
    NON_PUNISHMENT = "non_punishment", _("non-punishment of victims")
    INTERVIEWS = "interviews", _("victim-centred interviews")
    LABOUR = "labour", _("labour exploitation")
    INVESTIGATION = "investigation", _("investigation and prosecution")
    CHILDREN = "children", _("child victims")
    REFERRAL = "referral", _("the national referral mechanism")
    LAW = "law", _("Law 27-14 and the legal framework")
    OTHER = "other", _("other")


class Training(models.Model):
    topic = models.CharField(_("topic"), max_length=32, choices=TrainingTopic.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    region = models.ForeignKey(
        "core.Code",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "region"},
        null=True,
        blank=True,
    )
    organiser = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    materials = models.TextField(_("materials"), max_length=TEXT_MAX, blank=True)
    # Optional, never required: a training is counted by its audience table.
    participant_names = models.TextField(
        _("participants' names (optional)"), max_length=TEXT_MAX, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title

    @property
    def participants(self):
        return sum(a.total for a in self.audience.all())


class TrainingAudience(models.Model):
    """Participants of a training from one type of agency, counted by sex."""

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.CASCADE, related_name="audience"
    )
    agency_type = models.ForeignKey(
        "core.Code",
        verbose_name=_("type of agency"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "org_type"},
    )
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    unrecorded = models.PositiveIntegerField(_("sex not recorded"), default=0)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("training audience")
        verbose_name_plural = _("training audiences")
        ordering = ["training", "agency_type__sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "agency_type"], name="training_audience_type"
            )
        ]

    def __str__(self):
        return f"{self.agency_type} · {self.total}"

    @property
    def total(self):
        return self.women + self.men + self.unrecorded


class Meeting(models.Model):
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), max_length=TEXT_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    people = models.PositiveSmallIntegerField(_("people attending"), default=1)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "organisation__name_fr"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="meeting_attendance_org"
            )
        ]

    def __str__(self):
        return f"{self.organisation} · {self.people}"


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"), max_length=TEXT_MAX)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number")
        ]

    def __str__(self):
        return f"{self.meeting.held_on.isoformat()} / {self.number}"


class FollowUpActionQuerySet(CoordinationQuerySet):
    def overdue(self, today):
        return self.filter(done_on__isnull=True, due_on__lt=today)


class FollowUpAction(models.Model):
    """Something a meeting asked an agency to do by a date."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="actions"
    )
    text = models.TextField(_("action"), max_length=TEXT_MAX)
    agency = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.CharField(_("how it was done"), max_length=TITLE_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = FollowUpActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["agency", "done_on", "due_on"])]

    def __str__(self):
        return f"{self.agency} · {self.due_on.isoformat()}"

    def is_overdue(self, today):
        return self.done_on is None and self.due_on < today
