"""Benchmark of record linkage, aligned with the product code (himaya.linkage): quality on the
seeded generator (benchmarks/linkage_data.py), P3 (the candidates of one new person, as
candidates.find does it) on PostgreSQL, and P4 (the batch de-duplication, batch.find_pairs).

    .venv/bin/python benchmarks/linkage.py                          # quality 10k+100k, P3 10k+100k
    .venv/bin/python benchmarks/linkage.py --sizes 10000 --no-p3    # quick
    .venv/bin/python benchmarks/linkage.py --no-quality --p3-sizes 1000000
    .venv/bin/python benchmarks/linkage.py --no-quality --no-p3 --p4-sizes 1000000 --p4-timeout 2400

(a) Quality, per size (persons; each has 1–4 records), with the shipped parameters
(parameters.json, trained by ``python -m himaya.linkage.training``):

- entry-time, as ``candidates.find``: every record, in a random entry order (or a random sample
  of --probes of them), looks up the records entered before it: ``features.query_keys`` on an
  in-memory inverted index of ``features.block_keys``, the top 200 records by shared keys,
  scored with ``scoring.score_levels`` on ``scoring.for_register(params, size)`` where size =
  max(records entered before, REGISTER_FLOOR), and the name frequency of a pair = max(share of
  the records entered before holding the new record's ``name_key``, share holding the
  candidate's); linked at --threshold;
- batch: ``batch.find_pairs`` (Splink, tf_adjustment_column="name_key", size = the table's
  rows) + ``batch.clusters``, run in a child process (its wall time and peak memory are P4).

Pairwise precision, recall, F1, the person over-count ((clusters − true persons) / true
persons), the cross-script recall (pairs of an Arabic-only and a Latin-only record), and the
misses and false links broken down by kind.

(b) P3: a throwaway database ``himaya_bench_linkage`` with ``linkage_blockingkey(id, person_id,
suspect_id, kind, digest)`` as in production (the covering index linkage_key_digest on (digest,
person_id, suspect_id); person_id and suspect_id indexed as Django indexes foreign keys) and
``bench_person(id, features)`` standing for the person rows (serialised features stand for the
decrypted names; phones and documents come from the keys, as in production). Per probe, what
``candidates.find`` runs: the query keys' digests (HMAC-SHA256 as ``crypto.blind_digest``) →
one look-up grouped by person (top 200 by shared keys) → the register size (pg_class.reltuples
from 100k rows, else a count) → the candidates' phone/document/frequency keys → their rows →
one count of the name-frequency digests → scoring. Beside it: Fernet decryption of 200×4 name
fields (the cost of decrypting the candidates' names) and a primary-key fetch of one row (the
baseline).

(c) P4: ``batch.find_pairs`` on --p4-sizes persons in a child process (wall time, peak RSS),
stopped after --p4-timeout seconds; a stopped run reports the blocked pairs compared per second
and an extrapolation of its time.

Not collected by pytest (testpaths = himaya)."""

import argparse
import hashlib
import hmac
import json
import os
import pickle
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import linkage_data as data  # noqa: E402

