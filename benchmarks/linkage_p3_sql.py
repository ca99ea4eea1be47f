"""P3 on PostgreSQL for ``linkage.py --p3-sizes``: a throwaway database holding the generated
records' blocking keys as ``linkage_blockingkey`` does, and per probe the queries
``candidates.find`` sends, timed step by step (benchmarks/README.md). ``linkage_p3.py`` times
the product's own ``entry_candidates`` through the ORM instead."""

import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import linkage_data as data  # noqa: E402
from linkage_common import (  # noqa: E402
    ESTIMATE_FROM,
    LOOKUP_LIMIT,
    REGISTER_FLOOR,
    blind_digest,
    label,
    log,
    maxrss_mb,
)

from himaya.linkage import features, scoring  # noqa: E402
from himaya.linkage.batch import deserialise, serialise  # noqa: E402


def with_db(url, name):
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def stored_features(record):
    """The person row: names, sex, birth, citizenships (phones and documents are read from
    the keys, as candidates._stored_records does)."""
    return serialise(
        record.__class__(**{**record.__dict__, "phones": frozenset(), "documents": frozenset()})
    )


def key_rows(record):
    """(kind, digest) of a record, as records.key_rows stores them."""
    rows = [(kind, blind_digest(key)) for key, kind in features.block_keys(record).items()]
    if nk := features.name_key(record):
        rows.append(("frequency", blind_digest("nk:" + nk)))
    rows += [("frequency", blind_digest("tk:" + k)) for k in set(features.token_keys(record))]
    return rows


def keyed(record):
    """As candidates.keyed: phones and documents as the stored keys digest them."""
    return record.__class__(
        **{
            **record.__dict__,
            "phones": frozenset(blind_digest("ph:" + p) for p in record.phones),
            "documents": frozenset(blind_digest("dc:" + d) for d in record.documents),
        }
    )


def in_list(values):
    return "(" + ", ".join(["%s"] * len(values)) + ")"


TOP_SQL = (
    'SELECT "person_id", COUNT("id") AS "shared" FROM "linkage_blockingkey" '
    'WHERE ("digest" IN {} AND "person_id" IS NOT NULL) '
    'GROUP BY "person_id" ORDER BY 2 DESC, 1 ASC LIMIT %s'
)


def register_size(cur):
    """As candidates.register_size: the planner's estimate from 100k rows, else a count."""
    cur.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", ["bench_person"])
    row = cur.fetchone()
    if row and row[0] >= ESTIMATE_FROM:
        return int(row[0])
    cur.execute('SELECT COUNT(*) FROM "bench_person"')
    return max(cur.fetchone()[0], REGISTER_FLOOR)


def find(cur, record, params, threshold):
    """candidates.find on the benchmark tables; the time of each step."""
    t = [time.perf_counter()]
    digests = [blind_digest(k) for k in features.query_keys(record)]
    t.append(time.perf_counter())
    pks = []
    if digests:  # else candidates.find stops here
        cur.execute(TOP_SQL.format(in_list(digests)), [*digests, LOOKUP_LIMIT])
        pks = [row[0] for row in cur.fetchall()]
    t.append(time.perf_counter())
    if not pks:
        return {
            **dict.fromkeys(("strong", "fetch", "frequency", "score"), 0.0),
            "keys": t[1] - t[0],
            "lookup": t[2] - t[1],
            "total": t[2] - t[0],
            "candidates": 0,
            "found": 0,
        }
    register_params = scoring.for_register(params, register_size(cur))
    mine = keyed(record)
    cur.execute(
        'SELECT "person_id", "kind", "digest" FROM "linkage_blockingkey" '  # noqa: S608
        f'WHERE ("kind" IN (%s, %s) AND "person_id" IN {in_list(pks)})',
        ["phone", "document", *pks],
    )
    strong = defaultdict(lambda: {"phone": set(), "document": set()})
    for pk, kind, digest in cur.fetchall():
        strong[pk][kind].add(digest)
    t.append(time.perf_counter())
    cur.execute(f'SELECT "id", "features" FROM "bench_person" WHERE "id" IN {in_list(pks)}', pks)  # noqa: S608
    rows = cur.fetchall()
    t.append(time.perf_counter())
    stored = {}
    for pk, text in rows:
        got = strong[pk]
        r = deserialise(text)
        stored[pk] = r.__class__(
            **{
                **r.__dict__,
                "phones": frozenset(got["phone"]),
                "documents": frozenset(got["document"]),
            }
        )
    # as candidates.find: each side's name and tokens, digested from the decrypted record
    nk = lambda r: blind_digest("nk:" + k) if (k := features.name_key(r)) else ""  # noqa: E731
    tk = lambda k: blind_digest("tk:" + k)  # noqa: E731
    tokens = {pk: features.token_keys(r) for pk, r in stored.items()}
    tokens[None] = features.token_keys(record)
    own = nk(record)
    names = {pk: nk(r) for pk, r in stored.items()}
    wanted = {own, *names.values(), *(tk(k) for ks in tokens.values() for k in ks)} - {""}
    wanted = sorted(wanted)
    cur.execute(
        'SELECT "digest", COUNT("id") AS "n" FROM "linkage_blockingkey" '  # noqa: S608
        f'WHERE ("digest" IN {in_list(wanted)} AND "person_id" IS NOT NULL) '
        'GROUP BY "digest"',
        wanted,
    )
    counts = dict(cur.fetchall())
    size = max(register_size(cur), max(counts.values(), default=1))
    share = {d: counts.get(d, 0) / size for d in wanted}
    token_share = lambda k: share.get(tk(k), 0)  # noqa: E731
    own_tokens = scoring.token_frequency(tokens[None], token_share)
    t.append(time.perf_counter())
    found = 0
    for pk, other in stored.items():
        result = scoring.score(
            mine,
            other,
            register_params,
            name_frequency=max(share.get(own, 0), share.get(names[pk], 0)),
            token_frequency=max(own_tokens, scoring.token_frequency(tokens[pk], token_share)),
        )
        found += result.probability >= threshold
    t.append(time.perf_counter())
    steps = ("keys", "lookup", "strong", "fetch", "frequency", "score")
    out = {s: t[i + 1] - t[i] for i, s in enumerate(steps)}
    out["total"] = t[-1] - t[0]
    out["candidates"] = len(pks)
    out["found"] = found
    return out


