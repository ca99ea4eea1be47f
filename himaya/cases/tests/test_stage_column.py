"""A dossier's stage and its date are kept on the dossier by the database (migration cases 0006),
whoever writes the stage events: after any mix of inserts, bulk inserts, date changes, moves to
another dossier and deletions, every dossier holds its latest event's stage and date (by date,
then by record), as the subquery the lists used to run per dossier computed it. And Django never
writes them back from a stale instance."""

import random
import re
from datetime import date, timedelta

import pytest
from django.db import connection

from himaya.cases import actions
from himaya.cases.models import Dossier, Stage, StageEvent
from himaya.testing import factories as f


def latest_by_events(dossier_ids):
    """The reference: each dossier's latest event, found in Python."""
    found = dict.fromkeys(dossier_ids)
    for e in StageEvent.objects.filter(dossier_id__in=dossier_ids):
        best = found[e.dossier_id]
        if best is None or (e.on, e.pk) > (best.on, best.pk):
            found[e.dossier_id] = e
    return {d: (e.stage, e.on) if e else (None, None) for d, e in found.items()}


def stored(dossier_ids):
    rows = Dossier.objects.filter(pk__in=dossier_ids).values_list("pk", "stage", "stage_on")
    return {pk: (stage, on) for pk, stage, on in rows}


@pytest.mark.parametrize("seed", range(3))
def test_the_stored_stage_is_the_latest_event_after_any_writes(users, orgs, seed, figure):
    rng = random.Random(seed)
    alice = users["alice"]
    dossiers = [f.dossier(alice, orgs["ngo_a"]) for _ in range(4)]
    ids = [d.pk for d in dossiers]
    stages = list(Stage)
    day = date(2024, 1, 1)
    checked = 0
    for _ in range(40):
        op = rng.choice(["create", "bulk", "redate", "move", "delete"])
        events = list(StageEvent.objects.filter(dossier_id__in=ids))
        if op == "create":
            StageEvent.objects.create(
                dossier_id=rng.choice(ids),
                stage=rng.choice(stages),
                on=day + timedelta(days=rng.randint(0, 30)),
                actor=alice,
                organisation=orgs["ngo_a"],
            )
        elif op == "bulk":
            StageEvent.objects.bulk_create(
                StageEvent(
                    dossier_id=rng.choice(ids),
                    stage=rng.choice(stages),
                    on=day + timedelta(days=rng.randint(0, 30)),
                    actor=alice,
                    organisation=orgs["ngo_a"],
                )
                for _ in range(rng.randint(2, 5))
            )
        elif op == "redate" and events:
            chosen = rng.sample(events, min(len(events), 2))
            StageEvent.objects.filter(pk__in=[e.pk for e in chosen]).update(
                on=day + timedelta(days=rng.randint(0, 40))
            )
        elif op == "move" and events:
            StageEvent.objects.filter(pk=rng.choice(events).pk).update(dossier_id=rng.choice(ids))
        elif op == "delete" and events:
            StageEvent.objects.filter(pk=rng.choice(events).pk).delete()
        assert stored(ids) == latest_by_events(ids), (seed, op)
        checked += 1
    # Every event of a dossier deleted: no stage, as no event.
    StageEvent.objects.filter(dossier_id=ids[0]).delete()
    assert stored([ids[0]]) == {ids[0]: (None, None)}
    figure(f"dossier stage column, seed {seed}: {checked} writes → 0 differ from the events")