from himaya.linkage import features, scoring  # noqa: E402
from himaya.linkage.batch import deserialise, serialise  # noqa: E402
from himaya.linkage.comparison import comparison_vector  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/himaya_bench_linkage"
# as in himaya.linkage.candidates (not imported: it needs Django's settings)
LOOKUP_LIMIT = 200
REGISTER_FLOOR = 1000
ESTIMATE_FROM = 100_000
# the batch is run once at the lowest of these and read at each
BATCH_THRESHOLDS = (0.5, 0.8, 0.9)
LOWEST = min(BATCH_THRESHOLDS)
BLIND_KEY = b"benchmark blind-index key"


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb():
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def label(size):
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}m"
    if size % 1000 == 0:
        return f"{size // 1000}k"
    return str(size)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def blind_digest(value):
    """As crypto.blind_digest: HMAC-SHA256 hex[:32] (the benchmark's own key)."""
    return hmac.new(BLIND_KEY, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


# --- metrics -------------------------------------------------------------------------------------


def true_pairs(truth, ids=None):
    by_person = defaultdict(list)
    for rid, pid in truth.items():
        by_person[pid].append(rid)
    pairs = set()
    for rids in by_person.values():
        rids.sort()
        for i, a in enumerate(rids):
            for b in rids[i + 1 :]:
                pairs.add((a, b))
    return pairs


def components(n_ids, pairs):
    parent = {}

    def find(x):
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    merges = 0
    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
            merges += 1
    return n_ids - merges


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def cross_script(meta, a, b):
    fa, fb = meta[a], meta[b]
    return (fa & data.AR_ONLY and fb & data.LAT_ONLY) or (fa & data.LAT_ONLY and fb & data.AR_ONLY)


MISS_KINDS = [
    ("cross-script (Arabic only / Latin only)", None),
    ("family name missing", data.FAMILY_MISSING),
    ("given/family swapped", data.SWAPPED),
    ("father's name inserted", data.FATHER),
    ("typing error", data.TYPO),
    ("Arabic article dropped", data.ARTICLE_DROPPED),
    ("compound given name", data.COMPOUND),
    ("birth date missing", data.BIRTH_MISSING),
    ("estimated age", data.BIRTH_ESTIMATED),
    ("wrong birth date", data.BIRTH_WRONG),
    ("birth year only / 1 Jan", data.BIRTH_YEAR_ONLY),
    ("citizenship missing", data.CIT_MISSING),
    ("wrong citizenship", data.CIT_WRONG),
    ("sex missing or wrong", data.SEX_MISSING | data.SEX_WRONG),
    ("migrant", data.MIGRANT),
]


def pair_kinds(meta, a, b):
    out = []
    for name, flag in MISS_KINDS:
        if flag is None:
            if cross_script(meta, a, b):
                out.append(name)
        elif (meta[a] | meta[b]) & flag:
            out.append(name)
    if not out:
        out.append("(none of these: a clean pair)")
    return out


def fp_kind(persons, truth, a, b):
    pa, pb = persons[truth[a]], persons[truth[b]]
    # persons: (pid, household, given key, family key, citizenship)
    if pa[1] == pb[1]:
        return "sibling (same household)"
    if pa[2] == pb[2] and pa[3] == pb[3]:
        return "namesake (same given and family name)"
    if pa[3] == pb[3]:
        return "same family name, other given name"
    if pa[2] == pb[2]:
        return "same given name, other family name"
    return "other"


def breakdown(found, truths, meta, persons, truth, missed_unblocked=None):
    """Rows (kind, true pairs, missed, recall, share of misses) and FP rows (kind, count)."""
    total = Counter()
    missed = Counter()
    n_missed = 0
    for a, b in truths:
        kinds = pair_kinds(meta, a, b)
        hit = (a, b) in found
        if not hit:
            n_missed += 1
        for k in kinds:
            total[k] += 1
            if not hit:
                missed[k] += 1
    miss_rows = [
        (
            k,
            total[k],
            missed[k],
            1 - missed[k] / total[k] if total[k] else 1.0,
            missed[k] / n_missed if n_missed else 0.0,
        )
        for k in total
    ]
    miss_rows.sort(key=lambda r: -r[2])
    fp = Counter(fp_kind(persons, truth, a, b) for a, b in found if truth[a] != truth[b])
    return miss_rows, fp, n_missed


# --- entry-time candidates -----------------------------------------------------------------------


def entry_time(records, truth, *, threshold, probes, seed, params):
    """Each record, in a random entry order, looks up the records entered before it, as
    candidates.find does in the register of those records."""
    rng = random.Random(seed)
    order = [rid for rid, _r in records]
    rng.shuffle(order)
    rec = dict(records)
    name_keys = {rid: features.name_key(r) for rid, r in records}
    token_keys = {rid: features.token_keys(r) for rid, r in records}
    position = {rid: i for i, rid in enumerate(order)}
    probe_set = (
        set(order) if probes <= 0 or probes >= len(order) else set(rng.sample(order, probes))
    )
    index = defaultdict(list)
    held = Counter()  # name_key → records entered so far holding it (the frequency keys)
    held_tokens = Counter()  # token key → records entered so far holding it
    found = set()
    scored = []  # (probability, is a true pair) of every scored pair
    blocked_true = set()
    candidates_n = []
    t0 = time.perf_counter()
    n_scored = done = 0
    for entered, rid in enumerate(order):
        record = rec[rid]
        if rid in probe_set and record.has_name:
            shared = Counter()
            for key in features.query_keys(record):
                for other in index.get(key, ()):
                    shared[other] += 1
            top = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:LOOKUP_LIMIT]
            candidates_n.append(len(top))
            size = max(entered, REGISTER_FLOOR)
            register_params = scoring.for_register(params, size)
            own = held[name_keys[rid]] if name_keys[rid] else 0
            share = lambda k, size=size: held_tokens[k] / size  # noqa: E731
            own_tokens = scoring.token_frequency(token_keys[rid], share)
            for other, _n in top:
                theirs = held[name_keys[other]] if name_keys[other] else 0
                prob = scoring.score_levels(
                    comparison_vector(record, rec[other]),
                    register_params,
                    name_frequency=max(own, theirs) / size,
                    token_frequency=max(
                        own_tokens, scoring.token_frequency(token_keys[other], share)
                    ),
                ).probability
                n_scored += 1
                pair = (min(rid, other), max(rid, other))
                same = truth[rid] == truth[other]
                if same:
                    blocked_true.add(pair)
                scored.append((prob, same))
                if prob >= threshold:
                    found.add(pair)
            done += 1
            if done % 5000 == 0:
                log(f"    {done:,} probes, {time.perf_counter() - t0:.0f} s")
        for key in features.block_keys(record):
            index[key].append(rid)
        if name_keys[rid]:
            held[name_keys[rid]] += 1
        held_tokens.update(set(token_keys[rid]))
    seconds = time.perf_counter() - t0
    # the true pairs this evaluation covers: each probe with the records entered before it
    truths = set()
    by_person = defaultdict(list)
    for rid, pid in truth.items():
        by_person[pid].append(rid)
    for rid in probe_set:
        for other in by_person[truth[rid]]:
            if other != rid and position[other] < position[rid]:
                truths.add((min(rid, other), max(rid, other)))
    return {
        "found": found,
        "truths": truths,
        "blocked_true": blocked_true,
        "scored": scored,
        "full": len(probe_set) == len(order),
        "probes": len(probe_set),
        "seconds": seconds,
        "pairs_scored": n_scored,
        "candidates_p50": statistics.median(candidates_n) if candidates_n else 0,
        "candidates_at_limit": sum(1 for c in candidates_n if c >= LOOKUP_LIMIT)
        / max(1, len(candidates_n)),
    }


