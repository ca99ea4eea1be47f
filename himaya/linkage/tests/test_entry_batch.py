"""An import's searches answered a chunk at a time (entry_batch) tell each row what the one-row
search (candidates.entry_candidates) told it: the same candidates, scores, reasons, hidden
matches and audit rows, on a seeded set of namesakes; and, for records created one after the
other, each search as it was at its row (the records created after it left out, the register's
size and the names' counts of its moment), with the same keys and counts written."""

import datetime
import random

import pytest
from django.db import transaction

from himaya.audit.models import AccessEvent
from himaya.justice import actions as ja
from himaya.linkage import candidates, entry_batch
from himaya.linkage.models import BlockingKey, NameFrequency, Subject
from himaya.linkage.records import record_from_values
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

GIVEN = ["Fatima", "Fatima Zahra", "Fatema", "Nadia", "Khadija"]
FAMILY = ["El Amrani", "Amrani", "Benali", "Tazi"]
GIVEN_AR = {"Fatima": "فاطمة", "Nadia": "نادية", "Khadija": "خديجة"}


def _values(rng):
    given = rng.choice(GIVEN)
    return {
        "given_name_lat": given,
        "given_name_ar": GIVEN_AR.get(given, "") if rng.random() < 0.3 else "",
        "family_name_lat": rng.choice(FAMILY),
        "sex": "female",
        "birth_date": datetime.date(rng.randint(1990, 1992), rng.choice([1, 6]), 1),
        "birth_date_precision": rng.choice(["exact", "year"]),
        "citizenships": [rng.choice(["MA", "MA", "NG"])],
    }


def _person(user, org, values):
    fields = {k: v for k, v in values.items() if k not in ("sex", "citizenships")}
    citizenships = [f.code("country", c) for c in values["citizenships"]]
    return f.person(user, org, sex=f.code("sex", "female"), citizenships=citizenships, **fields)


def _suspect(user, inv, values):
    fields = {k: v for k, v in values.items() if k not in ("sex", "citizenships")}
    return ja.add_suspect(
        inv,
        acting_user=user,
        added_on=inv.opened_on,
        sex=f.code("sex", "female"),
        citizenship=f.code("country", values["citizenships"][0]),
        **fields,
    )


def _shape(answer, names=None, subject=None):
    """What an answer says, the records named through ``names`` ((subject, pk) → a name the
    same in both runs) when given."""
    names = names or {}
    return (
        [
            (
                names.get((subject, c.pk), c.pk),
                c.score.probability,
                c.score.weight,
                c.score.levels,
                c.reasons,
                getattr(c, "dossiers", None),
                getattr(c, "url", "").replace(f"/{c.pk}/", "/<pk>/"),
                [x.pk for x in getattr(c, "citizenships", [])],
            )
            for c in answer.visible
        ],
        answer.hidden,
    )


def _reads(after):
    return list(
        AccessEvent.objects.filter(pk__gt=after)
        .order_by("pk")
        .values_list("actor_id", "person_id", "object_type", "object_id", "purpose")
    )


def _last_read():
    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_a_chunk_of_searches_answers_as_one_search_each(users, orgs):
    rng = random.Random(16)
    for i in range(30):
        who = "alice" if i % 2 else "bob"
        _person(users[who], orgs["ngo_a" if i % 2 else "ngo_b"], _values(rng))
    probes = [_values(rng) for _ in range(15)]
    alice = users["alice"]

    before = _last_read()
    one = [
        candidates.entry_candidates(alice, Subject.PERSON, record_from_values(v)) for v in probes
    ]
    one_reads = _reads(before)
    answers = []
    before = _last_read()
    with entry_batch.session() as chunk:
        for values in probes:
            chunk.search(alice, Subject.PERSON, values, done=answers.append)
    assert [_shape(a) for a in answers] == [_shape(a) for a in one]
    assert _reads(before) == one_reads
    # The seeded set tells both kinds of answer apart.
    assert sum(bool(a.visible) for a in one) >= 3
    assert sum(a.hidden > 0 for a in one) >= 3


