"""Candidates at entry (P3): the existing records that may be the person being entered.

Candidates are looked for among **all** records (victims and suspects separately): one indexed
look-up of the new record's blocking keys, the 200 records sharing most keys, scored with the
Fellegi–Sunter parameters. What the user is then told depends on what they may see:

- a candidate they see with identity: its record, and why it matched, in words;
- any other: only that "a possible match is recorded by another organisation" — no name, no
  organisation, no dossier, no id, not even how many. The hidden records never leave this
  module: sending them to the linkage desk looks them up again on the server.
"""

import dataclasses

from django.conf import settings
from django.db import connection, models
from django.db.models import Count
from django.urls import reverse

from himaya.audit import log
from himaya.core import crypto

from . import scoring
from .features import Record, query_keys, token_keys
from .models import (
    BlockingKey,
    CandidatePair,
    EntryCheck,
    NameFrequency,
    PairSource,
    PairStatus,
    Subject,
)
from .records import (
    current_versions,
    frequency_digest,
    record_from_values,
    token_digest,
)

LOOKUP_LIMIT = 200
# From this many rows, the planner's estimate of a table's size is read instead of a count.
ESTIMATE_FROM = 100_000
# A register smaller than this is taken as this large: too few records to tell how common a
# name is (one record of a name in ten would read as a very common name).
REGISTER_FLOOR = 1000


@dataclasses.dataclass
class Candidate:
    pk: int
    score: scoring.Score
    record: Record
    obj: object = None  # the model instance, for a candidate the user may see
    reasons: list = dataclasses.field(default_factory=list)

    @property
    def percent(self):
        return round(self.score.probability * 100)


@dataclasses.dataclass
class EntryCandidates:
    visible: list
    hidden: int  # kept server-side; pages say only whether there is one

    def __bool__(self):
        return bool(self.visible or self.hidden)

    @property
    def hidden_match(self):
        return self.hidden > 0


def keyed(record: Record) -> Record:
    """The record with its phone and document digests keyed as the blocking keys store them,
    so that they compare with the stored keys of other records."""
    return dataclasses.replace(
        record,
        phones=frozenset(crypto.blind_digest("ph:" + p) for p in record.phones),
        documents=frozenset(crypto.blind_digest("dc:" + d) for d in record.documents),
    )


def _subject_field(subject):
    return "person" if subject == Subject.PERSON else "suspect"


def stored_records(subject, pks):
    """``{pk: Record}`` of saved persons or suspects, read as plain rows (their names decrypted
    in memory), phones and documents as their stored key digests (never decrypted). No model
    instance is built: of the up to 200 records scored, the user is shown a few (``_load``)."""
    field = _subject_field(subject)
    strong = {}
    kinds = [BlockingKey.Kind.PHONE, BlockingKey.Kind.DOCUMENT]
    for pk, kind, digest in BlockingKey.objects.filter(
        **{f"{field}_id__in": pks}, kind__in=kinds
    ).values_list(f"{field}_id", "kind", "digest"):
        strong.setdefault(pk, {"phone": set(), "document": set()})[kind].add(digest)
    rows, citizenships = _identity_rows(subject, pks)
    out = {}
    for row in rows:
        got = strong.get(row["pk"], {"phone": (), "document": ()})
        values = {**row, "sex": row["sex__code"], "citizenships": citizenships.get(row["pk"])}
        out[row["pk"]] = dataclasses.replace(
            record_from_values(values),
            phones=frozenset(got["phone"]),
            documents=frozenset(got["document"]),
        )
    return out


IDENTITY_COLUMNS = (
    "pk",
    "given_name_ar",
    "family_name_ar",
    "given_name_lat",
    "family_name_lat",
    "sex__code",
    "birth_date",
    "birth_date_precision",
)


