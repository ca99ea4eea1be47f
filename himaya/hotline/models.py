"""Hotline reports: calls, messages, e-mails, walk-ins and public web tips, their triage, the
organisations they were passed to, and what was added to them afterwards.

Free text about the people involved (narrative, possible victims, suspects, place, contact,
triage note, additions) is encrypted at rest. A web tip's receipt code is stored only as a
hash; the public tip form keeps no address, only a keyed hash of it in the rate counter."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from himaya.core import access
from himaya.core.fields import EncryptedTextField


class Channel(models.TextChoices):
    CALL = "call", _("phone call")
    WHATSAPP_SMS = "whatsapp_sms", _("WhatsApp / SMS")
    EMAIL = "email", _("e-mail")
    WALK_IN = "walk_in", _("walk-in")
    WEB_TIP = "web_tip", _("web tip")


# What an operator records by hand; a web tip comes only through the public form.
OPERATOR_CHANNELS = [c for c in Channel if c != Channel.WEB_TIP]


class CallerType(models.TextChoices):
    VICTIM = "victim", _("victim")
    RELATIVE = "relative", _("relative or friend")
    WITNESS = "witness", _("witness")
    PROFESSIONAL = "professional", _("professional")
    ANONYMOUS = "anonymous", _("anonymous")


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", _("immediate danger")
    URGENT = "urgent", _("urgent")
    NORMAL = "normal", _("normal")


# Most urgent first, for the queue's order.
URGENCY_RANK = {Urgency.IMMEDIATE: 0, Urgency.URGENT: 1, Urgency.NORMAL: 2}


class Status(models.TextChoices):
    UNTRIAGED = "untriaged", _("waiting for triage")
    TRIAGED = "triaged", _("triaged")


class Hold(models.TextChoices):
    """Why a report waits outside the triage queue, for a review in bulk."""

    OVER_ADDRESS_LIMIT = "over_address_limit", _("held: over the address limit")


class PublicStatus(models.TextChoices):
    """What the person who sent a web tip may learn of it with their receipt code, and no
    more: no outcome, no organisation, no name, no date but the day it was received."""

    # Their own context: "received" and "closed" are also column labels, translated as such.
    RECEIVED = "received", pgettext_lazy("tip status", "received")
    HANDLING = "handling", pgettext_lazy("tip status", "being handled")
    CLOSED = "closed", pgettext_lazy("tip status", "closed")


class Outcome(models.TextChoices):
    OPEN_DOSSIER = "open_dossier", _("dossier opened")
    POLICE = "police", _("passed to the police")
    NGO = "ngo", _("referred to an NGO")
    INFORMATION = "information", _("information only")
    NOT_TRAFFICKING = "not_trafficking", _("not trafficking")
    SPAM = "spam", _("spam or wrong number")


# Outcomes that pass the report to another organisation, and the organisation types each
# accepts.
SHARE_OUTCOMES = {
    Outcome.POLICE: frozenset({"police", "gendarmerie"}),
    Outcome.NGO: frozenset({"ngo", "international_organisation", "shelter"}),
}


def triage_limits():
    """How long a report may wait for triage, by urgency (settings, DOMAIN issue 3)."""
    return {
        Urgency.IMMEDIATE: datetime.timedelta(minutes=settings.HIMAYA_TRIAGE_MINUTES_IMMEDIATE),
        Urgency.URGENT: datetime.timedelta(hours=settings.HIMAYA_TRIAGE_HOURS_URGENT),
    }


class ReportQuerySet(access.RestrictedQuerySet):
    def for_figures(self, user):
        """Reports counted in the figures the user may see (no record is shown)."""
        return self.filter(access.report_figures_q(user))

    def untriaged(self):
        """The triage queue: untriaged reports, without the held ones (see ``held``)."""
        return self.filter(status=Status.UNTRIAGED, hold="")

    def held(self):
        """Web tips over the per-address limit (one carrier NAT address is shared by many
        people), kept out of the queue until a hotline operator accepts or dismisses them in
        bulk. They are never overdue: a flood must not bury the real queue's alarms."""
        return self.filter(status=Status.UNTRIAGED).exclude(hold="")

    def in_queue(self):
        """Everything but the held tips still waiting for their review."""
        return self.exclude(Q(status=Status.UNTRIAGED) & ~Q(hold=""))

    def overdue(self, now=None):
        """Untriaged reports waiting longer than their urgency allows: immediate danger after
        HIMAYA_TRIAGE_MINUTES_IMMEDIATE, urgent after HIMAYA_TRIAGE_HOURS_URGENT. Normal
        reports are never overdue."""
        now = now or timezone.now()
        limits = triage_limits()
        return self.untriaged().filter(
            Q(urgency=Urgency.IMMEDIATE, received_at__lt=now - limits[Urgency.IMMEDIATE])
            | Q(urgency=Urgency.URGENT, received_at__lt=now - limits[Urgency.URGENT])
        )

    def filtered(
        self,
        *,
        status=None,
        outcome=None,
        channel=None,
        urgency=None,
        region=None,
        start=None,
        end=None,
    ):
        """The list filters of the pages and the API (``start``/``end``: local dates)."""
        qs = self
        if status:
            qs = qs.filter(status=status)
        if outcome:
            qs = qs.filter(outcome=outcome)
        if channel:
            qs = qs.filter(channel=channel)
        if urgency:
            qs = qs.filter(urgency=urgency)
        if region:
            qs = qs.filter(region=region)
        if start:
            qs = qs.filter(received_at__gte=local_midnight(start))
        if end:
            qs = qs.filter(received_at__lt=local_midnight(end + datetime.timedelta(days=1)))
        return qs

    def queue_order(self):
        """Untriaged first, most urgent then oldest first (the longest wait on top); then the
        triaged ones, newest first. Its expressions are those of the index ``report_queue``,
        so that a page of the queue is an index walk per access path (issue 17)."""
        return self.annotate(**dict(queue_keys())).order_by(
            "open_rank", "urgency_rank", "open_received", "-closed_received", "-id"
        )


