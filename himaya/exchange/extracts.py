"""An analyst's de-identified downloads: the HTCDS case records and the CTDC-style extract of
every dossier the analyst sees (the whole country, for the commission). Built here while the page
waits for up to HIMAYA_EXPORT_INLINE_DOSSIERS dossiers; beyond, requested as an Extract
(background.queue_extract) that the background worker builds (``build_queued``), the analyst
downloads until it expires (``download``), and ``himaya notify`` erases (``purge_expired``)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from himaya.audit import log
from himaya.cases.models import Dossier
from himaya.core import crypto
from himaya.notifications.actions import job_done

from .htcds import ctdc, export
from .models import Extract

# The de-identified case records' kinds → their format (htcds/export.py FORMATS).
HTCDS_FORMATS = {Extract.Kind.HTCDS_XLSX: "xlsx", Extract.Kind.HTCDS_CSV: "csv"}
HTCDS_KINDS = {fmt: kind for kind, fmt in HTCDS_FORMATS.items()}
CONTENT_TYPES = {
    **{kind: export.FORMATS[fmt][1] for kind, fmt in HTCDS_FORMATS.items()},
    Extract.Kind.CTDC: export.XLSX,
}
AUDIT_ACTIONS = {
    Extract.Kind.HTCDS_XLSX: ("export_htcds", "deidentified"),
    Extract.Kind.HTCDS_CSV: ("export_htcds", "deidentified"),
    Extract.Kind.CTDC: ("export_ctdc", "ctdc"),
}


def scope(user):
    """The dossiers an analyst's extract covers: every dossier the analyst sees."""
    return Dossier.objects.visible_to(user)


def in_background(user) -> bool:
    """Whether the analyst's scope is too large to build while the page waits."""
    limit = settings.HIMAYA_EXPORT_INLINE_DOSSIERS
    return scope(user)[: limit + 1].count() > limit


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
    rows = _Counted(export.iter_rows(dossiers, identified=False))
    content, _content_type = export.write(rows, HTCDS_FORMATS[kind])
    return content, rows.count


def audit(user, kind, organisation_id):
    action, field = AUDIT_ACTIONS[kind]
    log.write(user, action, ("exchange.htcds", ""), [field], organisation_id=organisation_id)


def build_queued(extract_id):
    """The worker's build of an extract requested by ``background.queue_extract``; one no
    longer waiting (built already: a task run twice) is left as it is."""
    extract = Extract.objects.select_related("owner").get(pk=extract_id)
    if extract.status != Extract.Status.QUEUED:
        return extract
    if not Extract.objects.visible_to(extract.owner).filter(pk=extract.pk).exists():
        # No longer an analyst of the organisation it was asked for: not built.
        _finish(extract, Extract.Status.FAILED)
        return extract
    with translation.override(extract.language or settings.LANGUAGE_CODE):
        try:
            content, records = build(extract.kind, scope(extract.owner))
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
            return
        # What was written, without reading the file back.
        extract.status = status
        for name, value in fields.items():
            setattr(extract, name, value)
        log.write(
            None, "build_extract", extract, ["status"], organisation_id=extract.organisation_id
        )
        job_done(
            extract.owner,
            what=gettext_lazy("The de-identified extract"),
            reference=f"#{extract.pk}",
            url=reverse("exchange:htcds"),
            ok=status == Extract.Status.READY,
            target=extract,
        )


def download(extract, user):
    """The bytes of a ready extract, its download audited; None once it has expired or when
    the key that encrypted it is gone."""
    if extract.status != Extract.Status.READY or extract.expires_at <= timezone.now():
        return None
    try:
        data = crypto.decrypt_bytes(extract.content)
    except ValueError:
        return None
    log.write(user, "download_extract", extract, [], organisation_id=extract.organisation_id)
    return data


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
    return f"de-identified extracts erased: {purge_expired(now)}"
