"""Exports that grow with the caseload: an analyst's de-identified downloads (the HTCDS case
records and the CTDC-style extract of every dossier the analyst sees: the whole country, for
the commission) and a caseworker's export of her organisation's cases with their identities.
Built here while the page waits for up to HIMAYA_EXPORT_INLINE_DOSSIERS dossiers; beyond,
requested as an Extract (background.queue_extract) that the background worker builds
(``build_queued``). The analyst downloads a de-identified one until it expires (``download``);
the caseworker turns one with identities into an encrypted archive with a one-time password
(``hand_over``), never downloads it as it is. ``himaya notify`` erases what expired
(``purge_expired``)."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from himaya.audit import log
from himaya.cases.models import Dossier
from himaya.core import crypto
from himaya.notifications.actions import job_done
from himaya.secure_exports.actions import do_create_export
from himaya.secure_exports.models import Kind as ArchiveKind

from .htcds import ctdc, export
from .models import Extract

# The case records' kinds → their format (htcds/export.py FORMATS), de-identified and with
# identities (the caseworker's organisation's cases).
FORMATS = {
    Extract.Kind.HTCDS_XLSX: "xlsx",
    Extract.Kind.HTCDS_CSV: "csv",
    Extract.Kind.CASES_XLSX: "xlsx",
    Extract.Kind.CASES_CSV: "csv",
}
CONTENT_TYPES = {
    **{kind: export.FORMATS[fmt][1] for kind, fmt in FORMATS.items()},
    Extract.Kind.CTDC: export.XLSX,
}
AUDIT_ACTIONS = {
    Extract.Kind.HTCDS_XLSX: ("export_htcds", "deidentified"),
    Extract.Kind.HTCDS_CSV: ("export_htcds", "deidentified"),
    Extract.Kind.CTDC: ("export_ctdc", "ctdc"),
    Extract.Kind.CASES_XLSX: ("export_htcds", "cases"),
    Extract.Kind.CASES_CSV: ("export_htcds", "cases"),
}
# What the audit rows and the archives of these exports name: the HTCDS exchange, not a record
# (an archive of an organisation's cases holds many persons: subjects.files empties it at an
# erasure).
SUBJECT = ("exchange.htcds", "")


def case_records_kind(fmt, *, identified):
    """The kind of an export of case records in ``fmt`` ("xlsx" or "csv")."""
    return next(
        kind
        for kind, kind_fmt in FORMATS.items()
        if kind_fmt == fmt and (kind in Extract.IDENTIFIED) == identified
    )


def scope(user, kind, organisation_id):
    """The dossiers an extract covers: for an analyst's, every dossier the analyst sees; for
    a caseworker's cases, those her organisation ``organisation_id`` owns, with the identities
    she may read."""
    if kind in Extract.IDENTIFIED:
        return Dossier.objects.with_identity_for(user).filter(owner_org_id=organisation_id)
    return Dossier.objects.visible_to(user)


def in_background(dossiers) -> bool:
    """Whether ``dossiers`` are too many to build while the page waits."""
    limit = settings.HIMAYA_EXPORT_INLINE_DOSSIERS
    return dossiers[: limit + 1].count() > limit


class _Counted:
    """The case rows, counted as the writer takes them."""

    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def build(kind, dossiers):
    """``(bytes, records)`` of an extract of ``kind`` over ``dossiers``."""
    if kind == Extract.Kind.CTDC:
        extract = ctdc.build(dossiers)
        return ctdc.workbook(extract), len(extract.records)
    rows = _Counted(export.iter_rows(dossiers, identified=kind in Extract.IDENTIFIED))
    content, _content_type = export.write(rows, FORMATS[kind])
    return content, rows.count


def audit(user, kind, organisation_id):
    action, field = AUDIT_ACTIONS[kind]
    log.write(user, action, SUBJECT, [field], organisation_id=organisation_id)


def archive(user, kind, organisation_id, content):
    """An export with identities handed over as an encrypted archive with a one-time password
    (secure_exports), built now or by the worker: ``(archive, password)``."""
    return do_create_export(
        owner=user,
        organisation_id=organisation_id,
        kind=ArchiveKind.HTCDS,
        file_name=Extract(kind=kind).file_name,
        content=content,
        subject=SUBJECT,
    )


def build_queued(extract_id):
    """The worker's build of an extract requested by ``background.queue_extract``; one no
    longer waiting (built already: a task run twice) is left as it is."""
    extract = Extract.objects.select_related("owner").get(pk=extract_id)
    if extract.status != Extract.Status.QUEUED:
        return extract
    if not Extract.objects.visible_to(extract.owner).filter(pk=extract.pk).exists():
        # No longer entitled to it (an analyst, or a casework importer, of the organisation
        # it was asked for): not built.
        _finish(extract, Extract.Status.FAILED)
        return extract
    with translation.override(extract.language or settings.LANGUAGE_CODE):
        try:
            dossiers = scope(extract.owner, extract.kind, extract.organisation_id)
            content, records = build(extract.kind, dossiers)
        except Exception:
            _finish(extract, Extract.Status.FAILED)
            raise
        now = timezone.now()
        _finish(
            extract,
            Extract.Status.READY,
            content=crypto.encrypt_bytes(content),
            size=len(content),
            records=records,
            finished_at=now,
            expires_at=now + datetime.timedelta(hours=settings.HIMAYA_EXPORT_HOURS),
        )
    return extract


def _finish(extract, status, **fields):
    with transaction.atomic():
        done = Extract.objects.filter(pk=extract.pk, status=Extract.Status.QUEUED).update(
            status=status, **fields
        )
        if not done:
            return False
        # What was written, without reading the file back.
        extract.status = status
        for name, value in fields.items():
            setattr(extract, name, value)
        log.write(
            None, "build_extract", extract, ["status"], organisation_id=extract.organisation_id
        )
        job_done(
            extract.owner,
            what=gettext_lazy("The export of your organisation's cases")
            if extract.identified
            else gettext_lazy("The de-identified extract"),
            reference=f"#{extract.pk}",
            url=reverse("exchange:htcds"),
            ok=status == Extract.Status.READY,
            target=extract,
        )
    return True


def _content(extract):
    """The bytes of a ready extract; None once it has expired or when the key that encrypted it
    is gone."""
    if extract.status != Extract.Status.READY or extract.expires_at <= timezone.now():
        return None
    try:
        return crypto.decrypt_bytes(extract.content)
    except ValueError:
        return None


def download(extract, user):
    """The bytes of a ready de-identified extract, its download audited; None once it has
    expired or when the key that encrypted it is gone. One with identities is never
    downloaded as it is (``hand_over``)."""
    if extract.identified:
        raise PermissionDenied
    data = _content(extract)
    if data is not None:
        log.write(user, "download_extract", extract, [], organisation_id=extract.organisation_id)
    return data


def hand_over(extract, user):
    """A ready export with identities turned into an encrypted archive with a one-time password
    for the user who asked for it (as the page hands over a small one), its bytes here erased:
    ``(archive, password)``, or None once it has expired, was handed over already, or its key
    is gone."""
    if not extract.identified:
        raise PermissionDenied
    with transaction.atomic():
        locked = Extract.objects.visible_to(user).select_for_update().filter(pk=extract.pk).first()
        if locked is None:  # not hers, or no longer a casework importer of the organisation
            raise PermissionDenied
        data = _content(locked)
        if data is None:
            return None
        handed, password = archive(user, locked.kind, locked.organisation_id, data)
        # Kept no longer than the extract would have been.
        handed.expires_at = min(handed.expires_at, locked.expires_at)
        handed.save(update_fields=["expires_at"])
        locked.status, locked.content = Extract.Status.ARCHIVED, b""
        locked.save(update_fields=["status", "content"])
        log.write(
            user,
            "archive_extract",
            locked,
            ["status", "content"],
            organisation_id=locked.organisation_id,
        )
    return handed, password


def fail_queued(extracts):
    """End as failed, their owners told, ``extracts`` still being prepared (a person's
    erasure: the worker may have read her record already). Returns how many."""
    queued = extracts.filter(status=Extract.Status.QUEUED).select_related("owner")
    return sum(_finish(extract, Extract.Status.FAILED) for extract in queued)


# An extract still being prepared this long after it was asked for: its worker was killed.
LOST_AFTER = datetime.timedelta(hours=24)


def purge_expired(now=None):
    """Erase the bytes of the extracts past their time (the row stays: who exported what, and
    when), and end as failed those no worker finished. Returns how many were erased."""
    now = now or timezone.now()
    lost = Extract.objects.filter(status=Extract.Status.QUEUED, created_at__lt=now - LOST_AFTER)
    for extract in lost.select_related("owner"):
        _finish(extract, Extract.Status.FAILED)
    expired = Extract.objects.filter(status=Extract.Status.READY, expires_at__lte=now)
    erased = 0
    for extract in expired.only("pk", "organisation_id"):
        with transaction.atomic():
            ended = Extract.objects.filter(pk=extract.pk, status=Extract.Status.READY).update(
                status=Extract.Status.EXPIRED, content=b""
            )
            if ended:
                log.write(
                    None,
                    "expire_extract",
                    extract,
                    ["content"],
                    organisation_id=extract.organisation_id,
                )
            erased += ended
    return erased


def purge_on_schedule(sender, now, **kwargs):
    """``himaya notify``'s housekeeping (notifications.housekeeping): ``purge_expired``."""
    return f"extracts erased: {purge_expired(now)}"
