"""Prosecutions of a suspect in an investigation, their charges and the appeals against their
decisions. ``ProsecutionChildQuerySet``: a record of a prosecution is seen with it."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access

from ..legal import article_choices, article_label
from .common import ProceedingQuerySet, _external_ref, _ref_unique
from .investigations import Investigation
from .suspects import Suspect


class ProsecutionStatus(models.TextChoices):
    ONGOING = "ongoing", _("ongoing")
    DECIDED = "decided", _("decided")
    APPEALED = "appealed", _("under appeal")


class ProsecutionQuerySet(ProceedingQuerySet):
    finished_q = Q(status=ProsecutionStatus.DECIDED)

    # visible_to, writable_by: core.access.policies.ProsecutionPolicy.


class Prosecution(models.Model):
    external_ref = _external_ref()
    suspect = models.ForeignKey(
        Suspect, verbose_name=_("defendant"), on_delete=models.PROTECT, related_name="prosecutions"
    )
    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.PROTECT,
        related_name="prosecutions",
    )
    started_on = models.DateField(_("prosecution started on"))
    office = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("prosecution office"),
        on_delete=models.PROTECT,
        related_name="prosecutions",
    )
    court = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("court seized"),
        on_delete=models.PROTECT,
        related_name="court_prosecutions",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProsecutionStatus.choices,
        default=ProsecutionStatus.ONGOING,
    )
    last_event_on = models.DateField(_("latest event"))
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ProsecutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("prosecution")
        verbose_name_plural = _("prosecutions")
        ordering = ["-started_on", "-id"]
        constraints = [
            _ref_unique("office", "prosecution_external_ref"),
            models.UniqueConstraint(
                fields=["investigation", "suspect"], name="prosecution_once_per_investigation"
            ),
        ]
        indexes = [models.Index(fields=["status", "last_event_on"])]

    def __str__(self):
        return f"P-{self.pk}"

    @property
    def began_on(self):
        return self.started_on


class ProsecutionChildQuerySet(access.RestrictedQuerySet):
    """Seen with their prosecution (core.access.policies.ProsecutionChildPolicy)."""


class Charge(models.Model):
    external_ref = _external_ref()
    prosecution = models.ForeignKey(Prosecution, on_delete=models.CASCADE, related_name="charges")
    article = models.CharField(_("legal article"), max_length=16, choices=article_choices)
    form = models.ForeignKey(
        "core.Code",
        verbose_name=_("form of exploitation"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "exploitation_form"},
    )
    # Two counts of the same article and form (two victims) are two charges, numbered.
    count = models.PositiveSmallIntegerField(_("count number"), default=1)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = ProsecutionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["id"]
        constraints = [_ref_unique("organisation", "charge_external_ref")]

    def __str__(self):
        return f"{self.article_label}"

    @property
    def article_label(self):
        return article_label(self.article)

    @property
    def final_decision(self):
        return self.decisions.order_by("-decided_on", "-id").first()


class AppealBy(models.TextChoices):
    PROSECUTION = "prosecution", _("the prosecution")
    DEFENCE = "defence", _("the defence")
    CIVIL_PARTY = "civil_party", _("the civil party")


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("pending")
    UPHELD = "upheld", _("judgment upheld")
    MODIFIED = "modified", _("judgment modified")
    OVERTURNED = "overturned", _("judgment overturned")


class Appeal(models.Model):
    external_ref = _external_ref()
    prosecution = models.ForeignKey(Prosecution, on_delete=models.CASCADE, related_name="appeals")
    lodged_on = models.DateField(_("lodged on"))
    lodged_by = models.CharField(_("lodged by"), max_length=16, choices=AppealBy.choices)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recorded for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ProsecutionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["lodged_on", "id"]
        constraints = [_ref_unique("organisation", "appeal_external_ref")]

    def __str__(self):
        return f"{self.get_lodged_by_display()} · {self.lodged_on}"
