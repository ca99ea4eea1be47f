"""The national action plan (axes, objectives, measures, indicators), the international
recommendations and their follow-up, trainings, and the commission's meetings.

No record here holds a victim's identity: the plan counts, it never names (the figures that
indicators read are the statistics' own counts). Who reads and writes what is in ``policies``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from himaya.core import access
from himaya.core.trilingual import LABELS, in_language

TITLE_MAX = 500
TEXT_MAX = 5000
SOURCE_MAX = 300


class Trilingual(models.Model):
    """A title in Arabic, French and English; ``title`` is the reader's, or the first given."""

    title_ar = models.CharField(_("title (Arabic)"), max_length=TITLE_MAX, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=TITLE_MAX, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=TITLE_MAX, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def title(self):
        return self.title_in((get_language() or "ar")[:2])

    def title_in(self, lang):
        return getattr(self, f"title_{lang}", "") or self.title_fr or self.title_ar or self.title_en


class CoordinationQuerySet(access.RestrictedQuerySet):
    """Every member reads them (coordination.policies)."""


class Plan(Trilingual):
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-start_year", "id"]

    def years(self):
        return range(self.start_year, self.end_year + 1)


class Axis(Trilingual):
    plan = models.ForeignKey(
        Plan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="axes"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("axis")
        verbose_name_plural = _("axes")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="axis_number")]

    @property
    def code(self):
        return str(self.number)