SWEEP = (0.05, 0.2, 0.5, 0.8, 0.9, 0.99)


def sweep(scored, n_true, thresholds=SWEEP):
    rows = []
    for t in thresholds:
        tp = sum(1 for p, same in scored if same and p >= t)
        fp = sum(1 for p, same in scored if not same and p >= t)
        rows.append((t, *prf(tp, fp, n_true - tp)))
    return rows


BANDS = (0.0, 0.05, 0.2, 0.5, 0.8, 0.9, 0.99, 1.0)


def calibration(scored, bands=BANDS):
    """Per band of match probability, the scored pairs in it, the share of them that are true
    pairs and their mean probability: a calibrated scorer has the two equal."""
    rows = []
    for lo, hi in zip(bands, bands[1:], strict=False):
        inside = [(p, same) for p, same in scored if lo <= p < hi or (hi == 1.0 and p == 1.0)]
        if inside:
            n = len(inside)
            rows.append((lo, hi, n, sum(s for _p, s in inside) / n, sum(p for p, _s in inside) / n))
    return rows


# --- batch (P4), in a child process --------------------------------------------------------------


def batch_child(size, seed, out, parameters=None, threshold=LOWEST):
    """Run batch.find_pairs on generate(size persons) and write the pairs and the figures to
    ``out`` (pickle); progress lines go to ``out``.progress as JSON, so a stopped run can be
    read."""
    from himaya.linkage import batch

    params = load_parameters(parameters)
    t = time.perf_counter()
    records, _truth = data.generate(size, seed=seed)
    gen_s = time.perf_counter() - t
    rss_before = rss_mb()
    progress = open(f"{out}.progress", "w", encoding="utf-8")  # noqa: SIM115
    t0 = time.perf_counter()

    def report(step, fraction):
        line = {"step": step, "fraction": fraction, "elapsed": time.perf_counter() - t0}
        line["rss_mb"] = rss_mb()
        progress.write(json.dumps(line) + "\n")
        progress.flush()

    pairs = batch.find_pairs(records, params, threshold=threshold, progress=report)
    seconds = time.perf_counter() - t0
    progress.close()
    with open(out, "wb") as fh:
        pickle.dump(
            {
                "pairs": [(a, b, p) for a, b, p, _w, _levels in pairs],
                "records": len(records),
                "gen_s": gen_s,
                "seconds": seconds,
                "rss_before_mb": rss_before,
                "peak_mb": maxrss_mb(),
                "threshold": threshold,
            },
            fh,
        )