def queue_keys():
    """The hotline queue's order as (name, expression) pairs, written once for
    ``queue_order`` and for the index that serves it. Within each value of ``open_rank`` one
    of the two times is NULL on every row and the other never (a report is always received),
    so where NULLs sort changes nothing, and the order stays plain columns: a page is read
    path by path (core/pagination.py), and SQLite can index it too."""
    open_ = Q(status=Status.UNTRIAGED)
    return [
        (
            "open_rank",
            Case(When(open_, then=Value(0)), default=Value(1), output_field=IntegerField()),
        ),
        (
            "urgency_rank",
            Case(
                *[When(open_ & Q(urgency=u), then=Value(r)) for u, r in URGENCY_RANK.items()],
                default=Value(0),
                output_field=IntegerField(),
            ),
        ),
        ("open_received", Case(When(open_, then="received_at"))),
        ("closed_received", Case(When(~open_, then="received_at"))),
    ]


def queue_index():
    """The index of the queue's order (``queue_order``), from the same expressions."""
    (_r, rank), (_u, urgency), (_o, opened), (_c, closed) = queue_keys()
    return models.Index(
        rank, urgency, opened, closed.desc(), models.F("id").desc(), name="report_queue"
    )


def local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# The days a list filter or a figure may ask about: wide, yet far enough from the calendar's
# ends that the day after (a period's end) and the year before (the figures' comparison) exist.
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2999, 12, 31)


def day_in_range(value):
    """Validator of the filters' and figures' dates: 9999-12-31 or 0001-01-01 is a form error,
    not an overflow."""
    if value is not None and not EARLIEST_DAY <= value <= LATEST_DAY:
        raise ValidationError(
            _("Choose a date between %(start)s and %(end)s.")
            % {"start": EARLIEST_DAY.year, "end": LATEST_DAY.year},
            code="out_of_range",
        )


