"""Estimating the Fellegi–Sunter parameters from data (nothing is tuned by hand).

- **u** (how often two different persons reach each level) by random sampling of pairs of
  records, as Splink's ``estimate_u_using_random_sampling``: random pairs are almost all
  non-matches.
- **m** (how often a true match reaches each level) from **labelled pairs**, as Splink's
  ``estimate_m_from_pairwise_labels``: the pairs of the seeded generator's true persons for the
  shipped parameters (``parameters.json``), the pairs the linkage desk linked once there are
  enough of them.
- **λ** (the probability that two random records are the same person) from the labelled share:
  the generator's true pairs; for a register, the shipped duplicates per record scaled to its
  size.

Why not expectation maximisation: on the seeded generator, where namesakes and siblings are
common, unsupervised EM (Splink's, blocked one comparison at a time, and a latent-class EM over
the blocked pairs) took namesakes for matches (same names imply same sex and citizenship far
more often than random pairs say), and gave a birth date more than three years apart almost no
weight: pairwise F1 0.19–0.27 against 0.52 with labelled m (benchmarks/README.md).
"""

import datetime
import json
import math
import random
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from .comparison import COMPARISONS, NULL, comparison_vector

NAMES = list(COMPARISONS)
# The least number of desk-linked pairs whose levels replace the shipped m values.
MIN_LABELLED = 200
GENERATOR = Path(__file__).resolve().parents[2] / "benchmarks" / "linkage_data.py"


def random_pairs(ids, n, seed=1):
    rng = random.Random(seed)
    ids = list(ids)
    out = set()
    limit = len(ids) * (len(ids) - 1) // 2
    while len(out) < min(n, limit):
        a, b = rng.sample(ids, 2)
        out.add((a, b) if a < b else (b, a))
    return sorted(out)


def vectors(records, pairs):
    """How many pairs reach each comparison vector (a tuple of levels, in ``NAMES`` order)."""
    counts = Counter()
    for a, b in pairs:
        levels = comparison_vector(records[a], records[b])
        counts[tuple(levels[n] for n in NAMES)] += 1
    return counts


def frequencies(counts, k):
    """Per level of comparison ``k``, its share among the non-null values, with one more
    observation of each level (Laplace smoothing), so that no level weighs infinitely."""
    size = COMPARISONS[NAMES[k]][1]
    seen = Counter()
    for vector, n in counts.items():
        if vector[k] != NULL:
            seen[vector[k]] += n
    total = sum(seen.values()) + size
    return [round((seen[level] + 1) / total, 8) for level in range(size)]


def estimate(records, matches, *, lam, seed=1, random_sample=300_000, m_from=None):
    """Parameters from records ({id: Record}), labelled matching pairs and λ. ``m_from``
    (parameters) keeps their m values instead of estimating them from ``matches``."""
    u_counts = vectors(records, random_pairs(records, random_sample, seed=seed))
    m_counts = vectors(records, matches) if m_from is None else None
    comparisons = {}
    for k, name in enumerate(NAMES):
        m = m_from["comparisons"][name]["m"] if m_from else frequencies(m_counts, k)
        comparisons[name] = {"m": m, "u": frequencies(u_counts, k)}
    return {
        "probability_two_random_records_match": lam,
        "comparisons": comparisons,
        "training": {
            "records": len(records),
            "labelled_pairs": len(matches),
            "random_pairs": sum(u_counts.values()),
            "m": "shipped" if m_from else "labelled pairs",
        },
    }


def retrain(items, linked_pairs, shipped, *, seed=1):
    """Parameters for a register: u from its random pairs, m from the desk's linked pairs when
    there are at least MIN_LABELLED of them (else the shipped m), λ scaled from the shipped
    duplicates per record to the register's size."""
    records = dict(items)
    n = len(records)
    per_record = shipped.get("duplicates_per_record") or (
        shipped["probability_two_random_records_match"] * (shipped["training"]["records"] - 1)
    )
    lam = min(0.5, per_record / max(1, n - 1))
    linked = [(a, b) for a, b in linked_pairs if a in records and b in records]
    enough = len(linked) >= MIN_LABELLED
    params = estimate(records, linked, lam=lam, seed=seed, m_from=None if enough else shipped)
    params["duplicates_per_record"] = per_record
    return params


def weights(params):
    """log2(m/u) per comparison and level: what each level adds to a pair's weight."""
    return {
        n: [round(math.log2(m / u), 2) for m, u in zip(c["m"], c["u"], strict=True)]
        for n, c in params["comparisons"].items()
    }


def _generator():
    import importlib.util

    spec = importlib.util.spec_from_file_location("_himaya_linkage_data", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def train_shipped(persons=16_667, seed=20240601, path=None):
    """The shipped parameters, from the seeded generator of benchmarks/linkage_data.py (its
    current names, ``NAMES``)."""
    from .scoring import PARAMETERS_FILE

    generator = _generator()
    records, truth = generator.generate(persons, seed=seed)
    by_person = defaultdict(list)
    for rid, pid in truth.items():
        by_person[pid].append(rid)
    matches = [pair for ids in by_person.values() for pair in combinations(sorted(ids), 2)]
    n = len(records)
    lam = len(matches) / (n * (n - 1) / 2)
    params = estimate(dict(records), matches, lam=lam, seed=seed)
    params = {
        "source": (
            f"python -m himaya.linkage.training --persons {persons} --seed {seed}: m from the "
            f"true pairs and u from random pairs of {n} records of benchmarks/linkage_data.py "
            f"generate({persons}, seed={seed}, names={generator.NAMES!r}), "
            f"{datetime.date.today().isoformat()}"
        ),
        **params,
        "duplicates_per_record": round(lam * (n - 1), 6),
    }
    with open(path or PARAMETERS_FILE, "w", encoding="utf-8") as fh:
        json.dump(params, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    return params


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m himaya.linkage.training")
    parser.add_argument("--persons", type=int, default=16_667)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--output", default=None, help="another path than parameters.json")
    args = parser.parse_args(argv)
    params = train_shipped(args.persons, args.seed, args.output)
    for name, row in weights(params).items():
        print(f"{name:12} {row}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
