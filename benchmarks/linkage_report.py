"""What the linkage benchmark (``linkage.py``) computes from its pairs and prints: pairwise
precision, recall and F1, the over-count from the clusters, misses and false links by kind, the
examples, and the quality and P4 tables. Plain Python, no Django settings needed."""

import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import linkage_data as data  # noqa: E402
from linkage_common import LOOKUP_LIMIT, label  # noqa: E402

from himaya.linkage import features, scoring  # noqa: E402

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


# --- quality and P4 tables ----------------------------------------------------------------------


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
