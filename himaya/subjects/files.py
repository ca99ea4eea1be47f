"""Files, archives and sessions that may hold the person: uploads waiting to be imported (plain
CSV or XLSX under VAR_DIR/exchange-pending, for at most exchange.pending.PENDING_HOURS), the
encrypted exports not yet downloaded (himaya.secure_exports, at most HIMAYA_EXPORT_HOURS), and
the searches kept in sessions (core.shortcuts.stash_search: encrypted, for a session's life)."""

import io
import re
import zipfile
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone

from himaya.cases.models import Dossier
from himaya.core import crypto
from himaya.exchange import extracts, pending
from himaya.exchange.models import Extract, ImportRun
from himaya.secure_exports.models import SecureExport

TAG = re.compile(r"<[^>]+>")


def _text_of(data):
    """The text of an upload: a workbook's XML parts without their tags, else the bytes."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        parts = []
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.filename.endswith(".xml") and info.file_size < 50_000_000:
                    parts.append(TAG.sub(" ", archive.read(info).decode("utf-8", "ignore")))
        return " ".join(parts)
    return data.decode("utf-8", "ignore")


def forget_uploads(mentions):
    """Discard the pending uploads that name the person (the import is then to be run again
    without them) and take the person's name out of the file names of every run. Returns
    (uploads discarded, file names changed)."""
    discarded = renamed = 0
    for run in ImportRun.objects.exclude(token=""):
        data = pending.load_pending(run.token)
        if data is not None and mentions.names_in(_text_of(data)):
            # A checked file expires; one in the worker's hands fails (the worker leaves a run
            # that moved on). As the import pages end a run: only if it has not moved on since.
            checked = run.status == ImportRun.Status.CHECKED
            ended = ImportRun.Status.EXPIRED if checked else ImportRun.Status.FAILED
            discarded += pending.end_run(run, ended, "discard_import", only_from=[run.status])
    for pk, name in ImportRun.objects.values_list("pk", "file_name").iterator():
        cleaned = mentions.scrub(name.replace("_", " "))
        if cleaned != name.replace("_", " "):
            ImportRun.objects.filter(pk=pk).update(file_name=cleaned[:200])
            renamed += 1
    return discarded, renamed


# Encrypted exports of many records at once, any of which may hold the person: an
# organisation's HTCDS cases, with their identities.
MANY_RECORDS = (extracts.SUBJECT[0],)


def _owners(dossier_ids):
    return Dossier.objects.filter(pk__in=list(dossier_ids)).values("owner_org_id")


def purge_exports(person, dossier_ids):
    """Empty the encrypted exports about the person that wait to be downloaded, and those of
    many records at once made for an organisation owning one of her dossiers (her record may
    be in them; they are asked for again)."""
    about = (
        Q(subject_type="people.person", subject_id=str(person.pk))
        | Q(subject_type="cases.dossier", subject_id__in=[str(pk) for pk in dossier_ids])
        | Q(subject_type__in=MANY_RECORDS, organisation_id__in=_owners(dossier_ids))
    )
    return SecureExport.objects.filter(about, purged_at__isnull=True).update(
        archive=b"", purged_at=timezone.now()
    )


def purge_extracts(dossier_ids):
    """Erase the extracts that may hold the person (exchange.Extract): an analyst's of the
    country, any; a caseworker's of her organisation's cases, those of an organisation owning
    one of her dossiers. Each holds a row per dossier, encrypted whole, so no scan can take
    hers out. Those being prepared end as failed first, their owners told (the worker may have
    read her record already; what it finishes afterwards is dropped); then the ready ones are
    emptied, so that one finished meanwhile is emptied too. Call before ``purge_exports``: an
    extract handed over as an archive meanwhile is then an archive that one empties. They are
    asked for again."""
    concerned = Extract.objects.filter(
        ~Q(kind__in=Extract.IDENTIFIED) | Q(organisation_id__in=_owners(dossier_ids))
    )
    failed = extracts.fail_queued(concerned)
    return failed + concerned.filter(status=Extract.Status.READY).update(
        status=Extract.Status.EXPIRED, content=b""
    )


def _search_words(token):
    try:
        return crypto.decrypt(token)
    except ValueError:
        return ""


def forget_searches(mentions):
    """Take the searches for the person out of every session (an expired session holding one
    is deleted). Returns the number of sessions changed."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now, changed = timezone.now(), 0
    for session in Session.objects.iterator():
        data = store.decode(session.session_data)
        searches = data.get("searches") or {}
        kept = {k: v for k, v in searches.items() if not mentions.searched(_search_words(v))}
        if len(kept) == len(searches):
            continue
        changed += 1
        if session.expire_date <= now:
            Session.objects.filter(pk=session.pk).delete()
        else:
            data["searches"] = kept
            Session.objects.filter(pk=session.pk).update(session_data=store.encode(data))
    return changed
