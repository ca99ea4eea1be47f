"""A victim's part in a prosecution: role, protection measures asked and granted,
compensation ordered."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .common import _external_ref, _ref_unique
from .prosecutions import Prosecution, ProsecutionChildQuerySet


class ParticipationRole(models.TextChoices):
    COMPLAINANT = "complainant", _("complainant")
    WITNESS = "witness", _("witness")
    CIVIL_PARTY = "civil_party", _("civil party")


class ProtectionMeasure(models.TextChoices):
    IDENTITY = "identity", _("identity kept confidential")
    CLOSED_HEARING = "closed_hearing", _("hearing in camera")
    REMOTE = "remote", _("testimony by video or behind a screen")
    POLICE = "police", _("police protection")
    RELOCATION = "relocation", _("change of residence")
    OTHER = "other", _("other measure")


class Participation(models.Model):
    """A victim (a linked dossier) in a prosecution."""

    external_ref = _external_ref()
    prosecution = models.ForeignKey(
        Prosecution, on_delete=models.CASCADE, related_name="participations"
    )
    dossier = models.ForeignKey(
        "cases.Dossier", on_delete=models.PROTECT, related_name="justice_participations"
    )
    role = models.CharField(_("role"), max_length=16, choices=ParticipationRole.choices)
    protection_asked = models.JSONField(_("protection measures asked"), default=list, blank=True)
    protection_granted = models.JSONField(
        _("protection measures granted"), default=list, blank=True
    )
    compensation_mad = models.DecimalField(
        _("compensation ordered (MAD)"), max_digits=12, decimal_places=2, null=True, blank=True
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
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ProsecutionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("victim participation")
        verbose_name_plural = _("victim participations")
        ordering = ["id"]
        constraints = [
            _ref_unique("organisation", "participation_external_ref"),
            models.UniqueConstraint(fields=["prosecution", "dossier"], name="participation_once"),
        ]

    def __str__(self):
        return f"{self.prosecution_id} · {self.get_role_display()}"

    @property
    def protection_asked_labels(self):
        return self.measure_labels("protection_asked")

    @property
    def protection_granted_labels(self):
        return self.measure_labels("protection_granted")

    def measure_labels(self, field):
        return [
            ProtectionMeasure(m).label
            for m in getattr(self, field)
            if m in ProtectionMeasure.values
        ]
