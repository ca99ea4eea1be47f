"""Records of the database as linkage ``Record``s, and their blocking keys kept up to date.

The actions that create or change a person, a document or a suspect call ``index_person`` /
``index_suspect`` in their transaction, so the keys always say what the record says.
"""

import contextvars
import datetime

from django.db.models import Count, F
from django.utils import timezone

from himaya.core import crypto

from .features import block_keys, document_key, make_record, name_key, phone_key, token_keys
from .models import BlockingKey, NameFrequency

# An import's rows hold the keys of the records they create here (entry_batch.Session), to be
# written a chunk at a time, with the candidate searches that read them.
_held = contextvars.ContextVar("linkage_keys_held", default=None)


def hold_keys(session):
    """Hold the keys of new records in ``session`` (its ``indexed`` and ``flush``) in this
    context; returns a token for ``release_keys``."""
    return _held.set(session)


def release_keys(token):
    _held.reset(token)


def phone_digest(number):
    key = phone_key(number)
    return crypto.blind_digest("phone:" + key) if key else ""


def document_digest(number):
    key = document_key(number)
    return crypto.blind_digest("document:" + key) if key else ""


def person_record(person, *, documents=None, citizenships=None, phones=None):
    """The Record of a saved person (its names are decrypted in memory only). ``documents``,
    ``citizenships`` and ``phones`` given by the caller are not read from the person (a
    caller comparing stored digests passes empty ones, and never loads the contacts)."""
    if documents is None:
        documents = [d.number for d in person.documents.all()] if person.pk else []
    if citizenships is None:
        citizenships = [c.code for c in person.citizenships.all()] if person.pk else []
    if phones is None:
        phones = (person.contacts or {}).get("phones") or []
    return make_record(
        given_ar=person.given_name_ar,
        family_ar=person.family_name_ar,
        given_lat=person.given_name_lat,
        family_lat=person.family_name_lat,
        sex=person.sex.code if person.sex_id else "",
        birth_date=person.birth_date,
        precision=person.birth_date_precision,
        estimated_age=person.estimated_age,
        estimated_on=person.estimated_on,
        citizenships=citizenships,
        phone_digests=[phone_digest(p) for p in phones],
        document_digests=[document_digest(n) for n in documents],
        today=timezone.localdate(),
    )


def suspect_record(suspect):
    return make_record(
        given_ar=suspect.given_name_ar,
        family_ar=suspect.family_name_ar,
        given_lat=suspect.given_name_lat,
        family_lat=suspect.family_name_lat,
        sex=suspect.sex.code if suspect.sex_id else "",
        birth_date=suspect.birth_date,
        precision=suspect.birth_date_precision,
        citizenships=[suspect.citizenship.code] if suspect.citizenship_id else [],
        today=timezone.localdate(),
    )


def record_from_values(values):
    """The Record of a person or suspect being entered, from the plain values of its form:
    names, ``sex`` and ``citizenships`` as codes, dates, ``phones`` and ``documents`` in clear
    (digested here)."""
    return make_record(
        given_ar=values.get("given_name_ar", ""),
        family_ar=values.get("family_name_ar", ""),
        given_lat=values.get("given_name_lat", ""),
        family_lat=values.get("family_name_lat", ""),
        sex=values.get("sex") or "",
        birth_date=_date(values.get("birth_date")),
        precision=values.get("birth_date_precision") or "unknown",
        estimated_age=values.get("estimated_age"),
        estimated_on=_date(values.get("estimated_on")),
        citizenships=values.get("citizenships") or (),
        phone_digests=[phone_digest(p) for p in values.get("phones") or ()],
        document_digests=[document_digest(n) for n in values.get("documents") or ()],
        today=timezone.localdate(),
    )


def _date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def current_versions(subject, left, right):
    from himaya.justice.models import Suspect
    from himaya.people.models import Person

    model = Person if subject == "person" else Suspect
    versions = dict(model.objects.filter(pk__in=[left, right]).values_list("pk", "version"))
    return versions.get(left), versions.get(right)


def frequency_digest(record):
    key = name_key(record)
    return crypto.blind_digest("nk:" + key) if key else ""


def token_digest(key):
    return crypto.blind_digest("tk:" + key)


def token_digests(record):
    """The frequency digests of a record's name tokens (features.token_keys), once each."""
    return sorted({token_digest(k) for k in token_keys(record)})


def key_rows(record, **owner):
    """The blocking keys of a record, and its frequency keys: its name's, and each of its
    tokens' (the counts of NameFrequency follow them)."""
    rows = [
        BlockingKey(digest=crypto.blind_digest(key), kind=kind, **owner)
        for key, kind in sorted(block_keys(record).items())
    ]
    frequency = BlockingKey.Kind.FREQUENCY
    if digest := frequency_digest(record):
        rows.append(BlockingKey(digest=digest, kind=frequency, **owner))
    rows += [BlockingKey(digest=d, kind=frequency, **owner) for d in token_digests(record)]
    return rows


def _replace(owner_field, obj, record, *, new=False):
    session = _held.get()
    if session is not None:
        if new:
            session.indexed(owner_field, obj.pk, key_rows(record, **{owner_field: obj}))
            return
        # A record changed: the keys held are written first, and the searches of the rows
        # before read the records as they were.
        session.flush()
    wanted = {row.digest: row for row in key_rows(record, **{owner_field: obj})}
    # A record saved a moment ago has no keys yet: nothing to read, nothing stale.
    existing = (
        {}
        if new
        else dict(BlockingKey.objects.filter(**{owner_field: obj}).values_list("digest", "kind"))
    )
    stale = set(existing) - set(wanted)
    if stale:
        BlockingKey.objects.filter(**{owner_field: obj}, digest__in=stale).delete()
    added = [row for d, row in wanted.items() if d not in existing]
    BlockingKey.objects.bulk_create(added)
    frequency = BlockingKey.Kind.FREQUENCY
    for digest in stale:
        if existing[digest] == frequency:
            _count(owner_field, digest, -1)
    for row in added:
        if row.kind == frequency:
            _count(owner_field, row.digest, +1)


def _count(subject, digest, delta):
    """One more or one less record holding a name; the row is made the first time (a
    concurrent first insert of the same name is absorbed by the unique constraint)."""
    NameFrequency.objects.bulk_create(
        [NameFrequency(subject=subject, digest=digest, records=0)], ignore_conflicts=True
    )
    NameFrequency.objects.filter(subject=subject, digest=digest).update(
        records=F("records") + delta
    )


def recount_frequencies():
    """Rebuild every name count from the keys (after ``himaya reindex`` or a bulk load)."""
    NameFrequency.objects.all().delete()
    for subject in ("person", "suspect"):
        rows = (
            BlockingKey.objects.filter(
                kind=BlockingKey.Kind.FREQUENCY, **{f"{subject}__isnull": False}
            )
            .values_list("digest")
            .annotate(n=Count("*"))
            .values_list("digest", "n")
        )
        NameFrequency.objects.bulk_create(
            (NameFrequency(subject=subject, digest=d, records=n) for d, n in rows.iterator()),
            batch_size=5000,
        )


def index_person(person, *, new=False, citizenships=None):
    """``new``: the person was created in this transaction (no keys, no documents yet);
    ``citizenships``: their codes when the caller has them (not read again)."""
    record = person_record(
        person,
        documents=[] if new else None,
        citizenships=None if citizenships is None else [c.code for c in citizenships],
    )
    _replace("person", person, record, new=new)


def index_suspect(suspect, *, new=False):
    _replace("suspect", suspect, suspect_record(suspect), new=new)
