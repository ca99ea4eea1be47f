"""How far any scorer over the linkage's comparisons could go on the seeded generator: the
pairwise F1 of the Bayes classifier over the *joint* comparison vector, learnt from the truth.

    .venv/bin/python benchmarks/linkage_ceiling.py --persons 10000

Fellegi–Sunter adds one weight per comparison, as if they were independent. Here every blocked
pair of one generated register (seed A) is put in a cell: its full comparison vector
(comparison.comparison_vector), the name's frequency (log2 of the larger side's count), its
tokens' (the larger side's scoring.token_frequency, by 2 bits), the
two records' birth precisions, their birth-year gap and whether a family name is missing on
either side. P(same person | cell) is counted on seed A from the generator's truth, and the
pairs of another register (seed B) are linked when their cell's P ≥ 0.5. This classifier knows
the answer key of seed A and every interaction between the comparisons, so its F1 bounds what
re-weighting the same comparisons can give (cells never seen on A count as not linked, and
pairs never blocked count as missed, as for the product). What lies above it needs more
information in the records, not another model.

Not collected by pytest (testpaths = himaya)."""

import argparse
import math
import sys
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import linkage_data as data  # noqa: E402

from himaya.linkage import batch, scoring  # noqa: E402
from himaya.linkage.comparison import comparison_vector  # noqa: E402
from himaya.linkage.features import name_key, token_keys  # noqa: E402


def blocked_cells(persons, seed):
    """(cell, is a true pair) for every pair of records sharing a blocking key, and the number
    of true pairs of the register."""
    import duckdb

    ds = data.generate_full(persons, seed=seed)
    records = dict(ds.records)
    register = batch.to_rows(ds.records)  # noqa: F841 (read by DuckDB by name)
    con = duckdb.connect(":memory:")
    pairs = con.execute(
        "WITH k AS (SELECT unique_id, unnest(bk) AS key FROM register) "
        "SELECT DISTINCT l.unique_id, r.unique_id FROM k l JOIN k r "
        "ON l.key = r.key AND l.unique_id < r.unique_id"
    ).fetchall()
    con.close()
    by_person = defaultdict(list)
    for rid, pid in ds.truth.items():
        by_person[pid].append(rid)
    true = {pair for ids in by_person.values() for pair in combinations(sorted(ids), 2)}
    counts = Counter(name_key(r) for r in records.values())
    tokens = Counter(t for r in records.values() for t in set(token_keys(r)))
    n = len(records)
    out = []
    for a, b in pairs:
        ra, rb = records[a], records[b]
        shared = max(counts[name_key(ra)], counts[name_key(rb)])
        # the tokens' frequency of the shorter name (scoring.token_frequency)
        held = max(
            scoring.token_frequency(token_keys(r), lambda k: tokens[k] / n) for r in (ra, rb)
        )
        gap = (
            min(6, abs(ra.birth_year - rb.birth_year))
            if ra.birth_year is not None and rb.birth_year is not None
            else -1
        )
        cell = (
            tuple(comparison_vector(ra, rb).values()),
            min(8, int(math.log2(shared))) if shared else -1,
            min(12, int(-math.log2(held) / 2)) if held else -1,
            tuple(sorted(-1 if r.birth_precision is None else r.birth_precision for r in (ra, rb))),
            gap,
            tuple(sorted((ra.family_missing, rb.family_missing))),
        )
        out.append((cell, (a, b) in true))
    return out, len(true)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--learn-seed", type=int, default=101)
    parser.add_argument("--seed", type=int, default=20251)
    parser.add_argument("--names", choices=("v1", "v2"), default=data.NAMES)
    args = parser.parse_args(argv)
    data.NAMES = args.names
    t = time.perf_counter()
    learnt = defaultdict(lambda: [0, 0])
    cells, _n = blocked_cells(args.persons, args.learn_seed)
    for cell, match in cells:
        learnt[cell][match] += 1
    cells, n_true = blocked_cells(args.persons, args.seed)
    tp = fp = unseen = 0
    blocked_true = sum(match for _c, match in cells)
    for cell, match in cells:
        seen = learnt.get(cell)
        if seen is None:
            unseen += 1
            continue
        if seen[1] / (seen[0] + seen[1]) >= 0.5:
            tp += match
            fp += not match
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / n_true
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(
        f"{args.persons:,} persons (learnt on seed {args.learn_seed}, read on seed {args.seed}): "
        f"{len(cells):,} blocked pairs, {n_true:,} true pairs, {blocked_true:,} of them blocked "
        f"(blocking recall {blocked_true / n_true:.3f}); {len(learnt):,} cells, {unseen:,} "
        f"pairs in unseen cells"
    )
    print(
        f"Bayes classifier over the joint cells: precision {p:.3f}, recall {r:.3f}, F1 {f1:.3f} "
        f"({time.perf_counter() - t:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
