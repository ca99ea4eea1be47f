"""Candidates at entry for the rows of an import, a chunk at a time (issue 16, speed).

An import creating a thousand suspects asked ``candidates.entry_candidates`` once a row: about
twenty queries each (the ranked look-up, the register counted twice, the stored records, the
name counts, the candidates' visibility), and its index writes two more a name. Here a
``Session`` holds a chunk of rows' new keys and searches (``records`` hands it the keys of the
records created while it is open, ``search`` the rows' look-ups), and ``flush`` writes the keys
in bulk, the name counts once a name, and answers every search with a few queries for the whole
chunk.

Each search is answered as it would have been at its row, with the records written by the rows
after it left out: the look-up reads only records up to the last one created before it (ids
grow), the register's size and each name's count are those of its moment (the counts before
the chunk plus what the rows before it added). ``flush`` must therefore run before anything
changes a record already written (an update; ``records._replace`` flushes itself when a
record's keys change) and the caller drops the events of a row it rolls back (``mark`` /
``discard``). ``test_entry_batch.py`` compares the answers with the one-row searches.
"""

import contextlib
import dataclasses
from collections import Counter

from django.conf import settings
from django.db import connection
from django.db.models import Case, F, IntegerField, Value, When

from himaya.core import crypto

from . import candidates as entry
from . import records, scoring
from .features import query_keys
from .models import BlockingKey, NameFrequency, Subject

# Rows' searches answered together: bounds what a flush holds in memory (200 candidates each).
CHUNK = 500
# No bound: every record (no record of this subject was created in the chunk).
UNBOUNDED = 2**62

RANKED_MANY_SQL = """
WITH q AS (
    SELECT * FROM unnest(%(items)s::int[], %(digests)s::text[], %(bounds)s::bigint[])
        AS q(item, digest, bound)
), per_key AS (
    SELECT q.item, x.ids
    FROM q CROSS JOIN LATERAL (
        SELECT array_agg(s.record_id) AS ids FROM (
            SELECT k.{field}_id AS record_id FROM linkage_blockingkey k
            WHERE k.digest = q.digest AND k.{field}_id IS NOT NULL AND k.{field}_id <= q.bound
            LIMIT %(cap)s
        ) s
    ) x
), rare AS (
    SELECT item, ids FROM per_key WHERE cardinality(ids) <= %(common)s
), kept AS (
    SELECT item, ids FROM rare
    UNION ALL SELECT p.item, p.ids FROM per_key p
    WHERE NOT EXISTS (SELECT 1 FROM rare WHERE rare.item = p.item)
), excluded AS (
    SELECT * FROM unnest(%(ex_items)s::int[], %(ex_ids)s::bigint[]) AS e(item, record_id)
), counted AS (
    SELECT kept.item, r.record_id, count(*) AS shared
    FROM kept CROSS JOIN LATERAL unnest(kept.ids) AS r(record_id)
    WHERE NOT EXISTS (
        SELECT 1 FROM excluded e WHERE e.item = kept.item AND e.record_id = r.record_id
    )
    GROUP BY kept.item, r.record_id
), ranked AS (
    SELECT item, record_id,
        row_number() OVER (PARTITION BY item ORDER BY shared DESC, record_id) AS n
    FROM counted
)
SELECT item, record_id FROM ranked WHERE n <= %(limit)s ORDER BY item, n
"""


@dataclasses.dataclass(eq=False)
class _Indexed:
    subject: str
    pk: int
    rows: list  # BlockingKey


@dataclasses.dataclass(eq=False)
class _Search:
    user: object
    subject: str
    record: object
    exclude: tuple
    done: object  # called with the EntryCandidates
    bound: int = UNBOUNDED
    digests: list = dataclasses.field(default_factory=list)
    # (register size, {digest: count of records holding it}) at the search's moment
    moment: tuple = None
    found: list = dataclasses.field(default_factory=list)