def test_saving_a_stale_dossier_keeps_the_stage_the_database_holds(users, orgs):
    alice = users["alice"]
    dossier = f.dossier(alice, orgs["ngo_a"])
    stale = Dossier.objects.get(pk=dossier.pk)
    assert stale.stage == Stage.SCREENING
    actions.change_stage(dossier, acting_user=alice, stage=Stage.PRESUMED)
    assert dossier.current_stage == Stage.PRESUMED  # the action's own instance follows
    stale.exploitation_city = "Tanger"
    stale.save()
    again = Dossier.objects.get(pk=dossier.pk)
    assert (again.stage, again.exploitation_city) == (Stage.PRESUMED, "Tanger")
    # Named explicitly, the kept fields are still not written.
    stale.stage = Stage.CLOSED
    stale.save(update_fields=["stage", "exploitation_city"])
    assert Dossier.objects.get(pk=dossier.pk).stage == Stage.PRESUMED
    # A dossier read without some fields saves the others only, as Django does.
    partial = Dossier.objects.only("pk", "caseworker").get(pk=dossier.pk)
    partial.caseworker = None
    partial.save()
    again = Dossier.objects.get(pk=dossier.pk)
    assert (again.caseworker, again.exploitation_city) == (None, "Tanger")


def test_an_events_other_fields_changed_leave_the_dossier_alone(users, orgs):
    """Only a change of an event's dossier, stage or date rewrites dossiers: a reason edited
    (an erasure, a correction) writes no dossier, so the data revision stays."""
    from himaya.statistics.revision import data_revision

    dossier = f.dossier(users["alice"], orgs["ngo_a"])
    event = StageEvent.objects.get(dossier=dossier)
    before = data_revision()
    StageEvent.objects.filter(pk=event.pk).update(reason="corrected")
    assert data_revision() == before
    StageEvent.objects.filter(pk=event.pk).update(on=event.on - timedelta(days=3))
    assert data_revision() != before
    assert stored([dossier.pk]) == {dossier.pk: (Stage.SCREENING, event.on - timedelta(days=3))}


@pytest.fixture
def trigger_plans(db):
    """The plans PostgreSQL runs inside triggers, read with auto_explain (its notices; loading
    it takes a superuser, as the tests' PostgreSQL role is)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if not cursor.fetchone()[0]:
            pytest.skip("auto_explain is loaded by a superuser only")
    plans = []
    raw = connection.connection

    def keep(diagnostic):
        plans.append(diagnostic.message_primary or "")

    raw.add_notice_handler(keep)
    with connection.cursor() as cursor:
        cursor.execute("LOAD 'auto_explain'")
        for name, value in [
            ("log_min_duration", "0"),
            ("log_nested_statements", "on"),
            ("log_analyze", "on"),
            ("log_level", "notice"),
        ]:
            cursor.execute(f"SET auto_explain.{name} = '{value}'")
    try:
        yield plans
    finally:
        raw.remove_notice_handler(keep)
        # (the settings end with the test's transaction too)
        with connection.cursor() as cursor:
            cursor.execute("SET auto_explain.log_min_duration = -1")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement triggers")
def test_an_update_of_many_events_compares_them_without_a_loop_over_pairs(
    users, orgs, trigger_plans
):
    """The update trigger finds the changed events by comparing the statement's old and new
    rows as sets: joined, the two unindexed tables were read in a nested loop, every old row
    against every new one (an update of 100,000 events' organisation ran for over ten
    minutes). In its plans, as PostgreSQL runs them, no transition table is read again for
    each row of another."""
    dossiers = [f.dossier(users["alice"], orgs["ngo_a"]) for _ in range(4)]
    first = StageEvent.objects.filter(dossier=dossiers[0]).get()
    trigger_plans.clear()
    StageEvent.objects.update(organisation=orgs["ngo_b"])
    StageEvent.objects.filter(pk=first.pk).update(on=first.on - timedelta(days=2))
    compared = [plan for plan in trigger_plans if "old_rows" in plan]
    assert len(compared) >= 2
    rescans = [
        line
        for plan in compared
        for line in plan.splitlines()
        if "Named Tuplestore Scan" in line and re.search(r"loops=([2-9]|\d\d+)\)", line)
    ]
    assert rescans == []
    assert stored([d.pk for d in dossiers]) == latest_by_events([d.pk for d in dossiers])
