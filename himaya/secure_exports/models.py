"""Exports that hold personal data (S18): each is an AES-256 zip archive whose password is
shown once to the person who asked for it, and is never stored (only its hash is).

The archive lives in the database, not on one app server's disk, so that any server behind the
load balancer can hand it out and a purge is one UPDATE. It is encrypted at rest by its own
password, which the server forgets as soon as the page showing it is sent: not even an
administrator with the database and the field keys can open it. It can be downloaded once,
by its owner, until it expires (HIMAYA_EXPORT_HOURS, at most 24); then its bytes are erased and
the row stays as the record of what was exported, by whom and when (no personal data: a kind,
the record's reference, the name of the file inside the archive).
"""

import uuid

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import models
from django.utils.translation import gettext_lazy as _

from himaya.core import access


class Kind(models.TextChoices):
    REGISTERS = "registers", _("justice registers (XLSX)")
    DOSSIER = "dossier", _("dossier summary (PDF)")
    PERSON = "person", _("a person's data")
    HTCDS = "htcds", _("HTCDS case records")


class Refusal(models.TextChoices):
    DOWNLOADED = "downloaded", _("already downloaded")
    EXPIRED = "expired", _("expired")


class SecureExportQuerySet(access.RestrictedQuerySet):
    """Its requester's alone (core.access.policies.SecureExportPolicy)."""


class SecureExport(models.Model):
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="secure_exports",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # What was exported, as the audit trail names records ("cases.dossier", "12"), and the
    # reference shown to the owner (HMY-2026-346): never a name.
    subject_type = models.CharField(_("object type"), max_length=64, blank=True)
    subject_id = models.CharField(_("object"), max_length=64, blank=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    # The file inside the archive. Zip encryption hides contents, not names: no name here may
    # say anything about a person.
    file_name = models.CharField(_("file name"), max_length=100)
    archive = models.BinaryField(_("encrypted archive"), editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    password_hash = models.CharField(_("password hash"), max_length=256, editable=False)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    downloaded_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)
    purged_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    objects = SecureExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("encrypted export")
        verbose_name_plural = _("encrypted exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["purged_at", "expires_at"])]

    def __str__(self):
        return f"{self.kind} {self.reference or self.file_name} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def archive_name(self):
        stem = self.file_name.rsplit(".", 1)[0] or "himaya-export"
        return f"{stem}.zip"

    def refusal(self, moment):
        """Why the archive cannot be downloaded at ``moment`` (a Refusal), or None."""
        if self.downloaded_at is not None:
            return Refusal.DOWNLOADED
        if self.purged_at is not None or moment >= self.expires_at:
            return Refusal.EXPIRED
        return None

    def password_matches(self, password):
        """Whether ``password`` is this archive's: the hash confirms a password read out over
        the phone belongs to this archive; nothing can recover the password from it."""
        return bool(password) and check_password(password, self.password_hash)
