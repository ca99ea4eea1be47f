"""The offer: the service catalogue, providers (an organisation's services, groups, regions and
languages) and their facilities with beds per group. How many beds are free is derived from the
stays (``services.ShelterStay``), never typed in."""

from django.db import models
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


class ProviderQuerySet(access.RestrictedQuerySet):
    """Every member reads them: core.access.policies.ProviderPolicy."""


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


class FacilityQuerySet(access.RestrictedQuerySet):
    """Every member reads them: core.access.policies.ProviderPolicy."""


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
        return self.stays.occupancy(day or timezone.localdate())[self.pk]

    def board(self, day=None, occupied=None):
        """[(group, beds, occupied, free)] for the groups with beds, and the totals.
        ``occupied`` (per group, as ``occupied`` gives it) when the caller counted the stays
        of many facilities at once (``services.load_boards``)."""
        occupied = self.occupied(day) if occupied is None else occupied
        rows = []
        for g in BED_GROUPS:
            beds = self.beds(g)
            if beds or occupied[g]:
                rows.append((Group(g), beds, occupied[g], max(beds - occupied[g], 0)))
        return rows

    def free_beds(self, day=None):
        return sum(row[3] for row in self.board(day))
