"""Import runs: who imported which file, for which organisation, and what it did."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access
from himaya.core.fields import EncryptedJSONField


class ImportRunQuerySet(access.RestrictedQuerySet):
    """Seen by those who import for its organisation (exchange.policies.ImportRunPolicy)."""


class ImportRun(models.Model):
    class Status(models.TextChoices):
        CHECKED = "checked", _("checked, ready to import")
        REJECTED = "rejected", _("rejected (errors)")
        COMMITTED = "committed", _("imported")
        FAILED = "failed", _("import failed (nothing written)")
        EXPIRED = "expired", _("expired (not imported)")
        # A file larger than HIMAYA_IMPORT_INLINE_ROWS is checked and imported by the
        # background worker (exchange.tasks) while the run's page shows the progress.
        CHECKING = "checking", _("being checked")
        IMPORTING = "importing", _("being imported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    finished_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("format"), max_length=8)
    kind = models.CharField(_("kinds of records"), max_length=200)
    # The kind the user said a CSV file (or a one-sheet workbook) holds, if they said it.
    requested_kind = models.CharField(_("kind chosen on upload"), max_length=32, blank=True)
    digest = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # Row-level errors may quote a cell: kept encrypted, like any free text.
    errors = EncryptedJSONField(_("errors"), null=True, blank=True)
    # Rows whose record may be a person already recorded (linkage): ids, checked again
    # against each reader when shown, and whether a match is held elsewhere.
    notices = models.JSONField(_("possible duplicates"), default=list, blank=True)
    counts = models.JSONField(_("counts by kind"), default=dict, blank=True)
    # Dates that look wrong but that registers record (engine.py, "Warnings"): the first ones
    # to show (they may quote a cell: encrypted), the keys (sheet, row, column) of all of them,
    # which the commit compares with its own, and whether the clerk confirmed them.
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    warnings = EncryptedJSONField(_("warnings"), null=True, blank=True)
    warning_keys = models.JSONField(default=list, blank=True, editable=False)
    warnings_confirmed = models.BooleanField(_("warnings confirmed"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    # Names the uploaded file kept in the private directory until it is imported or expires.
    token = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # When the run was handed to the background worker (None: done in the page's request), and
    # when its dry run ended: a checked file waits PENDING_HOURS from then, not from its upload.
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    language = models.CharField(max_length=8, blank=True, editable=False)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})"


class ImportedRecord(models.Model):
    """The reference a record had in an organisation's own files, for the records whose app
    keeps none (the casework of past years, casework.py): a re-import finds the record again by
    it, so a second run of the same file creates nothing. One row per (organisation, kind,
    reference); ``model`` and ``object_id`` name the record."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=32)
    external_ref = models.CharField(max_length=64)
    model = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "external_ref"], name="exchange_imported_ref"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.external_ref}"


class ExtractQuerySet(access.RestrictedQuerySet):
    """The user's who asked for it, while still entitled to it (exchange.policies.ExtractPolicy)."""


class Extract(models.Model):
    """An export too large to build while the page waits: an analyst's de-identified HTCDS
    export or CTDC extract of the whole country, or a caseworker's export of her organisation's
    cases with their identities. The background worker builds it and keeps it encrypted at rest
    (the field key) until HIMAYA_EXPORT_HOURS after it is ready. The analyst downloads a
    de-identified one; an export with identities is never downloaded as it is: the caseworker
    turns it into an encrypted archive with a one-time password (secure_exports), as the page
    does for a small one, and its bytes here are erased. Then, or when it expires, the row stays
    as the record of what was exported, by whom and when."""

    class Kind(models.TextChoices):
        HTCDS_XLSX = "htcds_xlsx", _("de-identified case records (XLSX)")
        HTCDS_CSV = "htcds_csv", _("de-identified case records (CSV)")
        CTDC = "ctdc", _("CTDC-style anonymised extract (XLSX)")
        CASES_XLSX = "cases_xlsx", _("your organisation's cases, with identities (XLSX)")
        CASES_CSV = "cases_csv", _("your organisation's cases, with identities (CSV)")

    # The kinds that hold identities: handed over as an encrypted archive only.
    IDENTIFIED = (Kind.CASES_XLSX, Kind.CASES_CSV)

    class Status(models.TextChoices):
        QUEUED = "queued", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")
        EXPIRED = "expired", _("expired (erased)")
        ARCHIVED = "archived", _("handed over as an encrypted archive")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    language = models.CharField(max_length=8, blank=True, editable=False)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)
    records = models.PositiveIntegerField(_("records"), default=0)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    # The file, as a Fernet token of its bytes (crypto.encrypt_bytes): empty until it is ready
    # and once it has expired.
    content = models.BinaryField(editable=False, default=b"")

    objects = ExtractQuerySet.as_manager()

    class Meta:
        verbose_name = _("extract")
        verbose_name_plural = _("extracts")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def file_name(self):
        return {
            self.Kind.HTCDS_XLSX: "htcds-deidentified.xlsx",
            self.Kind.HTCDS_CSV: "htcds-deidentified.csv",
            self.Kind.CTDC: "ctdc-extract.xlsx",
            self.Kind.CASES_XLSX: "htcds-cases.xlsx",
            self.Kind.CASES_CSV: "htcds-cases.csv",
        }[self.kind]

    @property
    def identified(self):
        return self.kind in self.IDENTIFIED
