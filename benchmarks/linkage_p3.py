"""P3 through the product's own code: the candidates of one new person against 10k, 100k and
1M person records in a migrated PostgreSQL database, timed on ``linkage.candidates`` itself
(blocking-key look-up in the covering index, the candidates' keys, the name frequencies, the
decryption of the candidates' names, Fellegi–Sunter scoring, the split by what the user may
see), beside a baseline in the same run: fetching one person by primary key through the ORM.

    .venv/bin/python benchmarks/linkage_p3.py --sizes 10000,100000,1000000

Records come from the seeded generator (benchmarks/linkage_data.py): names encrypted with the
real field key (each distinct string once), blocking keys computed by ``features`` and digested
by ``crypto.blind_digest`` as ``linkage.records`` does, then COPY-loaded. The probes are records
held out of the load, so most have their person's other records in the database (the entry of
a returning person), in a fixed random order.
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/himaya_bench_p3"
PROBES = 200


def with_db(url, name):
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def recreate(url):
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(with_db(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop(url):
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(with_db(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django():
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "himaya.settings")
    import django

    django.setup()


def _fields(record):
    """A generated record as the person's stored fields (names as typed, birth as recorded)."""
    if record.birth_precision == 0:
        birth, precision = record.birth_date, "exact"
    elif record.birth_year is not None:
        import datetime

        birth, precision = datetime.date(record.birth_year, 1, 1), "year"
    else:
        birth, precision = None, "unknown"
    return {
        "given_name_ar": " ".join(record.ar),
        "given_name_lat": " ".join(record.lat),
        "birth_date": birth,
        "birth_date_precision": precision,
    }


def phase_load(size, seed):
    """In a migrated database: one organisation and its caseworker, ``size`` person records
    with their blocking keys; returns the held-out probes as JSON-able fields."""
    setup_django()
    import linkage_data
    from django.db import connection

    from himaya.accounts.models import Membership, Organisation, User
    from himaya.core import crypto
    from himaya.core.models import Code
    from himaya.linkage.features import block_keys, make_record
    from himaya.linkage.records import frequency_digest, recount_frequencies, token_digests

    org = Organisation.objects.create(
        name_ar="م",
        name_fr="NGO",
        name_en="NGO",
        type=Code.objects.get(list="org_type", code="ngo"),
        region=Code.objects.filter(list="region").first(),
    )
    user = User.objects.create_user("bench", password="not used in a benchmark 2026")
    Membership.objects.create(user=user, organisation=org, role="caseworker")
    sexes = {c.code: c.pk for c in Code.objects.filter(list="sex")}
    rng = random.Random(seed)
    encrypted = {}

    def enc(text):
        if not text:
            return ""
        if text not in encrypted:
            encrypted[text] = crypto.encrypt(text)
        return encrypted[text]

    persons_per_record = 1 / 1.8
    records = linkage_data.iter_records(int(size * persons_per_record) + PROBES, seed=seed)
    probes, loaded = [], 0
    started = time.monotonic()
    cursor = connection.cursor()
    pid = 0
    person_rows, key_rows = [], []

    def flush():
        cols_p = (
            "id, given_name_ar, family_name_ar, given_name_lat, family_name_lat, sex_id, "
            "birth_date, birth_date_precision, registered_by_id, created_at, updated_at, "
            "version, contacts"
        )
        with cursor.cursor.copy(f"COPY people_person ({cols_p}) FROM STDIN") as copy:
            for row in person_rows:
                copy.write_row(row)
        with cursor.cursor.copy(
            "COPY linkage_blockingkey (person_id, kind, digest) FROM STDIN"
        ) as copy:
            for row in key_rows:
                copy.write_row(row)
        person_rows.clear()
        key_rows.clear()

    now = "2026-01-01T00:00:00+00:00"
    for _rid, record, _person, _flags, _p in records:
        fields = _fields(record)
        if len(probes) < PROBES and rng.random() < 0.02:
            probes.append({**fields, "sex": record.sex})
            continue
        if loaded >= size:
            if len(probes) >= PROBES:
                break
            continue
        pid += 1
        loaded += 1
        person_rows.append(
            (
                pid,
                enc(fields["given_name_ar"]),
                "",
                enc(fields["given_name_lat"]),
                "",
                sexes.get(record.sex),
                fields["birth_date"],
                fields["birth_date_precision"],
                org.pk,
                now,
                now,
                1,
                None,
            )
        )
        stored = make_record(
            given_ar=fields["given_name_ar"],
            given_lat=fields["given_name_lat"],
            sex=record.sex,
            birth_date=fields["birth_date"],
            precision=fields["birth_date_precision"],
        )
        for key, kind in block_keys(stored).items():
            key_rows.append((pid, kind, crypto.blind_digest(key)))
        if digest := frequency_digest(stored):
            key_rows.append((pid, "frequency", digest))
        # Each name token's count too, as linkage.records.key_rows keeps them at entry.
        key_rows.extend((pid, "frequency", d) for d in token_digests(stored))
        if len(person_rows) >= 20_000:
            flush()
    flush()
    recount_frequencies()
    cursor.execute("SELECT setval(pg_get_serial_sequence('people_person', 'id'), %s)", [pid + 1])
    # The state autovacuum brings a table to after bulk inserts (PostgreSQL 13+): without the
    # visibility map, the look-up reads the heap for every index entry (375 ms against 53 ms
    # for a common name at 1M records, measured 2026-12-06).
    cursor.execute("VACUUM ANALYZE")
    cursor.execute("SELECT count(*) FROM linkage_blockingkey")
    keys = cursor.fetchone()[0]
    return {
        "loaded": loaded,
        "keys": keys,
        "load_s": round(time.monotonic() - started, 1),
        "probes": [{**p, "birth_date": str(p["birth_date"] or "")} for p in probes],
    }