class Report(models.Model):
    # Free text about the people involved: encrypted, loaded only where it is shown.
    FREE_TEXT_FIELDS = (
        "city",
        "possible_victims",
        "suspects",
        "narrative",
        "reporter_contact",
        "triage_note",
    )

    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    # Null for a web tip: it reaches every active hotline.
    received_by = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="hotline_reports",
        null=True,
        blank=True,
    )
    taken_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("taken by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    caller_type = models.CharField(
        _("caller"), max_length=16, choices=CallerType.choices, default=CallerType.ANONYMOUS
    )
    language = models.ForeignKey(
        "core.Code",
        verbose_name=_("language"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "language"},
    )
    region = models.ForeignKey(
        "core.Code",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "region"},
    )
    city = EncryptedTextField(_("city or place"), blank=True)
    forms = models.ManyToManyField(
        "core.Code",
        verbose_name=_("suspected forms of exploitation"),
        related_name="+",
        blank=True,
        limit_choices_to={"list": "exploitation_form"},
    )
    possible_victims = EncryptedTextField(_("possible victims"), blank=True)
    suspects = EncryptedTextField(_("suspects"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    narrative = EncryptedTextField(_("what happened"))
    reporter_contact = EncryptedTextField(_("how to reach the reporter"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UNTRIAGED
    )
    # Set when a web tip arrived over the per-address limit. Kept when it is dismissed, as the
    # record of why it waited; cleared when it is accepted into the triage queue.
    hold = models.CharField(
        _("held"), max_length=24, choices=Hold.choices, blank=True, default="", editable=False
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    triaged_at = models.DateTimeField(_("triaged"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("triaged by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # Which hotline took the decision (a web tip has no receiving organisation).
    triage_org = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("triaged by organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    triage_note = EncryptedTextField(_("triage note"), blank=True)
    dossier = models.ForeignKey(
        "cases.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="hotline_reports",
        null=True,
        blank=True,
    )
    # SHA-256 of a web tip's receipt code (80 random bits, so an unkeyed hash cannot be
    # reversed, and survives key rotations); the code itself is shown once and never kept.
    receipt_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("hotline report")
        verbose_name_plural = _("hotline reports")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "urgency", "received_at"]),
            models.Index(fields=["received_by", "received_at"]),
            # The newest reports first (the default order, and the home page's latest reports):
            # the national hotline receives nearly all of them, so walking this index stops
            # after the rows shown instead of sorting every report (issue 17).
            models.Index(fields=["-received_at", "-id"], name="report_newest"),
            queue_index(),
        ]
        constraints = [
            # A report is triaged exactly when it has an outcome and a time.
            models.CheckConstraint(
                condition=(
                    Q(status="untriaged", outcome="", triaged_at__isnull=True)
                    | (Q(status="triaged", triaged_at__isnull=False) & ~Q(outcome=""))
                ),
                name="report_status_consistent",
            )
        ]

    def __str__(self):
        return self.reference

    @property
    def is_web_tip(self):
        return self.channel == Channel.WEB_TIP

    @property
    def is_triaged(self):
        return self.status == Status.TRIAGED

    @property
    def time_to_triage(self):
        """triaged_at − received_at, or None while untriaged."""
        if self.triaged_at is None:
            return None
        return self.triaged_at - self.received_at

    def waiting(self, now=None):
        """How long an untriaged report has been waiting."""
        return (now or timezone.now()) - self.received_at

    @property
    def public_status(self):
        """The coarse status shown to the tip's reporter (``PublicStatus``). A tip passed on
        or turned into a dossier is being handled until that dossier reaches an end stage;
        one triaged as information only, not trafficking or spam is closed."""
        if not self.is_triaged:
            return PublicStatus.RECEIVED
        if self.outcome == Outcome.OPEN_DOSSIER:
            from himaya.cases.models import END_STAGES

            if self.dossier_id and self.dossier.current_stage in END_STAGES:
                return PublicStatus.CLOSED
            return PublicStatus.HANDLING
        if self.outcome in SHARE_OUTCOMES:
            return PublicStatus.HANDLING
        return PublicStatus.CLOSED

    @property
    def is_held(self):
        return bool(self.hold) and not self.is_triaged

    def is_overdue(self, now=None):
        if self.is_triaged or self.hold:
            return False
        limit = triage_limits().get(self.urgency)
        return limit is not None and self.waiting(now) > limit


class ReportShare(models.Model):
    """An organisation a report was passed to (police) or referred to (NGO). Its
    victim-handling members see the report from then on."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="hotline_shares",
    )
    created_at = models.DateTimeField(_("passed on"), default=timezone.now, editable=False)
    by = models.ForeignKey(
        "accounts.User", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("report passed on")
        verbose_name_plural = _("reports passed on")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "organisation"], name="report_share_unique")
        ]

    def __str__(self):
        return f"{self.report_id} → {self.organisation_id}"


class AdditionQuerySet(access.RestrictedQuerySet):
    """Seen with their report (core.access.policies.AdditionPolicy)."""


class ReportAddition(models.Model):
    """Information added after the report was taken: by the reporter through the receipt code
    (``by`` empty), or a note of the hotline."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="additions")
    text = EncryptedTextField(_("text"))
    received_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = AdditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("addition to a report")
        verbose_name_plural = _("additions to reports")
        ordering = ["received_at", "id"]

    def __str__(self):
        return f"{self.report_id} · {self.received_at:%Y-%m-%d}"

    @property
    def from_reporter(self):
        return self.by_id is None


class RateCounter(models.Model):
    """Requests from one address to one public form in one hour: the rate limit of the public
    tip form and of the follow-up form.

    A database table rather than Django's cache: the cache is LocMem, one per process, so
    each gunicorn worker would count on its own and let through the limit times the number of
    workers; a table is shared by every worker (and every app server), on SQLite and
    PostgreSQL alike, with no extra service to run. The address itself is never stored:
    ``digest`` is an HMAC of the address and the hour under the server's secret key, so rows
    of different hours cannot be linked to one another, and the key is needed to test a guess.
    Rows older than two hours are deleted as new ones arrive."""

    scope = models.CharField(max_length=16)
    digest = models.CharField(max_length=64)
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "digest", "window"], name="rate_unique")
        ]
        indexes = [models.Index(fields=["window"])]

    def __str__(self):
        return f"{self.scope} {self.window:%Y-%m-%d %H}h: {self.count}"
