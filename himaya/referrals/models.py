"""Protection: service providers and their facilities (beds), referrals of a dossier to a
provider (with consent, DOMAIN.md §3), the services delivered (shelter stays, sessions, returns),
support plans, follow-ups, dossier transfers and the support public bodies give to NGOs.

Occupancy is derived from the stays, never typed in. Visibility rules live in core.access (the
"Referrals and services" section)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access
from himaya.core.fields import EncryptedTextField
from himaya.core.trilingual import LABELS, TrilingualName, in_language


class Service(models.TextChoices):
    SHELTER = "shelter", _("shelter")
    MEDICAL = "medical", _("medical care")
    PSYCHOSOCIAL = "psychosocial", _("psychosocial support")
    LEGAL_AID = "legal_aid", _("legal aid")
    INTERPRETATION = "interpretation", _("interpretation")
    RETURN = "return", _("return and repatriation")
    REINTEGRATION = "reintegration", _("reintegration")
    LIVELIHOOD = "livelihood", _("livelihood")
    EDUCATION = "education", _("education")


# HTCDS spl_Type (service provided) for each service of the catalogue.
HTCDS_SPL_TYPE = {
    Service.SHELTER: "Shelter",
    Service.MEDICAL: "MedicalServices",
    Service.PSYCHOSOCIAL: "PsychosocialSupport",
    Service.LEGAL_AID: "LegalAssistance",
    Service.INTERPRETATION: "Interpretation",
    Service.RETURN: "ReturnAndRepatriation",
    Service.REINTEGRATION: "Reintegration",
    Service.LIVELIHOOD: "LivelihoodSupport",
    Service.EDUCATION: "Education",
}


class Group(models.TextChoices):
    WOMEN = "women", _("women")
    MEN = "men", _("men")
    CHILDREN = "children", _("children")
    FAMILIES = "families", _("families")
    MIGRANTS = "migrants", _("migrants")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("survivors of sexual exploitation")


# The groups a facility counts beds for (the others are groups a provider serves).
BED_GROUPS = (Group.WOMEN, Group.MEN, Group.CHILDREN, Group.FAMILIES)


class ProviderQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.filter_providers(self, user)


class Provider(models.Model):
    """An organisation's offer of services: not personal data, every member reads it."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="provider",
    )
    services = models.JSONField(_("services offered"), default=list, blank=True)
    groups = models.JSONField(_("groups served"), default=list, blank=True)
    regions = models.ManyToManyField(
        "core.Code",
        verbose_name=_("regions served"),
        related_name="+",
        blank=True,
        limit_choices_to={"list": "region"},
    )
    languages = models.ManyToManyField(
        "core.Code",
        verbose_name=_("languages"),
        related_name="+",
        blank=True,
        limit_choices_to={"list": "language"},
    )
    contact = EncryptedTextField(_("contact point"), blank=True)
    accepts_referrals = models.BooleanField(_("accepts referrals"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["organisation__name_fr"]

    def __str__(self):
        return str(self.organisation)

    def service_labels(self):
        return [Service(s).label for s in self.services if s in Service.values]

    def group_labels(self):
        return [Group(g).label for g in self.groups if g in Group.values]


class FacilityQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.filter_providers(self, user, org_field="organisation")


class Facility(TrilingualName):
    """A shelter with its beds per group; how many are free is derived from the stays. Its name
    and its city are given in the deployment's languages (``name``, ``city``: the reader's)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="facilities",
    )
    region = models.ForeignKey(
        "core.Code",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "region"},
    )
    city_ar = models.CharField(LABELS["city"]["ar"], max_length=100, blank=True)
    city_fr = models.CharField(LABELS["city"]["fr"], max_length=100, blank=True)
    city_en = models.CharField(LABELS["city"]["en"], max_length=100, blank=True)
    beds_women = models.PositiveIntegerField(_("beds for women"), default=0)
    beds_men = models.PositiveIntegerField(_("beds for men"), default=0)
    beds_children = models.PositiveIntegerField(_("beds for children"), default=0)
    beds_families = models.PositiveIntegerField(_("beds for families"), default=0)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        # Pages sort by the name their reader sees (core.trilingual.ordered_by).
        ordering = ["name_fr", "name_ar", "id"]

    @property
    def city(self):
        return in_language(self, "city")

    def beds(self, group):
        return getattr(self, f"beds_{group}")

    @property
    def beds_total(self):
        return sum(self.beds(g) for g in BED_GROUPS)

    def occupied(self, day=None):
        """Stays running on ``day`` (admitted on or before it, not discharged by it), per
        group."""
        day = day or timezone.localdate()
        counts = dict.fromkeys(BED_GROUPS, 0)
        for group in self.stays.running_on(day).values_list("bed_group", flat=True):
            counts[group] = counts.get(group, 0) + 1
        return counts

    def board(self, day=None):
        """[(group, beds, occupied, free)] for the groups with beds, and the totals."""
        occupied = self.occupied(day)
        rows = []
        for g in BED_GROUPS:
            beds = self.beds(g)
            if beds or occupied[g]:
                rows.append((Group(g), beds, occupied[g], max(beds - occupied[g], 0)))
        return rows

    def free_beds(self, day=None):
        return sum(row[3] for row in self.board(day))


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


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.filter_referrals(self, user)

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


class DossierRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.filter_service_records(self, user)


class StayQuerySet(DossierRecordQuerySet):
    def visible_to(self, user):
        return access.filter_service_records(self, user, org_field="facility__organisation")

    def running_on(self, day):
        return self.filter(admitted_on__lte=day).filter(
            Q(discharged_on__isnull=True) | Q(discharged_on__gt=day)
        )


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


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class TransferQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.filter_transfers(self, user)


class DossierTransfer(models.Model):
    """A proposal to hand a dossier's ownership to another organisation, which accepts it."""

    dossier = models.ForeignKey(
        "cases.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="transfers",
    )
    from_org = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedTextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    answered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier transfer")
        verbose_name_plural = _("dossier transfers")
        ordering = ["-proposed_at", "-id"]

    def __str__(self):
        return f"{self.from_org} → {self.to_org}"


class SupportKind(models.TextChoices):
    FINANCIAL = "financial", _("financial")
    IN_KIND = "in_kind", _("in kind")


class NgoSupportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.filter_ngo_support(self, user)


class NgoSupport(models.Model):
    """Support a public body gives to a provider (the annual report counts it)."""

    giver = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("giver"), on_delete=models.PROTECT, related_name="+"
    )
    receiver = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("receiver"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=SupportKind.choices)
    amount_mad = models.DecimalField(
        _("amount (MAD)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = NgoSupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("support to an NGO")
        verbose_name_plural = _("support to NGOs")
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.giver} → {self.receiver} · {self.on}"