def phase_measure(probes):
    setup_django()
    from django.db import connection, reset_queries

    from himaya.accounts.models import User
    from himaya.linkage import candidates
    from himaya.linkage.records import record_from_values
    from himaya.people.models import Person

    user = User.objects.get(username="bench")
    ids = list(Person.objects.values_list("pk", flat=True)[:5000])
    rng = random.Random(7)
    values = []
    for p in probes:
        p = dict(p)
        p["birth_date"] = p["birth_date"] or None
        values.append(record_from_values(p))

    def timed(fn):
        start = time.perf_counter()
        fn()
        return (time.perf_counter() - start) * 1000

    for record in values[:10]:  # warm-up: connection, caches, code paths
        candidates.entry_candidates(user, "person", record)
    base, entry, found, queries = [], [], 0, []
    from django.conf import settings

    settings.DEBUG = True  # count the queries of each entry check
    for record in values:
        pk = rng.choice(ids)
        base.append(timed(lambda pk=pk: Person.objects.filter(pk=pk).first()))
        reset_queries()
        result = {}
        entry.append(
            timed(
                lambda record=record, result=result: result.update(
                    r=candidates.entry_candidates(user, "person", record)
                )
            )
        )
        queries.append(len(connection.queries))
        found += bool(result["r"])

    def pct(values, q):
        return round(statistics.quantiles(values, n=100)[q - 1], 2)

    return {
        "baseline_p50": pct(base, 50),
        "baseline_p95": pct(base, 95),
        "entry_p50": pct(entry, 50),
        "entry_p95": pct(entry, 95),
        "with_candidates": found,
        "probes": len(values),
        "queries_max": max(queries),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def child(phase, url, payload):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "himaya.settings"}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", phase]
    out = subprocess.run(  # noqa: S603
        cmd, env=env, cwd=ROOT, input=json.dumps(payload), text=True, capture_output=True
    )
    if out.returncode:
        sys.stderr.write(out.stderr[-3000:])
        raise SystemExit(f"{phase} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=20251)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--phase", choices=["load", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the last database")
    args = parser.parse_args(argv)
    if args.phase:
        payload = json.loads(sys.stdin.read())
        out = (
            phase_load(payload["size"], payload["seed"])
            if args.phase == "load"
            else phase_measure(payload["probes"])
        )
        print(json.dumps(out, default=str))
        return 0
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        recreate(args.database_url)
        env = {**os.environ, "DATABASE_URL": args.database_url}
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True
        )
        loaded = child("load", args.database_url, {"size": size, "seed": args.seed})
        measured = child("measure", args.database_url, {"probes": loaded["probes"]})
        rows.append(
            {"size": size, **{k: v for k, v in loaded.items() if k != "probes"}, **measured}
        )
        print(json.dumps(rows[-1]), flush=True)
    if not args.keep:
        drop(args.database_url)
    print()
    print(
        "| records | keys | load | PK fetch p50 / p95 | candidates p50 / p95 | queries | "
        "probes with a candidate | peak |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['loaded']:,} | {r['keys']:,} | {r['load_s']} s | {r['baseline_p50']} / "
            f"{r['baseline_p95']} ms | {r['entry_p50']} / {r['entry_p95']} ms | "
            f"{r['queries_max']} | {r['with_candidates']} of {r['probes']} | {r['peak_mb']} MB |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
