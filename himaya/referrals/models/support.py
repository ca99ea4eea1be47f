"""Support a public body gives to an NGO (financial or in kind), counted in the annual report."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access


class SupportKind(models.TextChoices):
    FINANCIAL = "financial", _("financial")
    IN_KIND = "in_kind", _("in kind")


class NgoSupportQuerySet(access.RestrictedQuerySet):
    """core.access.policies.NgoSupportPolicy."""


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
