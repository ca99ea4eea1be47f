"""Every list query uses an index for what it reads (issue 17): on PostgreSQL, with a few
thousand persons and their records loaded (benchmarks/_bulk) and ANALYZEd, each list page
and API list is requested as each role, and every SELECT it runs is EXPLAINed (ANALYZE, so the
plan's row counts are real). A query fails when it reads most of a large table with a
sequential scan, or probes thousands of rows one by one (a nested loop over all rows). The
plans are PostgreSQL's: on SQLite the test is skipped. Sequential scans are priced out
(``enable_seqscan = off``), so that a small table's cheap scan does not hide whether an index
could serve the query: any scan left in the plan, or any scan reading most of a large table
through an index, is a list without the index it needs."""

import json
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from himaya.accounts.models import User
from himaya.core import pagination
from himaya.statistics import revision

PERSONS = 20000
# Rows: a table this size is never read whole by a list. At 5,000 the hotline's reports (20 % of
# the persons: 4,000 here, 20,000 at 100k) were never checked, and their lists sorted them all.
LARGE = 2000
MOST = 0.5  # a scan reading this share of a large table reads all of it
PROBES = 1000  # loops: and as many as half the largest table's rows: a loop over all rows

# Known and not yet solved (issue 17, reported), listed so that the test stays strict about
# everything else; remove a line when its query is fixed:
# - the screenings linked to the dossiers a user sees are a sparse path (a few among all
#   screenings) that no index orders, so its first rows are found by walking every screening
#   in date order;
KNOWN = {
    ("screening:list", "screening_screening"),
    ("api:screening-list", "screening_screening"),
}

ROLES = {  # the bulk loader's accounts (benchmarks/_bulk), one per role
    "caseworker": "bench_ngo_0",
    "shelter manager": "bench_shelter_0",
    "investigator": "bench_police_0",
    "prosecutor": "bench_prosecution_0",
    "hotline operator": "bench_hotline_0",
    "national analyst": "bench_commission_0",
}
PAGES = [
    "home",
    "cases:list",
    "people:list",
    "hotline:list",
    "screening:list",
    "justice:list",
    "cases:alerts:list",
    "notifications:inbox",
    "referrals:inbox",
    "api:dossier-list",
    "api:person-list",
    "api:report-list",
    "api:screening-list",
    "api:investigation-list",
    "api:prosecution-list",
    "api:alert-list",
    "api:referral-list",
]


