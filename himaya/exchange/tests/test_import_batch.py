"""Issue 16 (speed): an import holds its rows' audit rows and linkage searches and writes them a
chunk at a time (engine._Deferred). The same register imported with the linkage searched row by
row (the entry session's provider removed) and held gives the same notices, errors and
warnings, the same audit rows in the same order, and the same keys and name counts."""

import random

import pytest
from django.db import transaction
from django.utils import translation

from himaya.audit import log
from himaya.audit.models import AccessEvent, AuditEvent
from himaya.core import hooks
from himaya.exchange import engine, services
from himaya.justice import models as jm
from himaya.linkage import entry_batch
from himaya.linkage.models import BlockingKey, NameFrequency

from .helpers import workbook

pytestmark = pytest.mark.django_db

GIVEN = [("Karim", "كريم"), ("Said", "سعيد"), ("Nadia", "نادية")]
FAMILY = ["Benali", "Ben Ali", "Tazi"]


def register(prefix, suspects, seed, bad=()):
    """Two investigations and ``suspects`` namesakes in them; the rows numbered in ``bad``
    name their investigation twice: the suspect is created (its keys, its audit row, its
    search held) before the second link is refused."""
    rng = random.Random(seed)
    data = {
        "investigations": [
            ["ref", "opened_on", "region", "forms", "status"],
            [f"{prefix}-E1", "2024-01-10", "", "sexual", "open"],
            [f"{prefix}-E2", "2024-02-10", "", "labour", "open"],
        ],
        "suspects": [
            [
                "ref",
                "investigation_ref",
                "given_name_ar",
                "given_name_lat",
                "family_name_lat",
                "sex",
                "birth_date",
                "citizenship",
            ]
        ],
    }
    for i in range(suspects):
        latin, arabic = rng.choice(GIVEN)
        investigation = f"{prefix}-E{1 + i % 2}"
        data["suspects"].append(
            [
                f"{prefix}-S{i}",
                f"{investigation}; {investigation}" if i in bad else investigation,
                arabic if rng.random() < 0.4 else "",
                latin,
                rng.choice(FAMILY),
                "male",
                f"{rng.choice([1980, 1981])}-0{rng.choice([1, 5])}-01",
                rng.choice(["MA", "DZ"]),
            ]
        )
    return data


def _import(users, orgs, data, commit, refs=None):
    """The run's Result; ``refs`` gets the register reference of each suspect the run wrote,
    read as it is written (a dry run's are rolled back)."""

    def written(row):
        if refs is not None and row.kind.key == "suspects" and not row.failed:
            refs.update(
                jm.Suspect.objects.filter(external_ref=row.ref).values_list("pk", "external_ref")
            )

    with translation.override("en"):
        return services.run_import(
            workbook(data),
            "register.xlsx",
            user=users["paula"],
            organisation=orgs["parquet"],
            commit=commit,
            confirmed=True,
            on_row=written,
        )[1]


def _outcome(users, orgs, data, commit, audit_after, access_after):
    """What a run says and wrote, the suspects named by their register reference."""
    refs = dict(jm.Suspect.objects.values_list("pk", "external_ref"))
    result = _import(users, orgs, data, commit, refs)
    notices = [
        (n.sheet, n.row, n.subject, [refs[pk] for pk in n.visible], n.hidden)
        for n in result.notices
    ]
    errors = [(e.sheet, e.row, e.column, e.message) for e in result.errors]
    warnings = [(w.sheet, w.row, w.column, w.message) for w in result.warnings]
    audit = [
        (e.actor_id, e.organisation_id, e.action, e.object_type, e.changed_fields, e.outcome)
        for e in AuditEvent.objects.filter(pk__gt=audit_after).order_by("pk")
    ]
    reads = list(
        AccessEvent.objects.filter(pk__gt=access_after)
        .order_by("pk")
        .values_list("actor_id", "person_id", "object_type", "purpose")
    )
    owners = {pk: refs.get(pk) for pk in refs}
    keys = sorted(
        (k.digest, k.kind, owners.get(k.suspect_id))
        for k in BlockingKey.objects.filter(suspect__isnull=False)
    )
    counts = sorted(NameFrequency.objects.values_list("subject", "digest", "records"))
    return notices, errors, warnings, audit, reads, keys, counts, result.counts


