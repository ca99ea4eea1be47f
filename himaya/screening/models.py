"""Screening: questionnaires as versioned data (the ILO/EC Delphi indicators, DOMAIN.md §4),
screenings of a person against one questionnaire version, and proactive screening campaigns.

A questionnaire version is drafted, published, then retired when the next one is published;
a screening keeps the version it was started on. Answers and results are encrypted: they tell
what happened to a person (sexual exploitation above all)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from himaya.core import access
from himaya.core.fields import EncryptedJSONField, EncryptedTextField
from himaya.core.trilingual import TrilingualName


class QuestionnaireCode(models.TextChoices):
    ADULT_LABOUR = "adult_labour", _("adults, labour exploitation")
    ADULT_SEXUAL = "adult_sexual", _("adults, sexual exploitation")
    CHILD = "child", _("children")


class Target(models.TextChoices):
    ADULT = "adult", _("adult")
    CHILD = "child", _("child (under 18)")


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    RETIRED = "retired", _("retired")


class Dimension(models.TextChoices):
    """The six dimensions of the ILO/EC Delphi indicators, in interview order."""

    DECEPTIVE_RECRUITMENT = "deceptive_recruitment", _("deceptive recruitment")
    COERCIVE_RECRUITMENT = "coercive_recruitment", _("coercive recruitment")
    VULNERABILITY_RECRUITMENT = (
        "vulnerability_recruitment",
        _("recruitment by abuse of vulnerability"),
    )
    EXPLOITATION = "exploitation", _("exploitation")
    COERCION_DESTINATION = "coercion_destination", _("coercion at destination")
    VULNERABILITY_DESTINATION = (
        "vulnerability_destination",
        _("abuse of vulnerability at destination"),
    )


DIMENSION_HELP = {
    Dimension.DECEPTIVE_RECRUITMENT: _(
        "How the person was recruited, transported or transferred: were they lied to?"
    ),
    Dimension.COERCIVE_RECRUITMENT: _(
        "How the person was recruited, transported or transferred: were they forced?"
    ),
    Dimension.VULNERABILITY_RECRUITMENT: _(
        "Did the recruiter take advantage of the person's situation?"
    ),
    Dimension.EXPLOITATION: _("The conditions of work or of the sexual services now."),
    Dimension.COERCION_DESTINATION: _("What keeps the person there: force, threats, debts."),
    Dimension.VULNERABILITY_DESTINATION: _(
        "What keeps the person there: dependency and their situation."
    ),
}


class Strength(models.TextChoices):
    STRONG = "strong", _("strong")
    MEDIUM = "medium", _("medium")
    WEAK = "weak", _("weak")


class Element(models.TextChoices):
    """The Palermo element an indicator evidences (DOMAIN.md §1)."""

    ACT = "act", _("act")
    MEANS = "means", _("means")
    PURPOSE = "purpose", _("purpose")


class Answer(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("unknown")


class Recommendation(models.TextChoices):
    STRONG = "strong", _("strong indication of trafficking")
    POSSIBLE = "possible", _("possible indication")
    NONE = "none", _("no indication")


def _localised(obj, field):
    lang = (get_language() or "ar")[:2]
    return getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_en", "")


class QuestionnaireQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=QuestionnaireStatus.PUBLISHED)


class Questionnaire(models.Model):
    code = models.CharField(_("questionnaire"), max_length=32, choices=QuestionnaireCode.choices)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=QuestionnaireStatus.choices,
        default=QuestionnaireStatus.DRAFT,
    )
    target = models.CharField(_("target"), max_length=8, choices=Target.choices)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    intro_ar = models.TextField(_("instructions (Arabic)"), blank=True)
    intro_fr = models.TextField(_("instructions (French)"), blank=True)
    intro_en = models.TextField(_("instructions (English)"), blank=True)
    source = models.TextField(_("source"), blank=True)
    # The shipped data file this version was loaded from (none for a version made by hand).
    shipped_digest = models.CharField(max_length=64, blank=True, editable=False)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="questionnaire_version"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(status="published"),
                name="questionnaire_one_published",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(status="draft"),
                name="questionnaire_one_draft",
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def title(self):
        return _localised(self, "title")

    @property
    def intro(self):
        return _localised(self, "intro")

    @property
    def is_child(self):
        return self.target == Target.CHILD

    def dimensions(self):
        """The dimensions this version asks about, in interview order (one screen each)."""
        present = set(self.questions.values_list("dimension", flat=True))
        return [d for d in Dimension if d.value in present]


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    dimension = models.CharField(_("dimension"), max_length=32, choices=Dimension.choices)
    indicator = models.SlugField(
        _("indicator key"),
        max_length=64,
        help_text=_("Short key of the indicator, unique within its dimension."),
    )
    indicator_en = models.CharField(_("indicator (ILO/EC wording)"), max_length=200, blank=True)
    strength = models.CharField(_("strength"), max_length=8, choices=Strength.choices)
    element = models.CharField(_("Palermo element"), max_length=8, choices=Element.choices)
    text_ar = models.TextField(_("question (Arabic)"))
    text_fr = models.TextField(_("question (French)"))
    text_en = models.TextField(_("question (English)"))

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "dimension", "indicator"], name="question_indicator"
            )
        ]

    def __str__(self):
        return self.key

    @property
    def key(self):
        """The answer key: stable across versions, so a correction carries answers over."""
        return f"{self.dimension}.{self.indicator}"

    @property
    def text(self):
        return _localised(self, "text")


class TargetGroup(models.TextChoices):
    IRREGULAR_MIGRANTS = "irregular_migrants", _("migrants in an irregular situation")
    DOMESTIC_WORKERS = "domestic_workers", _("domestic workers")
    AGRICULTURAL_WORKERS = "agricultural_workers", _("agricultural workers")
    STREET_CHILDREN = "street_children", _("street children")
    SEX_WORKERS = "sex_workers", _("people selling sex")
    OTHER = "other", _("other")


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ACTIVE = "active", _("under way")
    CLOSED = "closed", _("closed")


class CampaignQuerySet(access.RestrictedQuerySet):
    """visible_to, writable_by: core.access.policies.CampaignPolicy."""


class Campaign(TrilingualName):
    """A proactive screening operation. Its counts are derived from its screenings. Its name is
    given in the deployment's languages (``name``: the reader's)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="screening_campaigns",
    )
    region = models.ForeignKey(
        "core.Code",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "region"},
    )
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("Where the campaign takes place (towns, sites); never a person's name."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target_group = models.CharField(_("target group"), max_length=32, choices=TargetGroup.choices)
    target_other = models.CharField(_("other target group"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.PLANNED
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("screening campaign")
        verbose_name_plural = _("screening campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_dates_in_order",
            )
        ]

    def __str__(self):
        return self.name

    def covers(self, day):
        return self.starts_on <= day <= self.ends_on


class ScreeningStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class ScreeningQuerySet(access.RestrictedQuerySet):
    # writable_by: the drafts the user may go on answering (core.access.policies).

    def current(self):
        """Submitted screenings not replaced by a submitted correction: what the counts use."""
        return self.filter(status=ScreeningStatus.SUBMITTED).exclude(
            correction__status=ScreeningStatus.SUBMITTED
        )


class Screening(models.Model):
    # Encrypted, read only by those who see the screening (never by analysts).
    PRIVATE_FIELDS = ("alias", "place_detail", "answers", "result", "notes")

    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    screener = models.ForeignKey(
        "accounts.User", verbose_name=_("screener"), on_delete=models.PROTECT, related_name="+"
    )
    screened_on = models.DateField(_("screened on"), default=timezone.localdate)
    region = models.ForeignKey(
        "core.Code",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "region"},
    )
    place_detail = EncryptedTextField(_("place"), blank=True)
    language = models.ForeignKey(
        "core.Code",
        verbose_name=_("language of the interview"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "language"},
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="screenings",
        null=True,
        blank=True,
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="screenings",
        null=True,
        blank=True,
    )
    dossier = models.ForeignKey(
        "cases.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="screenings",
        null=True,
        blank=True,
    )
    alias = EncryptedTextField(
        _("who was screened"),
        blank=True,
        help_text=_("A short description or first name, for a person without a record."),
    )
    # {question key: "yes" | "no" | "unknown"}
    answers = EncryptedJSONField(_("answers"), null=True, blank=True)
    notes = EncryptedTextField(_("observations"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ScreeningStatus.choices, default=ScreeningStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Fixed at submission: the recommendation in clear (it is counted), the rest encrypted.
    recommendation = models.CharField(
        _("recommendation"), max_length=16, choices=Recommendation.choices, blank=True
    )
    result = EncryptedJSONField(_("result"), null=True, blank=True)
    engine_version = models.CharField(_("rule version"), max_length=32, blank=True)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-screened_on", "-id"]
        indexes = [
            # The list's order per organisation (issue 17: each access path reads its first
            # rows from an index, core/pagination.py).
            models.Index(
                fields=["organisation", "-screened_on", "-id"], name="screening_org_newest"
            ),
            models.Index(fields=["status", "recommendation"]),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_draft(self):
        return self.status == ScreeningStatus.DRAFT

    @property
    def has_indication(self):
        return self.recommendation in (Recommendation.STRONG, Recommendation.POSSIBLE)
