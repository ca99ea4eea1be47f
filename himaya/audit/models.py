"""The audit trail: append-only records of writes and of reads of personal data.

Rows carry ids and field names, never the personal data itself. The ORM refuses to update or
delete them and database triggers (see migration 0002) refuse it to raw SQL as well.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit rows cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit rows cannot be deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("audit rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit rows cannot be deleted")


class Outcome(models.TextChoices):
    OK = "ok", _("done")
    DENIED = "denied", _("denied")


class AuditEvent(AppendOnlyModel):
    """A write: who did what to which record, from which organisation, in which request."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("actor"), null=True, db_index=True)
    actor_username = models.CharField(_("actor's username"), max_length=150, blank=True)
    organisation_id = models.BigIntegerField(_("organisation"), null=True)
    request_id = models.CharField(_("request"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.OK
    )

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"


class AccessEvent(AppendOnlyModel):
    """A read of a person's identity, or an attempt refused."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("actor"), null=True, db_index=True)
    actor_username = models.CharField(_("actor's username"), max_length=150, blank=True)
    organisation_id = models.BigIntegerField(_("organisation"), null=True)
    request_id = models.CharField(_("request"), max_length=64, blank=True)
    person_id = models.BigIntegerField(_("person"), null=True, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    purpose = models.CharField(_("what was read"), max_length=64)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.OK
    )

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.purpose}"