def _identity_rows(subject, pks):
    """The compared fields of these records as dicts, and ``{pk: [citizenship codes]}``."""
    from himaya.justice.models import Suspect
    from himaya.people.models import Person

    if subject == Subject.PERSON:
        rows = Person.objects.filter(pk__in=pks).values(
            *IDENTITY_COLUMNS, "estimated_age", "estimated_on"
        )
        citizenships = {}
        through = Person.citizenships.through.objects.filter(person_id__in=pks)
        for pk, code in through.values_list("person_id", "code__code"):
            citizenships.setdefault(pk, []).append(code)
        return list(rows), citizenships
    rows = list(Suspect.objects.filter(pk__in=pks).values(*IDENTITY_COLUMNS, "citizenship__code"))
    return rows, {r["pk"]: [r["citizenship__code"]] for r in rows if r["citizenship__code"]}


def _load(subject, candidates):
    """The candidates the user is shown, with their model instances; one removed since it was
    scored (an erasure) is left out."""
    from himaya.justice.models import Suspect
    from himaya.people.models import Person

    if subject == Subject.PERSON:
        objs = (
            Person.objects.defer("contacts").select_related("sex").prefetch_related("citizenships")
        )
    else:
        objs = Suspect.objects.select_related("sex", "citizenship")
    loaded = objs.in_bulk([c.pk for c in candidates])
    for c in candidates:
        c.obj = loaded.get(c.pk)
    return [c for c in candidates if c.obj is not None]


def register_size(subject):
    """How many records of ``subject`` there are. On PostgreSQL a large table's planner
    estimate (``pg_class.reltuples``, kept by ANALYZE) is read instead of counting a million
    rows for each entry: frequencies and the prior need only the order of magnitude."""
    estimated, n = register_count(subject)
    return n if estimated else max(n, REGISTER_FLOOR)


def register_count(subject):
    """(True, the planner's estimate) for a table as large as ESTIMATE_FROM, else (False, the
    records counted now)."""
    from himaya.justice.models import Suspect
    from himaya.people.models import Person

    model = Person if subject == Subject.PERSON else Suspect
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
            )
            row = cursor.fetchone()
        if row and row[0] >= ESTIMATE_FROM:
            return True, int(row[0])
    return False, model.objects.count()


def frequencies(subject, digests):
    """Share of the records of ``subject`` holding each frequency digest, of a name or of a
    token (counts kept as records are written: NameFrequency)."""
    digests = [d for d in set(digests) if d]
    counts = dict(
        NameFrequency.objects.filter(subject=subject, digest__in=digests).values_list(
            "digest", "records"
        )
    )
    size = max(register_size(subject), max(counts.values(), default=1))
    return {d: counts.get(d, 0) / size for d in digests}


def pair_frequencies(subject, a: Record, b: Record) -> dict:
    """The name and token frequencies of a pair of records, as ``find`` scores them
    (``scoring.score``'s keyword arguments)."""
    names = [frequency_digest(a), frequency_digest(b)]
    keys = [token_keys(a), token_keys(b)]
    share = frequencies(subject, names + [token_digest(k) for ks in keys for k in ks])
    token_share = lambda k: share.get(token_digest(k), 0)  # noqa: E731
    both = [scoring.token_frequency(ks, token_share) for ks in keys]
    return {
        "name_frequency": max(share.get(d, 0) for d in names),
        "token_frequency": max(both) if min(both) > 0 else None,
    }


def _token_frequency(own, stored):
    """The larger of the two sides' token frequencies; none (no adjustment) when a stored
    record's tokens are not counted: keys written before token counts existed (until
    ``himaya reindex``), which would otherwise read as the rarest of names."""
    return max(own, stored) if stored > 0 else None