def decryption_times(repeat=30, fields=LOOKUP_LIMIT * 4):
    """Fernet (MultiFernet, as crypto.decrypt) decryption of ``fields`` name fields."""
    from cryptography.fernet import Fernet, MultiFernet

    f = MultiFernet([Fernet(Fernet.generate_key())])
    rng = random.Random(3)
    tokens = [
        "enc1:"
        + f.encrypt(rng.choice(["محمد", "Mohamed", "العلوي", "El Alaoui"]).encode()).decode()
        for _ in range(fields)
    ]
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        for token in tokens:
            f.decrypt(token[5:].encode("ascii")).decode("utf-8")
        out.append(time.perf_counter() - t)
    return out


def p3(size, args, params):
    import psycopg

    name = urlsplit(args.database_url).path.lstrip("/") or "himaya_bench_linkage"
    with psycopg.connect(with_db(args.database_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = with_db(args.database_url, name)
    rng = random.Random(args.seed + 1)
    probes = []
    returning_wanted = args.p3_probes // 2
    seen_persons = set()
    try:
        with psycopg.connect(url) as conn:
            conn.execute(
                "CREATE UNLOGGED TABLE linkage_blockingkey (id bigint GENERATED BY DEFAULT AS "
                "IDENTITY PRIMARY KEY, person_id bigint NULL, suspect_id bigint NULL, "
                "kind varchar(10) NOT NULL, digest varchar(32) NOT NULL)"
            )
            conn.execute(
                "CREATE UNLOGGED TABLE bench_person (id bigint PRIMARY KEY, features text NOT NULL)"
            )
            conn.commit()
            t = time.perf_counter()
            n_rows = n_keys = 0
            # two COPYs at once need two connections
            with (
                psycopg.connect(url) as conn2,
                conn.cursor() as cur,
                conn2.cursor() as cur2,
                cur.copy("COPY bench_person (id, features) FROM STDIN") as crec,
                cur2.copy("COPY linkage_blockingkey (person_id, kind, digest) FROM STDIN") as ckey,
            ):
                buf = []
                for rid, record, pid, _flags, _person in data.iter_records(size, seed=args.seed):
                    # a returning person's later record is held out as a probe
                    if (
                        pid in seen_persons
                        and len(probes) < returning_wanted
                        and rng.random() < 0.3
                    ):
                        probes.append(record)
                        continue
                    if n_rows >= size:
                        if pid not in seen_persons:
                            probes.append(record)  # a new person
                        if len(probes) >= args.p3_probes:
                            break
                        continue
                    seen_persons.add(pid)
                    crec.write_row((rid, stored_features(record)))
                    buf.extend(f"{rid}\t{kind}\t{digest}\n" for kind, digest in key_rows(record))
                    n_rows += 1
                    if len(buf) >= 50_000:
                        ckey.write("".join(buf))
                        n_keys += len(buf)
                        buf.clear()
                if buf:
                    ckey.write("".join(buf))
                    n_keys += len(buf)
            copy_s = time.perf_counter() - t
            t = time.perf_counter()
            conn.execute(
                "CREATE INDEX linkage_key_digest ON linkage_blockingkey "
                "(digest, person_id, suspect_id)"
            )
            conn.execute(
                "CREATE INDEX linkage_blockingkey_person_id ON linkage_blockingkey (person_id)"
            )
            conn.execute(
                "CREATE INDEX linkage_blockingkey_suspect_id ON linkage_blockingkey (suspect_id)"
            )
            conn.commit()
            conn.autocommit = True
            conn.execute("VACUUM ANALYZE")
            index_s = time.perf_counter() - t
            db_mb = (
                conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20
            )
            log(
                f"  loaded {n_rows:,} records, {n_keys:,} keys in {copy_s:.1f} s, "
                f"index + VACUUM ANALYZE {index_s:.1f} s, {db_mb:.0f} MB"
            )
            rng.shuffle(probes)
            probes = probes[: args.p3_probes]
            timings = defaultdict(list)
            with conn.cursor() as cur:
                for record in probes[:5]:  # warm-up
                    find(cur, record, params, args.threshold)
                for record in probes:
                    if not record.has_name:
                        continue
                    for k, v in find(cur, record, params, args.threshold).items():
                        timings[k].append(v)
                    # baseline: a bare primary-key fetch of one row
                    pk = rng.randrange(1, n_rows + 1)
                    b0 = time.perf_counter()
                    cur.execute('SELECT "features" FROM "bench_person" WHERE "id" = %s', (pk,))
                    cur.fetchone()
                    timings["pk"].append(time.perf_counter() - b0)
                digests = [blind_digest(k) for k in features.query_keys(probes[0])]
                cur.execute(
                    "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + TOP_SQL.format(in_list(digests)),
                    [*digests, LOOKUP_LIMIT],
                )
                plan = "\n".join(r[0] for r in cur.fetchall())
    finally:
        if not args.keep:
            with psycopg.connect(with_db(args.database_url, "postgres"), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return {
        "size": size,
        "rows": n_rows,
        "keys": n_keys,
        "copy_s": copy_s,
        "index_s": index_s,
        "db_mb": db_mb,
        "timings": dict(timings),
        "probes": len(timings["total"]),
        "with_match": sum(1 for n in timings["found"] if n),
        "plan": plan,
        "peak_mb": maxrss_mb(),
    }


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def print_p3(results, decrypt):
    print()
    print(
        "P3: candidates of one new person, as candidates.find (probes: half returning "
        "persons, half new); ms"
    )
    cols = (
        "records",
        "keys",
        "pk p50",
        "pk p95",
        "lookup p50",
        "lookup p95",
        "strong p50",
        "fetch p50",
        "freq p50",
        "score p50",
        "total p50",
        "total p95",
        "cands p50",
    )
    widths = (10, 11, 7, 7, 10, 10, 10, 9, 8, 9, 9, 9, 9)
    head = " ".join(f"{c:>{w}}" for c, w in zip(cols, widths, strict=True))
    print(head)
    print("-" * len(head))
    for r in results:
        t = r["timings"]

        def ms(k, q, t=t):
            return f"{pct(t[k], q) * 1000:.2f}"

        print(
            f"{r['rows']:>10,} {r['keys']:>11,} {ms('pk', 0.5):>7} {ms('pk', 0.95):>7} "
            f"{ms('lookup', 0.5):>10} {ms('lookup', 0.95):>10} {ms('strong', 0.5):>10} "
            f"{ms('fetch', 0.5):>9} {ms('frequency', 0.5):>8} {ms('score', 0.5):>9} "
            f"{ms('total', 0.5):>9} {ms('total', 0.95):>9} {pct(t['candidates'], 0.5):>9.0f}"
        )
    print(
        f"+ decrypting the candidates' names (Fernet, {LOOKUP_LIMIT}×4 fields): p50 "
        f"{pct(decrypt, 0.5) * 1000:.2f} ms, p95 {pct(decrypt, 0.95) * 1000:.2f} ms "
        f"({len(decrypt)} runs), not in the totals above"
    )
    for r in results:
        print(
            f"{label(r['rows'])}: load {r['copy_s']:.1f} s + indexes/VACUUM {r['index_s']:.1f} s, "
            f"{r['db_mb']:.0f} MB; {r['with_match']} of {r['probes']} probes had a candidate "
            f"at the threshold; key digests {pct(r['timings']['keys'], 0.5) * 1000:.2f} ms p50"
        )
    if results:
        print("plan of the look-up at the largest size (first probe):")
        import re

        plan = re.sub(r"'\{[^}]*\}'", "'{…}'", results[-1]["plan"])
        print("  " + plan.replace("\n", "\n  "))