class Session:
    """The keys and searches of a chunk of rows, written and answered by ``flush``."""

    def __init__(self, *, describe=True):
        self.events = []
        self.describe = describe

    def mark(self):
        return len(self.events)

    def discard(self, mark):
        del self.events[mark:]

    def indexed(self, subject, pk, rows):
        self.events.append(_Indexed(subject, pk, rows))

    def search(self, user, subject, values, *, exclude=(), done):
        record = records.record_from_values(values)
        self.events.append(_Search(user, subject, record, tuple(exclude), done))

    def pending(self):
        return len(self.events)

    def flush(self):
        events, self.events = self.events, []
        if not events:
            return
        indexed = [e for e in events if isinstance(e, _Indexed)]
        BlockingKey.objects.bulk_create([row for e in indexed for row in e.rows], batch_size=1000)
        searches = [e for e in events if isinstance(e, _Search)]
        answers = _answer(events, searches, self.describe) if searches else []
        _count_names(indexed)
        for search, answer in zip(searches, answers, strict=True):
            search.done(answer)


@contextlib.contextmanager
def session(*, describe=True):
    """A Session for the rows written in this context (yielded); what it holds at the end is
    flushed when the context ends without an error. ``describe=False``: the candidates shown
    are not described (their dossiers and links, for a page), for a caller that keeps only
    which records they are (an import's notices)."""
    held = Session(describe=describe)
    token = records.hold_keys(held)
    try:
        yield held
    finally:
        records.release_keys(token)
    held.flush()


def _count_names(indexed):
    """The name counts of the records created, one update a count (NameFrequency: a row made
    the first time a name is met)."""
    deltas = Counter(
        (e.subject, row.digest)
        for e in indexed
        for row in e.rows
        if row.kind == BlockingKey.Kind.FREQUENCY
    )
    for subject in {s for s, _d in deltas}:
        mine = {d: n for (s, d), n in deltas.items() if s == subject}
        names = sorted(mine)
        NameFrequency.objects.bulk_create(
            [NameFrequency(subject=subject, digest=d, records=0) for d in names],
            ignore_conflicts=True,
            batch_size=1000,
        )
        for i in range(0, len(names), 200):
            part = names[i : i + 200]
            by = Case(
                *[When(digest=d, then=Value(mine[d])) for d in part],
                output_field=IntegerField(),
            )
            NameFrequency.objects.filter(subject=subject, digest__in=part).update(
                records=F("records") + by
            )


def _answer(events, searches, describe):
    """The EntryCandidates of each search, in order."""
    _bounds(events)
    params = scoring.current_parameters()
    threshold = settings.HIMAYA_LINKAGE_ENTRY_PERCENT / 100
    for subject in {s.subject for s in searches}:
        mine = [s for s in searches if s.subject == subject]
        for s in mine:
            s.digests = [crypto.blind_digest(k) for k in query_keys(s.record)]
        asked = [s for s in mine if s.record.has_name and s.digests]
        ranked = _ranked_many(entry._subject_field(subject), asked)
        stored = _stored(subject, {pk for pks in ranked for pk in pks})
        needed = {
            s: [d for d in set(entry.wanted_digests(s.record, _of(stored, pks))) if d]
            for s, pks in zip(asked, ranked, strict=True)
            if pks
        }
        _moments(events, subject, needed)
        for s, pks in zip(asked, ranked, strict=True):
            if not pks:
                continue
            size, counts = s.moment
            found_params = scoring.for_register(params, size)
            share_size = max(size, max(counts.values(), default=1))
            share = {d: counts.get(d, 0) / share_size for d in needed[s]}
            s.found = entry.score_stored(s.record, _of(stored, pks), share, found_params, threshold)
    return _shown(searches, describe)


def _of(stored, pks):
    return {pk: stored[pk] for pk in pks if pk in stored}


def _bounds(events):
    """Each search reads the records up to the last one created before it: those the rows
    after it created did not exist yet (ids grow with each record created)."""
    first = {}
    for e in events:
        if isinstance(e, _Indexed):
            first.setdefault(e.subject, e.pk)
    last = {subject: pk - 1 for subject, pk in first.items()}
    for e in events:
        if isinstance(e, _Indexed):
            last[e.subject] = e.pk
        else:
            e.bound = last.get(e.subject, UNBOUNDED)