# A key held by more records than this says little (Mohamed born about 1990): it is left out of
# the look-up, as the batch leaves it out of its blocks, unless every key of the record is.
COMMON_KEY = 2000
# Each key's records are read from the covering index (at most COMMON_KEY + 1 of them) into one
# array, so that telling the common keys apart costs nothing more (three passes over every hit
# before: 11 ms against 7.5 ms a look-up at 1M records).
RANKED_SQL = """
WITH per_key AS (
    SELECT x.ids
    FROM unnest(%(digests)s::text[]) AS d(digest)
    CROSS JOIN LATERAL (
        SELECT array_agg(s.record_id) AS ids FROM (
            SELECT k.{field}_id AS record_id FROM linkage_blockingkey k
            WHERE k.digest = d.digest AND k.{field}_id IS NOT NULL LIMIT %(cap)s
        ) s
    ) x
), rare AS (
    SELECT ids FROM per_key WHERE cardinality(ids) <= %(common)s
), kept AS (
    SELECT ids FROM rare
    UNION ALL SELECT ids FROM per_key WHERE NOT EXISTS (SELECT 1 FROM rare)
)
SELECT r.record_id FROM kept CROSS JOIN LATERAL unnest(kept.ids) AS r(record_id)
WHERE NOT (r.record_id = ANY(%(exclude)s))
GROUP BY r.record_id ORDER BY count(*) DESC, r.record_id LIMIT %(limit)s
"""