def count_child(size, seed):
    """The distinct pairs the batch compares (sharing a key of batch.to_rows), counted in
    DuckDB: printed on stdout."""
    import duckdb

    from himaya.linkage import batch

    records, _truth = data.generate(size, seed=seed)
    rows = batch.to_rows(records)  # noqa: F841 (read by DuckDB by name)
    con = duckdb.connect(":memory:")
    n = con.execute(
        "WITH k AS (SELECT unique_id, unnest(bk) AS key FROM rows) "
        "SELECT count(*) FROM (SELECT DISTINCT l.unique_id, r.unique_id FROM k l JOIN k r "
        "ON l.key = r.key AND l.unique_id < r.unique_id)"
    ).fetchone()[0]
    print(n)


def run_child(args, *extra, timeout=None):
    cmd = [sys.executable, __file__, *extra, "--seed", str(args.seed), "--names", args.names]
    if args.parameters:
        cmd += ["--parameters", args.parameters]
    return subprocess.run(  # noqa: S603 (this script, our arguments)
        cmd, check=True, timeout=timeout, stdout=subprocess.PIPE, text=True
    )


def run_batch(args, size, *, timeout=None, count=True, threshold=LOWEST):
    """find_pairs on ``size`` persons in a child process; the pairs, time and memory, and the
    pairs compared. A run stopped at ``timeout`` gives its progress instead of pairs."""
    out = Path(tempfile.mkdtemp(prefix="linkage-batch-")) / "batch.pickle"
    result = {"size": size}
    t = time.perf_counter()
    try:
        run_child(
            args,
            "--batch-child",
            str(size),
            "--child-out",
            str(out),
            "--batch-threshold",
            str(threshold),
            timeout=timeout,
        )
        with open(out, "rb") as fh:
            result.update(pickle.load(fh))  # noqa: S301 (our own child's file)
    except subprocess.TimeoutExpired:
        result["stopped_after"] = time.perf_counter() - t
    progress = Path(f"{out}.progress")
    result["progress"] = (
        [json.loads(line) for line in progress.read_text().splitlines()]
        if progress.exists()
        else []
    )
    shutil.rmtree(out.parent, ignore_errors=True)
    if count:
        log("  counting the pairs compared…")
        result["compared"] = int(run_child(args, "--count-child", str(size)).stdout.split()[-1])
    return result


def read_batch(result, truth, threshold):
    pairs = result["pairs"]
    found = {
        t: {(min(a, b), max(a, b)) for a, b, p in pairs if p >= t}
        for t in (*BATCH_THRESHOLDS, threshold)
    }
    groups = batch_clusters(pairs, threshold)
    n_clusters = len(truth) - sum(len(g) for g in groups) + len(groups)
    return found, n_clusters


def batch_clusters(pairs, threshold):
    from himaya.linkage import batch

    return batch.clusters(pairs, threshold)


# --- quality report ------------------------------------------------------------------------------