@pytest.fixture
def caseload(db, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN plans are PostgreSQL's: run with DATABASE_URL=postgres://...")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from _bulk import load_caseload

    load_caseload(PERSONS, seed=17, id_offset=1_000_000, log=lambda *a: None)
    # Counts stop at the cap: scaled to the seeded size as 1,000 is to 100,000 persons, so
    # that a count reads the share of the tables it reads in production.
    monkeypatch.setattr(pagination, "LIST_COUNT_CAP", PERSONS // 100)

    # The caseload is written inside the test's transaction, which a live server would have
    # committed: the home page's figures (and the commission's panel) may then be kept per data
    # revision, as they are there.
    def settled(*, others_only=False):
        return revision.data_revision()

    monkeypatch.setattr(revision, "settled_revision", settled)
    with connection.cursor() as cursor:
        # The loader bypasses the triggers (replica role): its dossiers must still hold their
        # latest event's stage, as the lists filter and count them by it.
        cursor.execute(
            "SELECT COUNT(*) FROM cases_dossier d WHERE d.stage IS DISTINCT FROM"
            " (SELECT e.stage FROM cases_stageevent e WHERE e.dossier_id = d.id"
            ' ORDER BY e."on" DESC, e.id DESC LIMIT 1)'
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("ANALYZE")
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND reltuples >= %s",
            [LARGE],
        )
        return dict(cursor.fetchall())


def selects(client, url):
    """The SELECTs a request runs on every visit, with their parameters: the page is requested
    once before, so that the figures a page keeps per data revision (the home page's counts,
    computed once for every visit until the data change) are not counted as its reads."""
    client.get(url)
    seen = []

    def keep(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        response = client.get(url)
    if response.status_code in (403, 404):  # not a list of this role
        return []
    assert response.status_code == 200, (url, response.status_code)
    return seen


def faults(plan, large, path=()):
    """What in a plan (EXPLAIN's JSON) reads a large table whole or probes row by row."""
    found = []
    node = plan["Node Type"]
    table = plan.get("Relation Name")
    loops = plan.get("Actual Loops", 1)
    if table in large:
        read = (plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)) * loops
        if node == "Seq Scan" or read >= MOST * large[table]:
            found.append(f"{node} on {table}: {read:,.0f} of {large[table]:,.0f} rows")
    if loops >= PROBES and loops >= MOST * max(large.values()):
        found.append(f"{node} on {table or '-'} run {loops:,} times (a loop over all rows)")
    elif loops >= PROBES and plan.get("Actual Rows", 0) * loops >= MOST * max(large.values()):
        # A set (a union's ids, a hash) read again for every row of the outer side: each run
        # is cheap, all of them read more rows than the largest table holds.
        rows = plan.get("Actual Rows", 0) * loops
        found.append(f"{node} on {table or '-'} run {loops:,} times, {rows:,.0f} rows read")
    for child in plan.get("Plans", ()):
        found += faults(child, large, (*path, node))
    return found


def test_list_queries_use_indexes(caseload, login, figure):
    failures, explained = [], 0
    for role, username in ROLES.items():
        client = login(User.objects.get(username=username))
        for page in PAGES:
            for sql, params in selects(client, reverse(page)):
                with connection.cursor() as cursor:
                    # At a few thousand rows a sequential scan is cheap and often chosen; with
                    # it priced out, one still in the plan is one no index could replace.
                    cursor.execute("SET LOCAL enable_seqscan = off")
                    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
                    plan = cursor.fetchone()[0]
                    cursor.execute("RESET enable_seqscan")
                plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
                explained += 1
                known = {table for p, table in KNOWN if p == page}
                failures += [
                    f"{role} {page}: {f}\n    {sql[:300]}"
                    for f in faults(plan, caseload)
                    if not any(f" on {table}:" in f for table in known)
                ]
    assert not failures, "\n".join(failures)
    figure(
        f"EXPLAIN: {explained} list queries of {len(PAGES)} lists as {len(ROLES)} roles, "
        f"{PERSONS:,} persons → 0 sequential scans of a large table, 0 loops over all rows "
        f"({len(KNOWN)} known exceptions)"
    )


def test_a_set_read_again_for_every_row_is_a_fault():
    """The plan PostgreSQL chose at 100,000 persons for a large NGO's open alerts (pages.py,
    issue 17), trimmed to its shape: the inbox's ids (a union, hashed) read again for each of
    1,343 alerts, 869,000 rows in all for 10 shown. The seeded caseload does not lead the
    planner there, so the rule is held here on the plan itself."""
    plan = {
        "Node Type": "Nested Loop",
        "Actual Loops": 1,
        "Actual Rows": 218,
        "Plans": [
            {
                "Node Type": "Index Scan",
                "Relation Name": "cases_nonpunishmentalert",
                "Actual Loops": 1,
                "Actual Rows": 1343,
                "Rows Removed by Filter": 2085,
            },
            {
                "Node Type": "Hash Join",
                "Actual Loops": 1343,
                "Actual Rows": 0,
                "Plans": [{"Node Type": "HashAggregate", "Actual Loops": 1343, "Actual Rows": 647}],
            },
        ],
    }
    large = {"cases_dossier": 100348, "cases_nonpunishmentalert": 4473}
    repeated = "HashAggregate on - run 1,343 times, 868,921 rows read"
    assert repeated in faults(plan, large)
    # The same set read once is no fault (the scan of most alerts still is one).
    plan["Plans"][1]["Actual Loops"] = plan["Plans"][1]["Plans"][0]["Actual Loops"] = 1
    assert faults(plan, large) == ["Index Scan on cases_nonpunishmentalert: 3,428 of 4,473 rows"]
