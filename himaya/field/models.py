"""Field devices (phones with ODK Collect or KoboCollect) and the screenings they send.

Mandatory two-factor authentication cannot run on a field phone, so a device gets its own
credential, as ODK Central's app users do: a username and a random token, of which only a hash
is kept. It reaches the OpenRosa endpoints and nothing else, expires, and is revoked in one
click. A received submission is kept by its ``instanceID`` (the phone's own id of a filled form),
so that a phone that resends after a flaky upload creates nothing twice."""

import hashlib
import hmac
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access

TOKEN_BYTES = 32


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class FieldDeviceQuerySet(access.RestrictedQuerySet):
    # visible_to, writable_by: field.policies.FieldDevicePolicy.

    def live(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class FieldDevice(models.Model):
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="field_devices",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="field_devices",
    )
    name = models.CharField(
        _("device name"),
        max_length=100,
        help_text=_("How the team knows this phone, for example 'Oujda team, phone 2'."),
    )
    # The OpenRosa username (Basic authentication); the token is the password.
    username = models.CharField(_("device username"), max_length=32, unique=True, editable=False)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("enrolled"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("enrolled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    objects = FieldDeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("field device")
        verbose_name_plural = _("field devices")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.username})"

    @staticmethod
    def new_credentials():
        """(username, token): the token is shown once, in the settings QR code."""
        return "fd-" + secrets.token_hex(5), "hmyfd_" + secrets.token_urlsafe(TOKEN_BYTES)

    def token_matches(self, raw: str) -> bool:
        return hmac.compare_digest(self.token_digest, hash_token(raw))

    def is_live(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def state(self):
        if self.revoked_at is not None:
            return _("revoked")
        if self.expires_at <= timezone.now():
            return _("expired")
        return _("active")


class FieldSubmission(models.Model):
    """One filled form received from a device, recorded as a screening. Only ids and digests
    are kept here: the answers live, encrypted, in the screening."""

    instance_id = models.CharField(_("instance id"), max_length=100, unique=True)
    device = models.ForeignKey(
        FieldDevice,
        verbose_name=_("field device"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    form_id = models.CharField(_("form id"), max_length=100)
    form_version = models.CharField(_("form version"), max_length=100)
    questionnaire = models.ForeignKey(
        "screening.Questionnaire",
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    screening = models.OneToOneField(
        "screening.Screening",
        verbose_name=_("screening"),
        on_delete=models.PROTECT,
        related_name="field_submission",
    )
    # An edited resubmission names the instance it replaces (OpenRosa meta/deprecatedID).
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    # SHA-256 of the files as received: a resend of the same bytes is answered as received.
    digest = models.CharField(max_length=64, editable=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("field submission")
        verbose_name_plural = _("field submissions")
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return self.instance_id