def _ranked(field, digests, exclude):
    """The records sharing most keys with the new one, at most LOOKUP_LIMIT. On PostgreSQL
    each key reads at most COMMON_KEY + 1 index entries (a bounded look-up at any size)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                RANKED_SQL.format(field=field),
                {
                    "digests": digests,
                    "cap": COMMON_KEY + 1,
                    "common": COMMON_KEY,
                    "exclude": [int(pk) for pk in exclude],
                    "limit": LOOKUP_LIMIT,
                },
            )
            return [row[0] for row in cursor.fetchall()]
    return ranked_orm(field, digests, exclude)


def ranked_orm(field, digests, exclude, bound=None):
    """``_ranked``'s look-up through the ORM (other databases than PostgreSQL), among the
    records up to ``bound`` when given (an import's chunk, linkage.entry_batch)."""
    keys = BlockingKey.objects.filter(digest__in=digests, **{f"{field}__isnull": False})
    if bound is not None:
        keys = keys.filter(**{f"{field}_id__lte": bound})
    ranked = (
        keys.exclude(**{f"{field}_id__in": list(exclude)})
        .values(f"{field}_id")
        .annotate(shared=Count("*"))
        .order_by("-shared", f"{field}_id")[:LOOKUP_LIMIT]
    )
    return [row[f"{field}_id"] for row in ranked]


def find(subject, record: Record, *, exclude=(), threshold=None, params=None):
    """Scored candidates of ``record`` among all records of ``subject``, best first, whatever
    the reader may see: callers decide what to show."""
    if not record.has_name:
        return []
    field = _subject_field(subject)
    digests = [crypto.blind_digest(k) for k in query_keys(record)]
    if not digests:
        return []
    pks = _ranked(field, digests, exclude)
    if not pks:
        return []
    params = scoring.for_register(params or scoring.current_parameters(), register_size(subject))
    threshold = settings.HIMAYA_LINKAGE_ENTRY_PERCENT / 100 if threshold is None else threshold
    stored = stored_records(subject, pks)
    share = frequencies(subject, wanted_digests(record, stored))
    return score_stored(record, stored, share, params, threshold)


def wanted_digests(record: Record, stored: dict) -> list:
    """The frequency digests scoring ``record`` against the ``stored`` records reads: the
    names' and the tokens'."""
    names = [frequency_digest(other) for other in stored.values()]
    tokens = {k for other in [record, *stored.values()] for k in token_keys(other)}
    return [frequency_digest(record), *names, *(token_digest(k) for k in tokens)]


def score_stored(record: Record, stored: dict, share: dict, params: dict, threshold: float):
    """The ``stored`` records ({pk: Record}) scoring at least ``threshold`` against
    ``record``, best first; ``share``: frequency digest → share of the register holding it."""
    mine = keyed(record)
    own = frequency_digest(record)
    token_share = lambda k: share.get(token_digest(k), 0)  # noqa: E731
    own_tokens = scoring.token_frequency(token_keys(record), token_share)
    found = []
    for pk, other in stored.items():
        result = scoring.score(
            mine,
            other,
            params,
            name_frequency=max(share.get(own, 0), share.get(frequency_digest(other), 0)),
            token_frequency=_token_frequency(
                own_tokens, scoring.token_frequency(token_keys(other), token_share)
            ),
        )
        if result.probability >= threshold:
            found.append(Candidate(pk, result, other))
    found.sort(key=lambda c: (-c.score.weight, c.pk))
    return found


def visible_pks(user, subject, pks):
    """Which of ``pks`` (persons or suspects) the user may see, read 2,000 at a time."""
    from himaya.justice.models import Suspect
    from himaya.people.models import Person

    model = Person if subject == Subject.PERSON else Suspect
    pks = list(pks)
    seen = set()
    for i in range(0, len(pks), 2000):
        seen.update(
            model.objects.visible_to(user)
            .filter(pk__in=pks[i : i + 2000])
            .values_list("pk", flat=True)
        )
    return seen


def _split(user, subject, found):
    seen = visible_pks(user, subject, [c.pk for c in found])
    visible = [c for c in found if c.pk in seen]
    return visible, len(found) - len(visible)


def log_person_reads(user, found, visible, hidden):
    """The reads a person's candidates are audited with: the ``hidden`` matches (the user
    learnt only that a match exists elsewhere; who was matched is recorded, so that repeated
    probing for a name shows in the audit trail), then the ``visible`` candidates shown."""
    shown = {c.pk for c in visible}
    if hidden:
        log.read_many(
            user,
            [c.pk for c in found if c.pk not in shown],
            "people.person",
            "linkage:hidden match",
        )
    if visible:
        log.read_many(user, [c.pk for c in visible], "people.person", "linkage:entry candidates")


def entry_candidates(user, subject, record, *, exclude=()):
    found = find(subject, record, exclude=exclude)
    visible, hidden = _split(user, subject, found)
    visible = _load(subject, visible)
    for c in visible:
        c.reasons = scoring.explain(keyed(record), c.record, c.score.levels, with_names=True)
    if subject == Subject.PERSON:
        log_person_reads(user, found, visible, hidden)
        if visible:
            _describe_persons(user, visible)
    elif visible:
        _describe_suspects(user, visible)
    return EntryCandidates(visible, hidden)


def _describe_persons(user, visible):
    """What the user may see of each candidate: the dossiers they see with the identity."""
    from himaya.cases.models import Dossier

    dossiers = {}
    # The candidates' dossiers first (an index on the person), then which of them the user
    # sees with the identity, read for those rows only (access.Visible's point form).
    theirs = list(
        Dossier.objects.filter(person_id__in=[c.pk for c in visible]).values_list("pk", flat=True)
    )
    for d in (
        Dossier.objects.visible_to(user)
        .with_identity_for(user)
        .filter(pk__in=theirs)
        .order_by("pk")
    ):
        dossiers.setdefault(d.person_id, []).append(
            {"url": reverse("cases:detail", args=[d.pk]), "label": d.reference}
        )
    for c in visible:
        c.url = reverse("people:detail", args=[c.pk])
        c.citizenships = list(c.obj.citizenships.all())
        c.dossiers = dossiers.get(c.pk, [])


def _describe_suspects(user, visible):
    from himaya.justice.models import Investigation, InvestigationSuspect

    links = {}
    theirs = list(
        InvestigationSuspect.objects.filter(suspect_id__in=[c.pk for c in visible]).values_list(
            "investigation_id", flat=True
        )
    )
    for inv in (
        Investigation.objects.visible_to(user)
        .filter(pk__in=theirs, suspects__in=[c.pk for c in visible])
        .values("pk", "reference", "suspects")
        .order_by("pk")
    ):
        links.setdefault(inv["suspects"], []).append(
            {"url": reverse("justice:detail", args=[inv["pk"]]), "label": inv["reference"]}
        )
    for c in visible:
        c.dossiers = links.get(c.pk, [])
        c.url = c.dossiers[0]["url"] if c.dossiers else ""
        c.citizenships = [c.obj.citizenship] if c.obj.citizenship_id else []


def entry_candidates_for_person(user, values, *, exclude=()):
    return entry_candidates(user, Subject.PERSON, record_from_values(values), exclude=exclude)


def entry_candidates_for_suspect(user, values, *, exclude=()):
    return entry_candidates(user, Subject.SUSPECT, record_from_values(values), exclude=exclude)


def ordered(a_pk, b_pk):
    return (a_pk, b_pk) if a_pk < b_pk else (b_pk, a_pk)


def propose(subject, a_pk, b_pk, result, *, source, reason="", organisation=None):
    """Put a pair on the desk, once: an existing open pair keeps its place; a pair decided
    "different" comes back only when one of its records changed since the decision."""
    left, right = ordered(a_pk, b_pk)
    field = _subject_field(subject)
    lookup = {"subject": subject, f"left_{field}_id": left, f"right_{field}_id": right}
    pair = CandidatePair.objects.filter(**lookup).first()
    if pair is not None:
        if pair.status == PairStatus.DIFFERENT:
            versions = current_versions(subject, left, right)
            if versions == (pair.left_version, pair.right_version):
                return pair, False
        elif pair.status != PairStatus.UNLINKED:
            if reason and not pair.reason:
                CandidatePair.objects.filter(pk=pair.pk).update(
                    reason=crypto.encrypt(reason), requested_by_org=organisation
                )
            return pair, False
        pair.status = PairStatus.OPEN
        pair.source = source
        pair.probability, pair.weight, pair.levels = (
            result.probability,
            result.weight,
            result.levels,
        )
        pair.reason = reason or pair.reason
        pair.requested_by_org = organisation or pair.requested_by_org
        pair.save()
        return pair, True
    pair = CandidatePair.objects.create(
        **lookup,
        probability=result.probability,
        weight=result.weight,
        levels=result.levels,
        source=source,
        reason=reason,
        requested_by_org=organisation,
    )
    return pair, True


def record_entry(user, subject, obj, values, *, organisation, send_hidden, reason=""):
    """After a record was saved despite candidates: remember the choice, and when the user
    asked, send the candidates they may not see to the linkage desk (looked up again here)."""
    found = find(subject, record_from_values(values), exclude=[obj.pk])
    visible, hidden = _split(user, subject, found)
    sent = 0
    if send_hidden:
        seen = {c.pk for c in visible}
        for c in found:
            if c.pk not in seen:
                _pair, created = propose(
                    subject,
                    obj.pk,
                    c.pk,
                    c.score,
                    source=PairSource.REQUEST,
                    reason=reason,
                    organisation=organisation,
                )
                sent += created
    field = _subject_field(subject)
    EntryCheck.objects.create(
        subject=subject,
        **{field: obj},
        user=user,
        organisation=organisation,
        visible_candidates=len(visible),
        hidden_candidates=hidden,
        outcome=EntryCheck.Outcome.SENT if send_hidden and hidden else EntryCheck.Outcome.SAVED_NEW,
    )
    log.write(
        user,
        "linkage_entry_decision",
        obj,
        ["sent_to_desk"] if send_hidden and hidden else [],
        organisation_id=getattr(organisation, "pk", None),
    )
    return sent


def known_elsewhere(user, person):
    """Whether a record linked to ``person`` as the same person is one the user may not see:
    its existence only (and the pairs it was linked through, for a request to the desk)."""
    from himaya.people.models import Person

    root = person.same_as_id or person.pk
    group = set(Person.objects.filter(same_as_id=root).values_list("pk", flat=True)) | {root}
    others = group - {person.pk}
    if not others:
        return None
    if not others - visible_pks(user, Subject.PERSON, others):
        return None
    pairs = CandidatePair.objects.filter(subject=Subject.PERSON, status=PairStatus.LINKED).filter(
        models.Q(left_person_id__in=group) & models.Q(right_person_id__in=group)
    )
    return {"person": person, "pair": pairs.order_by("pk").first()}