def _created_one_by_one(users, orgs, inv, items, chunk):
    """Create the items' records one after the other and search for each just after it was
    created: at once without ``chunk``, in the chunk with it. Returns (record names by pk,
    the answers)."""
    names, answers = {}, []
    for n, (subject, who, values) in enumerate(items):
        if subject == Subject.PERSON:
            obj = _person(users[who], orgs["ngo_a" if who == "alice" else "ngo_b"], values)
        else:
            obj = _suspect(users["carol"], inv, values)
        names[(subject, obj.pk)] = ("created", n)
        reader = users["alice"] if subject == Subject.PERSON else users["carol"]
        if chunk is None:
            record = record_from_values(values)
            answers.append(candidates.entry_candidates(reader, subject, record, exclude=[obj.pk]))
        else:
            chunk.search(reader, subject, values, exclude=[obj.pk], done=answers.append)
    return names, answers


def _written(names):
    def owner(key):
        subject = Subject.PERSON if key.person_id else Subject.SUSPECT
        pk = key.person_id or key.suspect_id
        return names.get((subject, pk), ("before", pk))

    keys = sorted((k.digest, k.kind, owner(k)) for k in BlockingKey.objects.all())
    counts = sorted(NameFrequency.objects.values_list("subject", "digest", "records"))
    return keys, counts


def test_searches_held_while_records_are_created_answer_as_they_would_have(
    users, orgs, monkeypatch
):
    # A register this small is taken as 1,000 records; counted here, so that each search's
    # moment (the records created before it) shows in its scores.
    monkeypatch.setattr(candidates, "REGISTER_FLOOR", 1)
    rng = random.Random(7)
    for i in range(12):
        _person(
            users["alice" if i % 3 else "bob"], orgs["ngo_a" if i % 3 else "ngo_b"], _values(rng)
        )
    inv = ja.open_investigation(
        acting_user=users["carol"],
        organisation=orgs["police"],
        opened_on=datetime.date(2024, 1, 10),
    )
    for _i in range(6):
        _suspect(users["carol"], inv, _values(rng))
    items = [
        (
            rng.choice([Subject.PERSON, Subject.PERSON, Subject.SUSPECT]),
            rng.choice(["alice", "alice", "bob"]),
            _values(rng),
        )
        for _i in range(24)
    ]
    with transaction.atomic():
        names_one, one = _created_one_by_one(users, orgs, inv, items, None)
        written_one = _written(names_one)
        transaction.set_rollback(True)
    with entry_batch.session() as chunk:
        names, held = _created_one_by_one(users, orgs, inv, items, chunk)
        assert not held  # answered by the flush, not before
    subjects = [subject for subject, _who, _values in items]
    assert [_shape(a, names, s) for a, s in zip(held, subjects, strict=True)] == [
        _shape(a, names_one, s) for a, s in zip(one, subjects, strict=True)
    ]
    assert _written(names) == written_one
    assert sum(bool(a.visible) for a in one) >= 5
    assert sum(a.hidden > 0 for a in one) >= 2
    # Candidates created within the sequence are among them.
    assert any(
        (s, c.pk) in names_one for a, s in zip(one, subjects, strict=True) for c in a.visible
    )


def test_a_discarded_row_leaves_nothing_behind(users, orgs):
    """The keys and the search of a row rolled back are dropped with it (the engine marks
    before each row)."""
    rng = random.Random(3)
    values = _values(rng)
    answers = []
    alice = users["alice"]
    with entry_batch.session() as chunk:
        keep = _person(alice, orgs["ngo_a"], values)
        chunk.search(alice, Subject.PERSON, values, exclude=[keep.pk], done=answers.append)
        mark = chunk.mark()
        with transaction.atomic():
            dropped = _person(alice, orgs["ngo_a"], values)
            chunk.search(alice, Subject.PERSON, values, exclude=[dropped.pk], done=answers.append)
            transaction.set_rollback(True)
        chunk.discard(mark)
        assert chunk.pending() == 2
    assert len(answers) == 1 and not answers[0]
    assert set(BlockingKey.objects.values_list("person_id", flat=True)) == {keep.pk}
    assert set(NameFrequency.objects.values_list("records", flat=True)) == {1}
