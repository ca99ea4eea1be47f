"""What courts decide on a prosecution's charges: decisions per charge, the sentence of a
conviction, and the transfers of jurisdiction from one court to another."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..legal import article_choices
from .common import _external_ref, _ref_unique
from .prosecutions import Charge, Prosecution, ProsecutionChildQuerySet


class Outcome(models.TextChoices):
    CONVICTED = "convicted", _("convicted")
    ACQUITTED = "acquitted", _("acquitted")
    DISMISSED = "dismissed", _("dismissed")
    REQUALIFIED = "requalified", _("requalified")


FINAL_OUTCOMES = (Outcome.CONVICTED, Outcome.ACQUITTED, Outcome.DISMISSED)


class Instance(models.TextChoices):
    FIRST = "first", _("first instance")
    APPEAL = "appeal", _("appeal")


class DecisionQuerySet(ProsecutionChildQuerySet):
    """Seen with their charge's prosecution (core.access.policies)."""


class CourtDecision(models.Model):
    external_ref = _external_ref()
    charge = models.ForeignKey(Charge, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    decided_on = models.DateField(_("decided on"))
    instance = models.CharField(
        _("instance"), max_length=8, choices=Instance.choices, default=Instance.FIRST
    )
    court = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("court"),
        on_delete=models.PROTECT,
        related_name="court_decisions",
        null=True,
        blank=True,
    )
    court_name = models.CharField(_("court (if not listed)"), max_length=200, blank=True)
    requalified_as = models.CharField(
        _("requalified as"), max_length=16, choices=article_choices, blank=True
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recorded for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("court decision")
        verbose_name_plural = _("court decisions")
        ordering = ["decided_on", "id"]
        constraints = [_ref_unique("organisation", "decision_external_ref")]
        indexes = [models.Index(fields=["outcome", "decided_on"])]

    def __str__(self):
        return f"{self.get_outcome_display()} · {self.decided_on}"

    @property
    def court_display(self):
        return self.court.name if self.court_id else self.court_name


class CourtTransfer(models.Model):
    """A transfer of jurisdiction: the prosecution left the court seized for another, found when
    a court other than the one seized decides at first instance (the user confirms it), or when
    the court seized is changed. The prosecution's court seized follows it."""

    prosecution = models.ForeignKey(
        Prosecution, on_delete=models.CASCADE, related_name="court_transfers"
    )
    from_court = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("from the court"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_court = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("to the court"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    to_court_name = models.CharField(_("to the court (if not listed)"), max_length=200, blank=True)
    on = models.DateField(_("date"))
    decision = models.ForeignKey(
        CourtDecision,
        verbose_name=_("court decision"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recorded for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = ProsecutionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer of jurisdiction")
        verbose_name_plural = _("transfers of jurisdiction")
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.from_court} → {self.to_court_display}"

    @property
    def to_court_display(self):
        return self.to_court.name if self.to_court_id else self.to_court_name


class SentenceQuerySet(ProsecutionChildQuerySet):
    """Seen with their decision's prosecution (core.access.policies)."""


class Sentence(models.Model):
    """The sentence of a conviction: prison months, the suspended part of them, a fine."""

    external_ref = _external_ref()
    decision = models.OneToOneField(
        CourtDecision, on_delete=models.CASCADE, related_name="sentence"
    )
    prison_months = models.PositiveIntegerField(_("prison (months)"), default=0)
    suspended_months = models.PositiveIntegerField(_("of which suspended (months)"), default=0)
    fine_mad = models.DecimalField(
        _("fine (MAD)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recorded for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = SentenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("sentence")
        verbose_name_plural = _("sentences")
        constraints = [_ref_unique("organisation", "sentence_external_ref")]

    def __str__(self):
        return f"{self.prison_months} / {self.suspended_months}"

    @property
    def firm_months(self):
        return self.prison_months - self.suspended_months