def _last(model):
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _both(users, orgs, data, commit, monkeypatch):
    """The register imported row by row, rolled back, then held: both outcomes."""
    audit_after, access_after = _last(AuditEvent), _last(AccessEvent)
    with transaction.atomic():
        with monkeypatch.context() as m:
            m.delitem(hooks._providers, "entry_session")
            row_by_row = _outcome(users, orgs, data, commit, audit_after, access_after)
        transaction.set_rollback(True)
    held = _outcome(users, orgs, data, commit, audit_after, access_after)
    return row_by_row, held


def test_a_held_import_writes_and_notes_what_a_row_by_row_import_did(users, orgs, monkeypatch):
    assert _import(users, orgs, register("OLD", 12, seed=1), commit=True).committed
    monkeypatch.setattr(engine, "CHUNK", 7)  # several chunks, one flushed within a kind
    row_by_row, held = _both(users, orgs, register("NEW", 30, seed=2), True, monkeypatch)
    assert held == row_by_row
    notices, errors, _w, audit, _r, keys, _c, counts = held
    assert errors == [] and counts["suspects"]["created"] == 30
    assert len(notices) >= 10
    # Candidates among the file's own rows, and among those imported before.
    named = {ref for n in notices for ref in n[3]}
    assert any(r.startswith("NEW") for r in named) and any(r.startswith("OLD") for r in named)
    assert len(audit) >= 2 * 30 and len(keys) > 30


def test_a_refused_row_drops_what_it_held(users, orgs, monkeypatch):
    assert _import(users, orgs, register("OLD", 8, seed=3), commit=True).committed
    data = register("NEW", 16, seed=4, bad={3, 9})
    row_by_row, held = _both(users, orgs, data, False, monkeypatch)
    assert held == row_by_row
    notices, errors = held[0], held[1]
    assert [(e[0], e[1]) for e in errors] == [("suspects", 5), ("suspects", 11)]
    assert notices and all(n[1] not in (5, 11) for n in notices)


def test_what_a_refused_row_held_is_not_written(users, orgs, monkeypatch):
    """The audit rows and the keys a refused row held are dropped (a dry run rolls every
    write back, so they are counted as they are flushed)."""
    flushed = {"create_suspect": 0, "indexed": 0}
    audit_flush, keys_flush = log.Buffer.flush, entry_batch.Session.flush

    def audit(buffer):
        flushed["create_suspect"] += sum(e.action == "create_suspect" for e in buffer.writes)
        audit_flush(buffer)

    def keys(session):
        flushed["indexed"] += sum(isinstance(e, entry_batch._Indexed) for e in session.events)
        keys_flush(session)

    monkeypatch.setattr(log.Buffer, "flush", audit)
    monkeypatch.setattr(entry_batch.Session, "flush", keys)
    result = _import(users, orgs, register("NEW", 16, seed=4, bad={3, 9}), commit=False)
    assert len(result.errors) == 2
    assert flushed == {"create_suspect": 14, "indexed": 14}


def test_the_audit_buffer_writes_what_was_kept_as_it_was_logged(users):
    alice = users["alice"]
    before = _last(AuditEvent), _last(AccessEvent)
    with log.buffered() as buffer:
        log.write(alice, "kept", ("people.person", "1"), ["b", "a", "a"])
        mark = buffer.mark()
        log.write(alice, "dropped", ("people.person", "2"))
        log.read_many(alice, [7, 8], "people.person", "dropped")
        buffer.discard(mark)
        log.read(alice, 9, ("people.person", "9"), "kept")
        log.read_many(alice, [10], "people.person", "kept too")
        assert (_last(AuditEvent), _last(AccessEvent)) == before  # nothing written yet
    writes = AuditEvent.objects.filter(pk__gt=before[0])
    assert [(e.action, e.object_id, e.changed_fields) for e in writes] == [
        ("kept", "1", ["a", "b"])
    ]
    reads = AccessEvent.objects.filter(pk__gt=before[1]).order_by("pk")
    assert [(e.person_id, e.purpose) for e in reads] == [(9, "kept"), (10, "kept too")]
    assert {e.actor_username for e in [*writes, *reads]} == {"alice"}


def test_what_the_rows_held_failing_to_be_written_refuses_the_file(users, orgs, monkeypatch):
    def broken(session):
        raise RuntimeError("a fault of ours")

    monkeypatch.setattr(entry_batch.Session, "flush", broken)
    before = _last(AuditEvent), jm.Suspect.objects.count()
    result = _import(users, orgs, register("NEW", 6, seed=5), commit=True)
    assert not result.committed
    assert [e.message for e in result.errors] == [
        "This file could not be imported (an internal error); nothing was written."
    ]
    assert (_last(AuditEvent), jm.Suspect.objects.count()) == before