def quality(size, args, params):
    t = time.perf_counter()
    ds = data.generate_full(size, seed=args.seed)
    gen_s = time.perf_counter() - t
    records, truth, meta = ds.records, ds.truth, ds.meta
    persons = {p[0]: p for p in ds.persons}
    all_true = true_pairs(truth)
    n_persons = len(persons)
    log(
        f"  {n_persons:,} persons, {len(records):,} records, {len(all_true):,} true pairs "
        f"(generated in {gen_s:.1f} s, peak {maxrss_mb():.0f} MB)"
    )
    out = {
        "size": size,
        "records": len(records),
        "true_pairs": len(all_true),
        "gen_s": gen_s,
        "hard": hard_negatives(ds),
        "rows": [],
        "n_persons": n_persons,
    }
    log("  entry-time candidates…")
    et = entry_time(
        records, truth, threshold=args.threshold, probes=args.probes, seed=args.seed, params=params
    )
    unblocked = et["truths"] - et["blocked_true"]
    found = et["found"]
    row = summarise("entry-time", found, et["truths"], meta, persons, truth, args)
    row.update(
        seconds=et["seconds"],
        full=et["full"],
        probes=et["probes"],
        blocking_recall=len(et["blocked_true"]) / max(1, len(et["truths"])),
        pairs_scored=et["pairs_scored"],
        candidates_p50=et["candidates_p50"],
        candidates_at_limit=et["candidates_at_limit"],
        clusters=components(len(records), found) if et["full"] else None,
        missed_unblocked=len(unblocked),
        missed_low_score=len(et["truths"] - found) - len(unblocked),
        unblocked_rows=breakdown(set(), unblocked, meta, persons, truth)[0],
        sweep=sweep(et["scored"], len(et["truths"])),
        calibration=calibration(et["scored"]),
        examples=examples(
            found, et["truths"], records, meta, persons, truth, params, args.examples, unblocked
        ),
    )
    out["rows"].append(row)
    del et
    log(f"  entry-time done in {row['seconds']:.0f} s, peak {maxrss_mb():.0f} MB")
    if not args.no_batch:
        log("  batch (batch.find_pairs, in a child process)…")
        b = run_batch(args, size)
        found_at, n_clusters = read_batch(b, truth, args.threshold)
        row = summarise("batch", found_at[args.threshold], all_true, meta, persons, truth, args)
        row.update(
            seconds=b["seconds"],
            full=True,
            clusters=n_clusters,
            sweep=[(t, *prf(*tp_fp_fn(found_at[t], all_true, truth))) for t in BATCH_THRESHOLDS],
            examples=examples(
                found_at[args.threshold],
                all_true,
                records,
                meta,
                persons,
                truth,
                params,
                args.examples,
                set(),
            ),
        )
        out["rows"].append(row)
        out["p4"] = {k: v for k, v in b.items() if k != "pairs"}
        log(f"  batch done in {b['seconds']:.0f} s, child peak {b['peak_mb']:.0f} MB")
    out["peak_mb"] = maxrss_mb()
    return out


def tp_fp_fn(found, truths, truth):
    tp = len(found & truths)
    return tp, sum(1 for a, b in found if truth[a] != truth[b]), len(truths) - tp


