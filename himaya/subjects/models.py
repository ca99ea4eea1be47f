"""A data subject's request under Law 09-08 (access, erasure), answered by the person's own
organisation and passed on to the other holders through the national commission.

A request row holds no identity: the person's record number (an id that means nothing once the
record is gone), the organisations involved, the legal holds that applied and how many records
were removed or kept de-identified (see docs/subject-rights.md)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access
from himaya.core.fields import EncryptedTextField


class SubjectRequestQuerySet(access.RestrictedQuerySet):
    """core.access.policies.SubjectRequestPolicy."""


class SubjectRequest(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", _("access to the data")
        ERASURE = "erasure", _("erasure")

    class Outcome(models.TextChoices):
        EXPORTED = "exported", _("copy of the data given")
        REMOVED = "removed", _("removed")
        ANONYMISED = "anonymised", _("identity removed, counts kept (legal hold)")
        # An erasure in a large database is done by the background worker (actions.py).
        ERASING = "erasing", _("being erased")
        FAILED = "failed", _("not erased (refused or failed when its turn came)")

    class Forward(models.TextChoices):
        OPEN = "open", _("to pass on to the other holders")
        PASSED = "passed", _("passed on to the other holders")

    kind = models.CharField(_("request"), max_length=8, choices=Kind.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    # Null once the record is removed; the number stays, as the audit trail's rows carry it.
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    person_number = models.PositiveBigIntegerField(_("person record number"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    # Why the person's data was erased, with the person's own names taken out.
    reason = EncryptedTextField(_("reason"), blank=True)
    # [{"code": "proceedings"} | {"code": "frozen_report", "year": 2025}]
    holds = models.JSONField(_("legal holds"), default=list, blank=True)
    # {"cases.dossier": 2, ...}: records removed (erasure) or given (access).
    counts = models.JSONField(_("records"), default=dict, blank=True)
    # Organisations holding records of the person that the answering one cannot see: the
    # commission passes the request on to them. Always routed, even when empty, so that the
    # requester learns nothing from it.
    holders = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("other holders"), related_name="+", blank=True
    )
    forward = models.CharField(
        _("request to the other holders"),
        max_length=8,
        choices=Forward.choices,
        default=Forward.OPEN,
    )
    forwarded_at = models.DateTimeField(_("passed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = SubjectRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.reference

    @property
    def reference(self):
        return f"DSR-{self.created_at:%Y}-{self.pk:05d}"
