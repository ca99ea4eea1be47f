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
import json
import os
import pickle
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import linkage_data as data  # noqa: E402
from linkage_common import (  # noqa: E402
    DEFAULT_URL,
    LOOKUP_LIMIT,
    REGISTER_FLOOR,
    label,
    log,
    maxrss_mb,
    rss_mb,
)
from linkage_p3_sql import decryption_times, p3, print_p3  # noqa: E402
from linkage_report import (  # noqa: E402
    breakdown,
    components,
    examples,
    hard_negatives,
    prf,
    print_p4,
    print_quality,
    summarise,
    tp_fp_fn,
    true_pairs,
)

from himaya.linkage import features, scoring  # noqa: E402
from himaya.linkage.comparison import comparison_vector  # noqa: E402

# the batch is run once at the lowest of these and read at each
BATCH_THRESHOLDS = (0.5, 0.8, 0.9)
LOWEST = min(BATCH_THRESHOLDS)


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
