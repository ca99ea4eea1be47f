"""Creating, downloading and purging encrypted exports. Each writes its audit row (no personal
data: the export's id, its kind, the record it came from) in the same transaction."""

import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from himaya.audit import log
from himaya.audit.models import Outcome
from himaya.core import access

from . import archive
from .models import Refusal, SecureExport


class ExportUnavailable(Exception):
    def __init__(self, refusal):
        super().__init__(refusal)
        self.refusal = refusal


def lifetime():
    return datetime.timedelta(hours=settings.HIMAYA_EXPORT_HOURS)


def do_create_export(
    *,
    owner,
    organisation_id,
    kind,
    file_name,
    content,
    subject=("", ""),
    reference="",
    on=None,
):
    """Encrypt ``content`` for ``owner`` and keep it until it expires. Returns the export and
    its password, which only the caller's response may show: it is stored nowhere."""
    if organisation_id not in access.member_org_ids(owner):
        raise PermissionDenied
    on = on or timezone.now()
    password = archive.new_password()
    data = archive.encrypt(file_name, content, password)
    with transaction.atomic():
        export = SecureExport.objects.create(
            owner=owner,
            organisation_id=organisation_id,
            kind=kind,
            subject_type=subject[0],
            subject_id=str(subject[1]),
            reference=reference,
            file_name=file_name,
            archive=data,
            size=len(data),
            password_hash=make_password(password),
            created_at=on,
            expires_at=on + lifetime(),
        )
        log.write(
            owner,
            "export_create",
            export,
            ["kind", "subject_type", "subject_id", "file_name", "expires_at"],
            organisation_id=organisation_id,
        )
    return export, password


def do_download_export(export, *, acting_user, on=None):
    """The archive's bytes, once: the download erases them. Raises ExportUnavailable (already
    downloaded, or expired) and records the refused attempt."""
    if export.owner_id != acting_user.pk:
        raise PermissionDenied
    on = on or timezone.now()
    with transaction.atomic():
        locked = SecureExport.objects.select_for_update().get(pk=export.pk)
        refusal = locked.refusal(on)
        if refusal is None:
            data = bytes(locked.archive)
            locked.archive, locked.downloaded_at, locked.purged_at = b"", on, on
            locked.save(update_fields=["archive", "downloaded_at", "purged_at"])
            log.write(
                acting_user,
                "export_download",
                locked,
                ["downloaded_at"],
                organisation_id=locked.organisation_id,
            )
            return locked, data
        if refusal == Refusal.EXPIRED and locked.purged_at is None:
            _purge(locked, on)
    log.write(
        acting_user,
        "export_download",
        locked,
        [refusal],
        organisation_id=locked.organisation_id,
        outcome=Outcome.DENIED,
    )
    raise ExportUnavailable(refusal)


def _purge(export, on):
    export.archive, export.purged_at = b"", on
    export.save(update_fields=["archive", "purged_at"])
    log.write(None, "export_purge", export, ["archive"], organisation_id=export.organisation_id)


def do_purge_exports(on=None):
    """Erase the archives whose time is up; returns how many. Run by `himaya notify` and
    `himaya purge_exports`; a download past the limit purges its archive too."""
    on = on or timezone.now()
    purged = 0
    due = SecureExport.objects.filter(purged_at__isnull=True, expires_at__lte=on)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            export = (
                SecureExport.objects.select_for_update()
                .defer("archive")
                .filter(pk=pk, purged_at__isnull=True)
                .first()
            )
            if export is not None:
                _purge(export, on)
                purged += 1
    return purged