def _ranked_many(field, searches):
    """Each search's ranked records (candidates.find's look-up), for all searches at once on
    PostgreSQL, one by one elsewhere."""
    if not searches:
        return []
    if connection.vendor != "postgresql":
        return [
            entry.ranked_orm(field, s.digests, s.exclude, None if s.bound == UNBOUNDED else s.bound)
            for s in searches
        ]
    items, digests, bounds, ex_items, ex_ids = [], [], [], [], []
    for i, s in enumerate(searches):
        for d in s.digests:
            items.append(i)
            digests.append(d)
            bounds.append(s.bound)
        for pk in s.exclude:
            ex_items.append(i)
            ex_ids.append(int(pk))
    out = [[] for _s in searches]
    with connection.cursor() as cursor:
        cursor.execute(
            RANKED_MANY_SQL.format(field=field),
            {
                "items": items,
                "digests": digests,
                "bounds": bounds,
                "ex_items": ex_items,
                "ex_ids": ex_ids,
                "cap": entry.COMMON_KEY + 1,
                "common": entry.COMMON_KEY,
                "limit": entry.LOOKUP_LIMIT,
            },
        )
        for item, pk in cursor.fetchall():
            out[item].append(pk)
    return out


def _stored(subject, pks):
    stored = {}
    pks = sorted(pks)
    for i in range(0, len(pks), 2000):
        stored.update(entry.stored_records(subject, pks[i : i + 2000]))
    return stored


def _moments(events, subject, needed):
    """Each search's register size and name counts as they were at its row: the counts
    before the chunk (its keys' counts are not written yet) plus the records created before
    it; the size counted now less the records created after it."""
    wanted = sorted({d for digests in needed.values() for d in digests})
    before = {}
    for i in range(0, len(wanted), 1000):
        before.update(
            NameFrequency.objects.filter(
                subject=subject, digest__in=wanted[i : i + 1000]
            ).values_list("digest", "records")
        )
    estimate, now = entry.register_count(subject)
    created = sum(1 for e in events if isinstance(e, _Indexed) and e.subject == subject)
    added = Counter()
    seen = 0
    for e in events:
        if isinstance(e, _Indexed) and e.subject == subject:
            seen += 1
            added.update(r.digest for r in e.rows if r.kind == BlockingKey.Kind.FREQUENCY)
        elif e in needed:
            size = now if estimate else max(now - (created - seen), entry.REGISTER_FLOOR)
            counts = {d: before.get(d, 0) + added[d] for d in needed[e] if d in before or added[d]}
            e.moment = (size, counts)


def _shown(searches, describe):
    """What each search's user is shown (candidates.entry_candidates after ``find``): the
    visible candidates described, the hidden ones counted, the reads audited, search by
    search."""
    answers = []
    by_key = {}
    for s in searches:
        by_key.setdefault((s.user, s.subject), []).append(s)
    seen, loaded = {}, {}
    for (user, subject), group in by_key.items():
        pks = sorted({c.pk for s in group for c in s.found})
        seen[(user, subject)] = entry.visible_pks(user, subject, pks)
        shown = sorted({c.pk for s in group for c in s.found if c.pk in seen[(user, subject)]})
        loaded[subject] = {**loaded.get(subject, {}), **_loaded(subject, shown)}
    described = {}
    for s in searches:
        visible = [c for c in s.found if c.pk in seen[(s.user, s.subject)]]
        hidden = len(s.found) - len(visible)
        objs = loaded[s.subject]
        visible = [dataclasses.replace(c, obj=objs[c.pk]) for c in visible if c.pk in objs]
        keyed = entry.keyed(s.record)
        for c in visible:
            c.reasons = scoring.explain(keyed, c.record, c.score.levels, with_names=True)
        described.setdefault((s.user, s.subject), []).extend(visible)
        answers.append(entry.EntryCandidates(visible, hidden))
    for (user, subject), visible in described.items():
        if visible and describe:
            person = subject == Subject.PERSON
            (entry._describe_persons if person else entry._describe_suspects)(user, visible)
    for s, answer in zip(searches, answers, strict=True):
        if s.subject == Subject.PERSON:
            entry.log_person_reads(s.user, s.found, answer.visible, answer.hidden)
    return answers


def _loaded(subject, pks):
    found = {}
    for i in range(0, len(pks), 2000):
        part = [entry.Candidate(pk, None, None) for pk in pks[i : i + 2000]]
        found.update((c.pk, c.obj) for c in entry._load(subject, part))
    return found
