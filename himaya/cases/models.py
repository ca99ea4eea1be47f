"""The NRM dossier: one person's case, its forms of exploitation, places, caseworker, notes, and
the stage events from which its stage is derived (DOMAIN.md §3). Access grants are how other
organisations come to see a dossier."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access
from himaya.core.fields import EncryptedTextField
from himaya.core.models import Code


class Stage(models.TextChoices):
    SCREENING = "screening", _("screening")
    PRESUMED = "presumed", _("presumed victim")
    IDENTIFIED = "identified", _("identified victim")
    ASSISTED = "assisted", _("assisted")
    CLOSED = "closed", _("closed")
    NOT_VICTIM = "not_victim", _("not a victim")
    REFERRED_OUT = "referred_out", _("referred out")


# The ordinary path needs no reason; any other move (a jump, a step back, leaving an end
# stage, referring out) must say why.
ORDINARY_STEPS = {
    (Stage.SCREENING, Stage.PRESUMED),
    (Stage.SCREENING, Stage.NOT_VICTIM),
    (Stage.PRESUMED, Stage.IDENTIFIED),
    (Stage.PRESUMED, Stage.NOT_VICTIM),
    (Stage.IDENTIFIED, Stage.ASSISTED),
    (Stage.ASSISTED, Stage.CLOSED),
}
END_STAGES = {Stage.CLOSED, Stage.NOT_VICTIM, Stage.REFERRED_OUT}


class DossierQuerySet(access.RestrictedQuerySet):
    # visible_to, with_identity_for, writable_by: the dossier's policy (core.access.policies).

    def filtered(
        self, *, stage=None, form=None, region=None, owner=None, opened_from=None, opened_to=None
    ):
        """The list filters of the pages and the API."""
        qs = self
        if stage:
            qs = qs.filter(stage=stage)
        if form:
            qs = qs.filter(pk__in=Dossier.objects.with_form(form).values("pk"))
        if region:
            qs = qs.filter(exploitation_region=region)
        if owner:
            qs = qs.filter(owner_org=owner)
        if opened_from:
            qs = qs.filter(opened_on__gte=opened_from)
        if opened_to:
            qs = qs.filter(opened_on__lte=opened_to)
        return qs

    def with_form(self, code):
        """Dossiers of a form of exploitation or any of its sub-forms ("labour" includes
        "begging", as the figures count them)."""
        return self.filter(forms__in=Code.objects.with_descendants(code)).distinct()


class Dossier(models.Model):
    # Free text about the person's story: encrypted, read only with the identity level.
    FREE_TEXT_FIELDS = ("form_other_detail", "recruitment_city", "exploitation_city")

    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    owner_org = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    caseworker = models.ForeignKey(
        "accounts.User",
        verbose_name=_("caseworker"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        null=True,
        blank=True,
    )
    forms = models.ManyToManyField(
        "core.Code",
        verbose_name=_("forms of exploitation"),
        related_name="+",
        blank=True,
        limit_choices_to={"list": "exploitation_form"},
    )
    form_other_detail = EncryptedTextField(_("other form (detail)"), blank=True)
    # What HTCDS records of a case beside its forms (vic_TypeOfSexExploitation,
    # vic_ForcedLabourIndustry, vic_MethodOfRecruitment, vic_MethodsOfControl,
    # vic_Vulnerabilities), on the code lists that carry the standard's values.
    sex_exploitation_types = models.ManyToManyField(
        "core.Code",
        verbose_name=_("types of sexual exploitation"),
        related_name="+",
        blank=True,
        limit_choices_to={"list": "sex_exploitation"},
    )
    industries = models.ManyToManyField(
        "core.Code",
        verbose_name=_("industries of forced labour"),
        related_name="+",
        blank=True,
        limit_choices_to={"list": "industry"},
    )
    recruitment_methods = models.ManyToManyField(
        "core.Code",
        verbose_name=_("methods of recruitment"),
        related_name="+",
        blank=True,
        limit_choices_to={"list": "recruitment_method"},
    )
    control_methods = models.ManyToManyField(
        "core.Code",
        verbose_name=_("methods of control"),
        related_name="+",
        blank=True,
        limit_choices_to={"list": "control_method"},
    )
    vulnerabilities = models.ManyToManyField(
        "core.Code",
        verbose_name=_("vulnerabilities"),
        related_name="+",
        blank=True,
        limit_choices_to={"list": "vulnerability"},
    )
    recruitment_country = models.ForeignKey(
        "core.Code",
        verbose_name=_("country of recruitment"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "country"},
    )
    recruitment_region = models.ForeignKey(
        "core.Code",
        verbose_name=_("region of recruitment"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "region"},
    )
    recruitment_city = EncryptedTextField(_("city of recruitment"), blank=True)
    exploitation_country = models.ForeignKey(
        "core.Code",
        verbose_name=_("country of exploitation"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "country"},
    )
    exploitation_region = models.ForeignKey(
        "core.Code",
        verbose_name=_("region of exploitation"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "region"},
    )
    exploitation_city = EncryptedTextField(_("city of exploitation"), blank=True)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The stage the dossier is at and since when: its latest stage event's (by date, then by
    # record), kept by the database on every write to the events, whoever writes them (the
    # triggers of migration cases 0006). Never written by Django (``save`` leaves them out).
    # Counted and filtered by every list and the home page, which read them as a subquery per
    # dossier before (issue 17: 90 ms of a large NGO's home page at 100k persons).
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, null=True, blank=True, editable=False
    )
    stage_on = models.DateField(_("stage since"), null=True, blank=True, editable=False)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-opened_on", "-id"]
        # The list's order, whole (the national commission) and per owner (issue 17: each
        # access path reads its first rows from an index, core/pagination.py).
        indexes = [
            models.Index(fields=["-opened_on", "-id"], name="dossier_newest"),
            models.Index(fields=["owner_org", "-opened_on", "-id"], name="dossier_owner_newest"),
            # The home page's recently changed dossiers, per owner (himaya/views.py).
            models.Index(fields=["owner_org", "-updated_at", "-id"], name="dossier_owner_changed"),
            # Counts by stage of an owner's dossiers, read from the index alone.
            models.Index(fields=["owner_org", "stage"], name="dossier_owner_stage"),
        ]

    def __str__(self):
        return self.reference

    # Kept by the database's triggers: an update from Django never writes them back.
    DATABASE_KEPT_FIELDS = ("stage", "stage_on")

    def save(self, *args, **kwargs):
        if not self._state.adding and not kwargs.get("force_insert"):
            kept = self.DATABASE_KEPT_FIELDS
            if kwargs.get("update_fields") is None:  # what Django would write, less those
                deferred = self.get_deferred_fields()
                kwargs["update_fields"] = [
                    f.name
                    for f in self._meta.concrete_fields
                    if not f.primary_key and f.attname not in deferred and f.name not in kept
                ]
            else:
                kwargs["update_fields"] = [f for f in kwargs["update_fields"] if f not in kept]
        super().save(*args, **kwargs)

    @property
    def current_stage(self):
        return self.stage

    def get_current_stage_display(self):
        stage = self.current_stage
        return Stage(stage).label if stage else ""


class DossierChildQuerySet(access.RestrictedQuerySet):
    """Records of a dossier: seen with it (core.access.policies)."""


class StageEvent(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    on = models.DateField(_("date"))
    reason = EncryptedTextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        "accounts.User", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = DossierChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage event")
        verbose_name_plural = _("stage events")
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["dossier", "on"])]

    def __str__(self):
        return f"{self.get_stage_display()} · {self.on}"


class NoteQuerySet(DossierChildQuerySet):
    """Notes: at the identity level, and a receiving organisation of a referral reads only
    its own (core.access.policies.NotePolicy)."""


class DossierNote(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField(_("note"))
    author = models.ForeignKey(
        "accounts.User", verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now, editable=False)

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.dossier_id} · {self.created_at:%Y-%m-%d}"


class AccessGrant(models.Model):
    """Why an organisation other than the owner sees a dossier. Created and ended by actions
    (a referral, a transfer, a justice link); ``visible_to`` reads live grants."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="grants")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="dossier_grants",
    )
    with_identity = models.BooleanField(_("includes the identity"), default=True)
    reason = EncryptedTextField(_("reason"))
    source = models.CharField(
        _("source"), max_length=64, blank=True, help_text=_("The record that created this grant.")
    )
    granted_by = models.ForeignKey(
        "accounts.User", verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        indexes = [
            models.Index(fields=["organisation", "revoked_at"]),
            # A user's live grants, read as dossier ids from the index alone (issue 17).
            models.Index(
                fields=["organisation", "dossier"],
                condition=models.Q(revoked_at__isnull=True),
                name="grant_unrevoked_by_org",
            ),
        ]

    def __str__(self):
        return f"{self.dossier} → {self.organisation}"


# --- Identification decisions and non-punishment (DOMAIN.md §1, §3) ---------------------------

# The stage a decision's status (code list "trafficking_status") moves the dossier to.
DECISION_STAGES = {
    "possible": Stage.PRESUMED,
    "actual": Stage.IDENTIFIED,
    "not_victim": Stage.NOT_VICTIM,
}
POSITIVE_STATUSES = ("possible", "actual")
# HTCDS vic_TraffickingStatusDecisionMakingOrg (code list "decision_org") from the deciding
# organisation's type; public bodies other than police and justice are "non-police governmental".
DECISION_ORG_BY_TYPE = {
    "police": "police",
    "gendarmerie": "police",
    "prosecution": "court_prosecution",
    "court": "court_prosecution",
    "ngo": "ngo",
    "international_organisation": "ngo",
    "shelter": "ngo",
    **{
        t: "non_police_government"
        for t in (
            "national_commission",
            "labour_inspectorate",
            "hotline",
            "health_service",
            "consulate",
            "immigration_service",
            "local_government",
            "central_government",
            "school",
        )
    },
}


def decision_org_code(org_type_code):
    return DECISION_ORG_BY_TYPE.get(org_type_code, "other")


class IdentificationDecision(models.Model):
    """A formal decision by a competent body on whether the person is a victim (HTCDS
    vic_TraffickingStatus). Never edited: a negative decision is reviewed by a new decision
    that names it (``reviews``), and the history stays."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="decisions")
    status = models.ForeignKey(
        "core.Code",
        verbose_name=_("trafficking status"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "trafficking_status"},
    )
    decided_on = models.DateField(_("decided on"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("deciding organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation_type = models.ForeignKey(
        "core.Code",
        verbose_name=_("type of deciding organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "decision_org"},
    )
    reasons = EncryptedTextField(_("reasons"))
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    reviews = models.OneToOneField(
        "self",
        verbose_name=_("reviews the decision"),
        on_delete=models.PROTECT,
        related_name="review",
        null=True,
        blank=True,
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = DossierChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("identification decision")
        verbose_name_plural = _("identification decisions")
        ordering = ["decided_on", "recorded_at", "id"]
        indexes = [models.Index(fields=["dossier", "decided_on"])]

    def __str__(self):
        return f"{self.status} · {self.decided_on}"

    @property
    def is_negative(self):
        return self.status.code == "not_victim"


class OffenceType(models.TextChoices):
    IRREGULAR_ENTRY_STAY = "irregular_entry_stay", _("irregular entry or stay")
    PROSTITUTION = "prostitution", _("prostitution")
    BEGGING = "begging", _("begging")
    FORCED_CRIMINALITY = "forced_criminality", _("theft or other forced criminality")
    DOCUMENT_FRAUD = "document_fraud", _("document fraud")
    OTHER = "other", _("other offence")


# A non-punishment alert is raised only for a presumed or identified victim.
OFFENCE_STAGES = (Stage.PRESUMED, Stage.IDENTIFIED, Stage.ASSISTED)


class OffenceCharge(models.Model):
    """An offence charged against a presumed or identified victim (DOMAIN.md §1,
    non-punishment). Recording it raises a NonPunishmentAlert."""

    FREE_TEXT_FIELDS = ("detail", "authority_other")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="offences")
    offence_type = models.CharField(_("offence"), max_length=32, choices=OffenceType.choices)
    detail = EncryptedTextField(_("detail"), blank=True)
    authority = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("charging authority"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    authority_other = EncryptedTextField(_("charging authority (not in Himaya)"), blank=True)
    charged_on = models.DateField(_("charged on"))
    region = models.ForeignKey(
        "core.Code",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "region"},
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recording organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = DossierChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("offence charged")
        verbose_name_plural = _("offences charged")
        ordering = ["charged_on", "id"]
        indexes = [models.Index(fields=["charged_on"])]

    def __str__(self):
        return f"{self.get_offence_type_display()} · {self.charged_on}"


class AlertOutcome(models.TextChoices):
    CHARGES_DROPPED = "charges_dropped", _("charges dropped")
    NON_PUNISHMENT = "non_punishment", _("non-punishment applied")
    CONVICTED = "convicted", _("convicted")
    OTHER = "other", _("other outcome")


class AlertQuerySet(DossierChildQuerySet):
    def open(self):
        return self.filter(resolved_on__isnull=True)

    def inbox(self, user):
        """Alerts in the user's inbox, open or resolved: those they see (``visible_to``)
        addressed to one of their organisations or about a dossier one of them owns
        (``access.alert_inbox_q``). The home page, the alert list and the API's ``inbox``
        filter all read it here."""
        return self.visible_to(user).filter(access.alert_inbox_q(user))

    def for_inbox(self, user):
        """Open alerts the user is expected to act on."""
        return self.inbox(user).open()


class NonPunishmentAlert(models.Model):
    """Raised with an offence charge; sent to the prosecution organisations of the charge's
    region (each gets an access grant while the alert is open) and to the dossier's owner and
    caseworker. Open until resolved with an outcome."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="alerts")
    offence = models.OneToOneField(
        OffenceCharge, verbose_name=_("offence"), on_delete=models.CASCADE, related_name="alert"
    )
    recipients = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("sent to"),
        related_name="nonpunishment_alerts",
        blank=True,
    )
    # The access grants this alert needs; ended with it unless another open alert needs them.
    grants = models.ManyToManyField(AccessGrant, related_name="nonpunishment_alerts", blank=True)
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    outcome = models.CharField(
        _("outcome"), max_length=32, choices=AlertOutcome.choices, blank=True
    )
    outcome_note = EncryptedTextField(_("note on the outcome"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    resolved_org = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("resolved by (organisation)"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("non-punishment alert")
        verbose_name_plural = _("non-punishment alerts")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["resolved_on", "raised_at"])]

    def __str__(self):
        return f"{self.dossier_id} · {self.raised_at:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.resolved_on is None

    def age_days(self, today=None):
        today = today or timezone.localdate()
        return (today - timezone.localtime(self.raised_at).date()).days