def hard_negatives(ds):
    """How many pairs of records of different persons are siblings or namesakes."""
    per_household = Counter()
    per_name = Counter()
    per_person_records = Counter(ds.truth.values())
    household_of = {}
    for pid, household, given, family, _c in ds.persons:
        n = per_person_records[pid]
        per_household[household] += n
        per_name[(given, family)] += n
        household_of[pid] = household
    # pairs of records within a household / a full name, less those of one person
    own = sum(n * (n - 1) // 2 for n in per_person_records.values())
    siblings = sum(n * (n - 1) // 2 for n in per_household.values()) - own
    namesakes = sum(n * (n - 1) // 2 for n in per_name.values()) - own
    sib_persons = sum(1 for h, n in Counter(household_of.values()).items() if n > 1)
    return {
        "sibling_record_pairs": siblings,
        "namesake_record_pairs": namesakes,
        "households_with_siblings": sib_persons,
    }


def summarise(name, found, truths, meta, persons, truth, args):
    tp = len(found & truths)
    fp = sum(1 for a, b in found if truth[a] != truth[b])
    fn = len(truths - found)
    p, r, f = prf(tp, fp, fn)
    cross = [pair for pair in truths if cross_script(meta, *pair)]
    cross_hit = sum(1 for pair in cross if pair in found)
    miss_rows, fp_rows, _n = breakdown(found, truths, meta, persons, truth)
    return {
        "method": name,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": p,
        "recall": r,
        "f1": f,
        "cross_pairs": len(cross),
        "cross_recall": cross_hit / len(cross) if cross else 1.0,
        "miss_rows": miss_rows,
        "fp_rows": fp_rows,
    }


def examples(found, truths, records, meta, persons, truth, params, n, unblocked):
    """N missed and N falsely linked pairs, with their levels and probability (scored as the
    batch does: the name frequency and λ over all the records)."""
    if n <= 0:
        return []
    rec = dict(records)
    held = Counter(k for _rid, r in records if (k := features.name_key(r)))
    tokens = Counter(k for _rid, r in records for k in set(features.token_keys(r)))
    share = lambda k: tokens[k] / len(records)  # noqa: E731
    register_params = scoring.for_register(params, len(records))
    rng = random.Random(1)
    out = []
    missed = sorted(truths - found)
    false = sorted(p for p in found if truth[p[0]] != truth[p[1]])
    for kind, pool in (("missed", missed), ("false link", false)):
        for a, b in rng.sample(pool, min(n, len(pool))):
            freq = max(held[features.name_key(rec[a])], held[features.name_key(rec[b])])
            s = scoring.score(
                rec[a],
                rec[b],
                register_params,
                name_frequency=freq / len(records),
                token_frequency=max(
                    scoring.token_frequency(features.token_keys(rec[x]), share) for x in (a, b)
                ),
            )
            tag = (
                fp_kind(persons, truth, a, b)
                if kind == "false link"
                else (
                    ", ".join(pair_kinds(meta, a, b))
                    + ("; not blocked" if (a, b) in unblocked else "")
                )
            )
            out.append(
                f"{kind}: p={s.probability:.3f} levels={s.levels} [{tag}]\n"
                f"      {data.describe(rec[a])}\n      {data.describe(rec[b])}"
            )
    return out


def print_quality(results, threshold):
    print()
    print(f"Quality (threshold {threshold:.2f}; pairwise over record pairs)")
    cols = (
        "persons",
        "records",
        "method",
        "precision",
        "recall",
        "F1",
        "x-script R",
        "over-count",
        "time s",
    )
    widths = (9, 9, 11, 9, 8, 7, 10, 10, 8)
    head = " ".join(f"{c:>{w}}" for c, w in zip(cols, widths, strict=True))
    print(head)
    print("-" * len(head))
    for res in results:
        for row in res["rows"]:
            over = (
                f"{(row['clusters'] - res['n_persons']) / res['n_persons']:+.1%}"
                if row.get("clusters") is not None
                else "(sample)"
            )
            method = row["method"] + ("" if row["full"] else "*")
            print(
                f"{res['n_persons']:>9,} {res['records']:>9,} {method:>11} "
                f"{row['precision']:>9.4f} {row['recall']:>8.4f} {row['f1']:>7.4f} "
                f"{row['cross_recall']:>10.4f} {over:>10} {row['seconds']:>8.0f}"
            )
    for res in results:
        for row in res["rows"]:
            if not row["full"]:
                print(
                    f"* {label(res['size'])} entry-time: a random sample of {row['probes']:,} "
                    "records, each against all the records entered before it (over-count "
                    "needs every record: --probes 0)"
                )
    for res in results:
        print()
        h = res["hard"]
        print(
            f"{label(res['size'])}: {res['true_pairs']:,} true pairs; hard negatives: "
            f"{h['sibling_record_pairs']:,} sibling record pairs "
            f"({h['households_with_siblings']:,} households), "
            f"{h['namesake_record_pairs']:,} namesake record pairs"
        )
        for row in res["rows"]:
            print(f"  {row['method']}: TP {row['tp']:,}  FP {row['fp']:,}  FN {row['fn']:,}")
            print(
                f"    cross-script recall {row['cross_recall']:.4f} over {row['cross_pairs']:,} "
                "pairs (an Arabic-only and a Latin-only record)"
            )
            if row["method"] == "entry-time":
                print(
                    f"    blocking recall (true pair among the top {LOOKUP_LIMIT}) "
                    f"{row['blocking_recall']:.4f}; misses: {row['missed_unblocked']:,} not "
                    f"blocked, {row['missed_low_score']:,} scored below the threshold; "
                    f"candidates per probe p50 {row['candidates_p50']:.0f}, "
                    f"{row['candidates_at_limit']:.1%} at the {LOOKUP_LIMIT} limit; "
                    f"{row['pairs_scored']:,} pairs scored"
                )
            print(
                "    threshold sweep: "
                + "  ".join(f"{t:g}: P {p:.3f} R {r:.3f} F1 {f:.3f}" for t, p, r, f in row["sweep"])
            )
            if row.get("calibration"):
                print(
                    "    calibration (band of p: pairs scored, true share, mean p): "
                    + "  ".join(
                        f"[{lo:g},{hi:g}) {n:,} {share:.3f} {mean:.3f}"
                        for lo, hi, n, share, mean in row["calibration"]
                    )
                )
            if row.get("unblocked_rows"):
                print(
                    "    not blocked, by kind: "
                    + "; ".join(f"{k} {m:,}" for k, _t, m, _r, _s in row["unblocked_rows"][:8])
                )
            print("    misses by kind (a pair counts under each kind it has)")
            cols = f"{'kind':<42} {'true pairs':>10} {'missed':>8} {'recall':>7} {'of misses':>9}"
            print("      " + cols)
            for kind, tot, miss, rec, share in row["miss_rows"]:
                print(f"      {kind:<42} {tot:>10,} {miss:>8,} {rec:>7.3f} {share:>9.1%}")
            print("    false links by kind")
            for kind, n in row["fp_rows"].most_common():
                print(f"      {kind:<42} {n:>10,} {n / max(1, row['fp']):>8.1%}")
            for ex in row.get("examples", []):
                print("    " + ex)


# --- P3 on PostgreSQL ----------------------------------------------------------------------------


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


# --- P4 ------------------------------------------------------------------------------------------


def print_p4(results):
    print()
    print("P4: batch de-duplication (batch.find_pairs, Splink on DuckDB), child process per size")
    print(
        "(compared: the distinct pairs sharing a blocking key; the name is compared only for "
        "those that could still reach the threshold)"
    )
    cols = (
        "persons",
        "records",
        "threshold",
        "compared",
        "wall s",
        "pairs/s",
        "RSS before MB",
        "peak MB",
    )
    widths = (10, 10, 9, 13, 9, 9, 13, 8)
    head = " ".join(f"{c:>{w}}" for c, w in zip(cols, widths, strict=True))
    print(head)
    print("-" * len(head))
    notes = []
    for r in results:
        compared = r.get("compared")
        if "seconds" in r:
            rate = f"{compared / r['seconds']:,.0f}" if compared else "?"
            print(
                f"{r['size']:>10,} {r['records']:>10,} {r.get('threshold', 0):>9.2f} "
                f"{compared or 0:>13,} "
                f"{r['seconds']:>9.0f} {rate:>9} {r['rss_before_mb']:>13.0f} {r['peak_mb']:>8.0f}"
            )
            continue
        steps = [p for p in r["progress"] if p["step"].startswith("scored part")]
        stopped = r.get("stopped_after", 0)
        print(
            f"{r['size']:>10,} {'?':>10} {'':>9} {compared or 0:>13,} {'stopped':>9} "
            f"{'see below':>9} {'':>13} {'':>8}"
        )
        if steps:
            done = steps[-1]["fraction"]
            parts = int(steps[-1]["step"].split()[2])
            of = int(steps[-1]["step"].split()[-1])
            elapsed = steps[-1]["elapsed"]
            blocking = next((p["elapsed"] for p in r["progress"] if p["step"] == "blocking"), 0)
            per_part = (elapsed - blocking) / parts
            rate = compared * parts / of / (elapsed - blocking) if compared else 0
            notes.append(
                f"{label(r['size'])}: stopped after {stopped:.0f} s (wall, child process): "
                f"records prepared in {blocking:.0f} s, {parts} of {of} parts scored "
                f"({done:.0%}) in {elapsed - blocking:.0f} s, {per_part:.0f} s per part, RSS "
                f"{steps[-1].get('rss_mb', 0):,.0f} MB then; "
                f"EXTRAPOLATION: ~{rate:,.0f} pairs compared per second, the whole run "
                f"~{blocking + per_part * of:,.0f} s ({(blocking + per_part * of) / 3600:.1f} h)"
            )
        else:
            last = r["progress"][-1] if r["progress"] else {"step": "generating", "elapsed": 0}
            notes.append(
                f"{label(r['size'])}: stopped after {stopped:.0f} s before any part was scored "
                f"(last step: {last['step']} at {last['elapsed']:.0f} s of find_pairs); "
                f"{compared or 0:,} pairs to compare"
            )
    for n in notes:
        print(n)


# --- the run -------------------------------------------------------------------------------------


def load_parameters(path):
    return (
        json.loads(Path(path).read_text(encoding="utf-8")) if path else scoring.shipped_parameters()
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="persons for the quality part")
    parser.add_argument(
        "--p3-sizes",
        default="10000,100000",
        help="records in the database for P3 (e.g. 10000,100000,1000000)",
    )
    parser.add_argument(
        "--p4-sizes",
        default="",
        help="persons for a batch run of its own (10k and 100k come with the "
        "quality part), e.g. 1000000",
    )
    parser.add_argument("--p4-timeout", type=float, default=2400, help="seconds")
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=20251)
    parser.add_argument(
        "--names",
        choices=("v1", "v2"),
        default=data.NAMES,
        help="the generator's migrant family names (v1: the first tables; v2: published shares)",
    )
    parser.add_argument(
        "--probes",
        type=int,
        default=20000,
        help="entry-time probes per size (0: every record, needed for the "
        "over-count at large sizes)",
    )
    parser.add_argument("--p3-probes", type=int, default=200)
    parser.add_argument("--no-batch", action="store_true", help="skip the batch de-duplication")
    parser.add_argument("--no-quality", action="store_true")
    parser.add_argument("--no-p3", action="store_true")
    parser.add_argument("--examples", type=int, default=0, help="print N missed / false pairs")
    parser.add_argument("--parameters", help="a parameters JSON file (default: the shipped one)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="keep the P3 database")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--batch-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--count-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    parser.add_argument(
        "--batch-threshold", type=float, default=min(BATCH_THRESHOLDS), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--no-count", action="store_true", help="P4: do not count the blocked pairs apart"
    )
    args = parser.parse_args(argv)

    data.NAMES = args.names
    if args.batch_child:
        batch_child(
            args.batch_child, args.seed, args.child_out, args.parameters, args.batch_threshold
        )
        return 0
    if args.count_child:
        count_child(args.count_child, args.seed)
        return 0
    params = load_parameters(args.parameters)
    sizes = [] if args.no_quality else [int(s) for s in args.sizes.split(",") if s.strip()]
    p3_sizes = [] if args.no_p3 else [int(s) for s in args.p3_sizes.split(",") if s.strip()]
    p4_sizes = [int(s) for s in args.p4_sizes.split(",") if s.strip()]
    qual, speed, p4 = [], [], []
    for size in sizes:
        log(f"quality at {label(size)} persons")
        qual.append(quality(size, args, params))
        if "p4" in qual[-1]:
            p4.append(qual[-1]["p4"])
    for size in p3_sizes:
        log(f"P3 at {label(size)} records")
        speed.append(p3(size, args, params))
    for size in p4_sizes:
        log(f"P4 at {label(size)} persons (timeout {args.p4_timeout:.0f} s)")
        p4.append(
            {
                k: v
                for k, v in run_batch(
                    args,
                    size,
                    timeout=args.p4_timeout,
                    count=not args.no_count,
                    threshold=args.threshold,
                ).items()
                if k != "pairs"
            }
        )
    log(f"peak memory {maxrss_mb():.0f} MB")
    if qual:
        print_quality(qual, args.threshold)
    if speed:
        print_p3(speed, decryption_times())
    if p4:
        print_p4(p4)
    print(
        f"\npeak memory (maxrss) {maxrss_mb():.0f} MB; seed {args.seed}; names {args.names}; "
        f"parameters: {params.get('source', args.parameters or 'shipped')}"
    )
    if args.json:

        def clean(obj):
            if isinstance(obj, dict):
                return {str(k): clean(v) for k, v in obj.items() if k not in ("found",)}
            if isinstance(obj, (list, tuple)):
                return [clean(v) for v in obj]
            return obj

        Path(args.json).write_text(
            json.dumps(clean({"quality": qual, "p3": speed, "p4": p4}), indent=1, default=str),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