class Objective(Trilingual):
    axis = models.ForeignKey(
        Axis, verbose_name=_("axis"), on_delete=models.CASCADE, related_name="objectives"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["axis", "number"]
        constraints = [models.UniqueConstraint(fields=["axis", "number"], name="objective_number")]


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    UNDER_WAY = "under_way", _("under way")
    # a measure's own words: French and Arabic agree them with "mesure" / "تدبير"
    DONE = "done", pgettext_lazy("measure", "done")
    LATE = "late", _("late")
    DROPPED = "dropped", pgettext_lazy("measure", "dropped")


CLOSED_STATUSES = (MeasureStatus.DONE, MeasureStatus.DROPPED)


class MeasureQuerySet(CoordinationQuerySet):
    def overdue(self, today):
        """Past their deadline and neither done nor dropped."""
        return self.filter(deadline__lt=today).exclude(status__in=CLOSED_STATUSES)


class Measure(Trilingual):
    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="measures"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    lead_agency = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    partners = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("partner agencies"), related_name="+", blank=True
    )
    budget_line = models.CharField(_("budget line"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.NOT_STARTED
    )
    status_on = models.DateField(_("status since"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["objective", "number"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "number"], name="measure_number")
        ]

    @property
    def code(self):
        """ "2.1.3": axis, objective, measure."""
        return f"{self.objective.axis.number}.{self.objective.number}.{self.number}"

    def is_overdue(self, today):
        return self.deadline < today and self.status not in CLOSED_STATUSES


class StatusChange(models.Model):
    """One entry of a measure's status history (the first is its creation)."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="history"
    )
    status = models.CharField(_("status"), max_length=16, choices=MeasureStatus.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=TITLE_MAX, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.get_status_display()} · {self.on.isoformat()}"


class NoteKind(models.TextChoices):
    PROGRESS = "progress", _("progress note")
    COMMENT = "comment", _("comment of the commission")


class ProgressNote(models.Model):
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NoteKind.choices)
    on = models.DateField(_("date"))
    text = models.TextField(_("text"), max_length=TEXT_MAX)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.on.isoformat()}"


class Indicator(models.Model):
    """A measure's indicator. ``figure`` names a figure of the statistics (computed: its actual
    value each year is the figure, with the same counting rules); without one the actual values
    are entered by hand, with their ``source``."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="indicators"
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=300, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    figure = models.CharField(_("computed from the figure"), max_length=64, blank=True)
    # Where hand-entered values come from, in the deployment's languages (a register, a
    # ministry's report): each reader reads it in theirs.
    source_ar = models.CharField(LABELS["source"]["ar"], max_length=SOURCE_MAX, blank=True)
    source_fr = models.CharField(LABELS["source"]["fr"], max_length=SOURCE_MAX, blank=True)
    source_en = models.CharField(LABELS["source"]["en"], max_length=SOURCE_MAX, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["measure", "id"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        lang = (get_language() or "ar")[:2]
        return self.name_in(lang)

    def name_in(self, lang):
        return getattr(self, f"name_{lang}", "") or self.name_fr or self.name_ar or self.name_en

    @property
    def computed(self):
        return bool(self.figure)

    @property
    def source(self):
        return in_language(self, "source")

    def source_in(self, lang):
        return in_language(self, "source", lang)


class IndicatorYear(models.Model):
    """The target of an indicator for a year, and its actual value when entered by hand."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.DecimalField(_("target value"), max_digits=14, decimal_places=2, null=True)
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True)
    source_ar = models.CharField(LABELS["source"]["ar"], max_length=SOURCE_MAX, blank=True)
    source_fr = models.CharField(LABELS["source"]["fr"], max_length=SOURCE_MAX, blank=True)
    source_en = models.CharField(LABELS["source"]["en"], max_length=SOURCE_MAX, blank=True)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="indicator_year")]

    # --- Recommendations ------------------------------------------------------------------------

    def __str__(self):
        return f"{self.indicator} · {self.year}"

    @property
    def source(self):
        return in_language(self, "source")

    def source_in(self, lang):
        return in_language(self, "source", lang)


class RecommendationSource(models.TextChoices):
    TIP_REPORT = "tip_report", _("Trafficking in Persons Report (United States)")
    TREATY_BODY = "treaty_body", _("UN treaty body")
    UPR = "upr", _("Universal Periodic Review")
    SPECIAL_RAPPORTEUR = "special_rapporteur", _("UN special rapporteur")
    GRETA = "greta", _("Council of Europe (GRETA)")
    OTHER = "other", _("other")


class RecommendationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    PARTLY = "partly", _("partly implemented")
    IMPLEMENTED = "implemented", _("implemented")
    NOT_ACCEPTED = "not_accepted", _("not accepted")


class Recommendation(models.Model):
    source = models.CharField(_("source"), max_length=32, choices=RecommendationSource.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    priority = models.BooleanField(_("prioritised"), default=False)
    text_ar = models.TextField(_("text (Arabic)"), max_length=TEXT_MAX, blank=True)
    text_fr = models.TextField(_("text (French)"), max_length=TEXT_MAX, blank=True)
    text_en = models.TextField(_("text (English)"), max_length=TEXT_MAX, blank=True)
    measures = models.ManyToManyField(
        Measure, verbose_name=_("measures of the plan"), related_name="recommendations", blank=True
    )
    agencies = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("responsible agencies"),
        related_name="+",
        blank=True,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-year", "source", "reference", "id"]

    def __str__(self):
        return f"{self.get_source_display()} {self.year} {self.reference}".strip()

    @property
    def text(self):
        return self.text_in((get_language() or "ar")[:2])

    def text_in(self, lang):
        return getattr(self, f"text_{lang}", "") or self.text_fr or self.text_ar or self.text_en


class RecommendationProgress(models.Model):
    """The status of a recommendation in a year, with what was done (the evidence text)."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="progress",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16, choices=RecommendationStatus.choices)
    evidence = models.TextField(_("what was done"), max_length=TEXT_MAX, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress on a recommendation")
        verbose_name_plural = _("progress on recommendations")
        ordering = ["recommendation", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "year"], name="recommendation_progress_year"
            )
        ]

    def __str__(self):
        return f"{self.recommendation} · {self.year}"


class Evidence(models.Model):
    """A file supporting a measure's progress or a recommendation's: checked by its content
    when uploaded (``uploads``), kept in the database, only ever served as an attachment."""

    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        on_delete=models.CASCADE,
        related_name="evidence",
        null=True,
        blank=True,
    )
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="evidence",
        null=True,
        blank=True,
    )
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("file type"), max_length=8)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, editable=False)
    content = models.BinaryField(editable=False)
    description = models.CharField(_("description"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(measure__isnull=False) | models.Q(recommendation__isnull=False),
                name="evidence_has_subject",
            )
        ]

    def __str__(self):
        return self.name
