"""Transfers of a dossier's ownership to another organisation, which accepts or declines."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access
from himaya.core.fields import EncryptedTextField


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class TransferQuerySet(access.RestrictedQuerySet):
    """core.access.policies.TransferPolicy."""


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
