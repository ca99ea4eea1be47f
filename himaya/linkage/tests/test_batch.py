"""The batch de-duplication (Splink on DuckDB) agrees with the entry-time comparison, leaves out
only pairs that could not match, finds a cross-script duplicate, leaves siblings apart, writes
nothing to disk, and the shipped parameters load and score. Plain tests: no database."""

import datetime
import json
import math
import os
import random
import tempfile
from collections import Counter

import pytest

from himaya.linkage import batch, scoring, training
from himaya.linkage.comparison import COMPARISONS, birth_level, comparison_vector
from himaya.linkage.features import make_record, name_key, token_keys


@pytest.fixture(scope="module")
def synthetic():
    """About 400 records of the seeded benchmark generator (benchmarks/linkage_data.py)."""
    items, _truth = training._generator().generate(220, seed=3)
    return items


def test_serialise_round_trip(synthetic):
    for _rid, record in synthetic[:100]:
        assert batch.deserialise(batch.serialise(record)) == record


def _pairs(synthetic, n_random=300):
    """Random pairs and pairs that share a blocking key (where the names are close)."""
    rng = random.Random(5)
    ids = [rid for rid, _r in synthetic]
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(n_random)]
    table = batch.to_rows(synthetic)
    keys = {}
    for rid, ks in zip(table["unique_id"].to_pylist(), table["bk"].to_pylist(), strict=True):
        for k in ks:
            keys.setdefault(k, []).append(rid)
    for members in keys.values():
        if len(members) > 1:
            pairs.append((members[0], members[1]))
    return table, pairs[:700]


def _pair_table(con, table, pairs):
    import pyarrow as pa

    con.register("t", table)
    con.register(
        "p",
        pa.table(
            {
                "i": list(range(len(pairs))),
                "a": [a for a, _b in pairs],
                "b": [b for _a, b in pairs],
            }
        ),
    )


def test_sql_levels_agree_with_comparison_vector(synthetic):
    """Every level computed in DuckDB (plain SQL over the columns, and the registered name
    function), on a few hundred pairs (blocked and random), equals
    comparison.comparison_vector."""
    by_id = dict(synthetic)
    table, pairs = _pairs(synthetic)
    con = batch.connect()
    try:
        _pair_table(con, table, pairs)
        cols = ", ".join(batch.level_sql(name, blocking=True) for name in COMPARISONS)
        rows = con.execute(
            f"SELECT {cols} FROM p JOIN t l ON l.unique_id = p.a "  # noqa: S608
            "JOIN t r ON r.unique_id = p.b ORDER BY p.i"
        ).fetchall()
    finally:
        con.close()
    disagreements = [
        (pair, row)
        for pair, row in zip(pairs, rows, strict=True)
        if dict(zip(COMPARISONS, row, strict=True))
        != comparison_vector(by_id[pair[0]], by_id[pair[1]])
    ]
    assert len(pairs) >= 300
    assert disagreements == []


def test_bound_never_leaves_out_a_pair_that_could_match(synthetic):
    """The condition that spares the name comparison is an upper bound: for every pair, the
    weight the pair really gets is at most the bound, and the pairs above the threshold are
    exactly those found without the condition."""
    by_id = dict(synthetic)
    table, pairs = _pairs(synthetic)
    params = scoring.for_register(scoring.shipped_parameters(), len(synthetic))
    keys = Counter(k for _rid, r in synthetic if (k := name_key(r)))
    share = {k: n / sum(keys.values()) for k, n in keys.items()}
    con = batch.connect()
    try:
        _pair_table(con, table, pairs)
        for threshold in (0.2, 0.5, 0.8, 0.95):
            kept = con.execute(
                f"SELECT {batch.bound_sql(params, threshold)} FROM p "  # noqa: S608
                "JOIN t l ON l.unique_id = p.a JOIN t r ON r.unique_id = p.b ORDER BY p.i"
            ).fetchall()
            for (a, b), (keep,) in zip(pairs, kept, strict=True):
                frequency = max(share.get(name_key(by_id[a]), 0), share.get(name_key(by_id[b]), 0))
                score = scoring.score(by_id[a], by_id[b], params, name_frequency=frequency)
                if score.probability >= threshold:
                    assert keep, (a, b, threshold)
        assert not all(k for (k,) in kept)  # and it does leave pairs out
    finally:
        con.close()
    everything = batch.find_pairs(synthetic, scoring.shipped_parameters(), threshold=0.0)
    bounded = batch.find_pairs(synthetic, scoring.shipped_parameters(), threshold=0.8)
    assert {(a, b) for a, b, p, *_r in everything if p >= 0.8} == {(a, b) for a, b, *_r in bounded}


def test_find_pairs_scores_as_the_entry_scorer(synthetic):
    """Levels, name and token frequencies (term-frequency adjustments: the records holding
    them other than the record itself, at least one, as at entry) and the register-size prior
    give the same weight in Splink as in scoring.score_levels."""
    pairs = batch.find_pairs(synthetic, scoring.shipped_parameters(), threshold=0.5)
    assert pairs
    by_id = dict(synthetic)
    keys = Counter(k for _rid, r in synthetic if (k := name_key(r)))
    named = sum(keys.values())
    share = {k: max(n - 1, 1) / named for k, n in keys.items()}
    tokens = Counter(t for _rid, r in synthetic for t in set(token_keys(r)))
    token_share = lambda t: max(tokens[t] - 1, 1) / named  # noqa: E731
    params = scoring.for_register(scoring.shipped_parameters(), len(synthetic))
    adjusted = Counter()
    for left, right, probability, weight, levels in pairs:
        assert left < right
        assert levels == comparison_vector(by_id[left], by_id[right])
        a, b = name_key(by_id[left]), name_key(by_id[right])
        expected = scoring.score_levels(
            levels,
            params,
            name_frequency=max(share.get(a, 0), share.get(b, 0)),
            token_frequency=max(
                scoring.token_frequency(token_keys(by_id[x]), token_share) for x in (left, right)
            ),
        )
        adjusted["name"] += levels["name"] in scoring.TF_LEVELS
        adjusted["tokens"] += levels["name"] in scoring.TOKEN_TF_LEVELS
        adjusted["fuzzy"] += levels["name"] in scoring.TF_ONLY_DOWN
        assert weight == pytest.approx(expected.weight, abs=1e-6)
        assert probability == pytest.approx(expected.probability, abs=1e-9)
    assert adjusted["name"] and adjusted["tokens"] and adjusted["fuzzy"]


def _people():
    zeyani_ar = make_record(
        given_ar="محمد",
        family_ar="الزياني",
        sex="M",
        birth_date=datetime.date(1990, 1, 1),
        precision="year",
        citizenships=["MAR"],
    )
    zeyani_lat = make_record(
        given_lat="Mohammed",
        family_lat="Zeyani",
        sex="M",
        birth_date=datetime.date(1990, 5, 17),
        precision="exact",
        citizenships=["MAR"],
    )
    sister = make_record(
        given_lat="Fatima",
        family_lat="Bennani",
        sex="F",
        birth_date=datetime.date(1992, 3, 4),
        precision="exact",
        citizenships=["MAR"],
    )
    brother = make_record(
        given_lat="Youssef",
        family_lat="Bennani",
        sex="M",
        birth_date=datetime.date(1998, 7, 9),
        precision="exact",
        citizenships=["MAR"],
    )
    return [(1, zeyani_ar), (2, zeyani_lat), (3, sister), (4, brother)]


def test_cross_script_pair_found_and_siblings_not(synthetic):
    items = _people() + [(rid + 100, record) for rid, record in synthetic[:200]]
    steps = []
    pairs = batch.find_pairs(
        items, scoring.shipped_parameters(), threshold=0.8, progress=lambda s, f: steps.append(f)
    )
    found = {(a, b) for a, b, *_rest in pairs}
    assert (1, 2) in found
    assert (3, 4) not in found
    assert steps[0] == 0.0 and steps[-1] == 1.0 and steps == sorted(steps)
    assert {1, 2} in batch.clusters(pairs, 0.8)


def test_nothing_written_to_disk(synthetic, monkeypatch):
    with tempfile.TemporaryDirectory() as cwd:
        monkeypatch.chdir(cwd)
        before_tmp = set(os.listdir(tempfile.gettempdir()))
        batch.find_pairs(synthetic, scoring.shipped_parameters())
        assert os.listdir(cwd) == []
        new = set(os.listdir(tempfile.gettempdir())) - before_tmp
        assert not [n for n in new if "duckdb" in n.lower() or "splink" in n.lower()]
    con = batch.connect()
    try:
        assert con.execute("SELECT current_setting('temp_directory')").fetchall()[0][0] == ""
    finally:
        con.close()


def test_clusters_union_find():
    pairs = [(1, 2, 0.9, 3.0, {}), (2, 3, 0.95, 4.0, {}), (4, 5, 0.5, 0.0, {}), (6, 7, 0.99, 9, {})]
    assert batch.clusters(pairs, 0.8) == [{1, 2, 3}, {6, 7}]


def test_shipped_parameters_load_and_score():
    params = json.loads(scoring.PARAMETERS_FILE.read_text(encoding="utf-8"))
    assert params["source"]
    assert 0 < params["probability_two_random_records_match"] < 1
    for name, (_fn, n) in COMPARISONS.items():
        comp = params["comparisons"][name]
        assert len(comp["m"]) == len(comp["u"]) == n
        assert all(v > 0 for v in comp["m"] + comp["u"])
    (_, a), (_, b), (_, c), (_, d) = _people()
    assert scoring.score(a, b, params).probability > 0.8
    assert scoring.score(c, d, params).probability < 0.8


def test_training_estimates_from_labelled_pairs():
    items, truth = training._generator().generate(400, seed=11)
    records = dict(items)
    by_person = {}
    for rid, pid in truth.items():
        by_person.setdefault(pid, []).append(rid)
    matches = [(a, b) for ids in by_person.values() for a, b in zip(ids, ids[1:], strict=False)]
    params = training.estimate(records, matches, lam=1e-3, random_sample=5000)
    assert set(params["comparisons"]) == set(COMPARISONS)
    for name, (_fn, n) in COMPARISONS.items():
        comp = params["comparisons"][name]
        assert len(comp["m"]) == n and min(comp["m"] + comp["u"]) > 0
        assert sum(comp["m"]) == pytest.approx(1, abs=1e-6)
    weights = training.weights(params)
    # what a true match looks like outweighs what two random records look like
    assert weights["name"][-1] > 5 and weights["birth"][0] < 0


def _born(precision, day=None, year=None, age=None):
    if precision == "estimated":
        return make_record(
            given_lat="Awa",
            family_lat="Diallo",
            estimated_age=age,
            estimated_on=datetime.date(2024, 6, 1),
        )
    return make_record(given_lat="Awa", family_lat="Diallo", birth_date=day, precision=precision)


def test_birth_levels_follow_the_vaguer_precision():
    """An age estimated a year off is a level of its own (the same person's ages often are),
    apart from two exact dates a year apart (more often two persons); a 1 January placeholder
    is a year only."""
    exact = _born("exact", datetime.date(1990, 5, 17))
    assert birth_level(exact, _born("exact", datetime.date(1990, 5, 17))) == 7
    assert birth_level(exact, _born("exact", datetime.date(1990, 9, 2))) == 6
    assert birth_level(exact, _born("year", datetime.date(1990, 6, 30))) == 5
    assert birth_level(exact, _born("exact", datetime.date(1990, 1, 1))) == 5  # placeholder
    assert birth_level(exact, _born("estimated", age=34)) == 4  # 2024 − 34 = 1990
    assert birth_level(exact, _born("estimated", age=33)) == 3
    assert birth_level(exact, _born("exact", datetime.date(1991, 5, 17))) == 2
    assert birth_level(exact, _born("exact", datetime.date(1993, 5, 17))) == 1
    assert birth_level(exact, _born("exact", datetime.date(1995, 5, 17))) == 0
    assert birth_level(exact, make_record(given_lat="Awa")) == -1
    words = scoring.explain(exact, _born("estimated", age=33), {"birth": 3}, with_names=False)
    assert "born within a year of each other, from an estimated age" in words


def test_parameters_of_other_levels_do_not_fit():
    shipped = scoring.shipped_parameters()
    assert scoring.fits(shipped)
    old = json.loads(json.dumps(shipped))
    old["comparisons"]["birth"]["m"] = old["comparisons"]["birth"]["m"][:5]
    old["comparisons"]["birth"]["u"] = old["comparisons"]["birth"]["u"][:5]
    assert not scoring.fits(old)


def test_a_rare_name_alone_weighs_more_than_a_common_one():
    """One name inside the other (a family name missing): the level's weight follows how
    often a record holds the shorter name's tokens (Oluwaseun alone says more than Mohamed
    alone); where every token agrees, the name's own frequency applies instead."""
    params = scoring.shipped_parameters()
    full = make_record(given_lat="Oluwaseun", family_lat="Adeyemi")
    alone = make_record(given_lat="Oluwaseun")
    levels = comparison_vector(full, alone)
    assert levels["name"] in scoring.TOKEN_TF_LEVELS
    plain = scoring.score_levels(levels, params).weight
    rare = scoring.score_levels(levels, params, token_frequency=1 / 5000).weight
    common = scoring.score_levels(levels, params, token_frequency=0.2).weight
    assert common < plain < rare
    assert rare - common == pytest.approx(math.log2(0.2 * 5000))
    same = comparison_vector(full, full)
    assert scoring.score_levels(same, params, token_frequency=0.2).weight == pytest.approx(
        scoring.score_levels(same, params).weight
    )
    assert scoring.token_frequency(("lsn", "dym", "lsn"), {"lsn": 0.5, "dym": 0.1}.get) == (
        pytest.approx(0.05)
    )


def test_the_tokens_of_a_compound_name_are_counted_together():
    """Mark and Anthony each held by 2 % of the records, "Mark Anthony" by 1.5 %: the product
    (0.04 %) would make "Mark Anthony" alone inside "Mark Anthony Ocampo" strong evidence;
    the pair's own share is used. Three tokens: each pair's dependence along the tree of the
    most dependent pairs; a pair not counted counts as independent."""
    shares = {"mrk": 0.02, "ntn": 0.02, "mrk+ntn": 0.015}
    record = make_record(given_lat="Mark Anthony")
    assert token_keys(record) == ("mrk", "ntn", "mrk+ntn")
    assert scoring.token_frequency(token_keys(record), lambda k: shares.get(k, 0)) == (
        pytest.approx(0.015)
    )
    assert scoring.token_frequency(("mrk", "ntn"), shares.get) == pytest.approx(0.0004)
    three = {"a": 0.1, "b": 0.1, "c": 0.2, "a+b": 0.08, "a+c": 0.02, "b+c": 0.02}
    # tree a–b (lift 8) then c by a or b (lift 1): 0.08 × 0.2
    assert scoring.token_frequency(("a", "b", "c", "a+b", "a+c", "b+c"), three.get) == (
        pytest.approx(0.016)
    )
    assert scoring.token_frequency(("a", "b", "a+b"), {"a": 0.1, "b": 0.1}.get) == (
        pytest.approx(0.01)
    )


def test_a_close_spelling_weighs_less_for_a_common_name_never_more_for_a_rare_one():
    """Close spellings (the fuzzy level): the name's frequency lowers the weight of a common
    name and does not raise that of a rare one (Hadghaoui, Hamdaoui)."""
    params = scoring.shipped_parameters()
    levels = comparison_vector(
        make_record(given_lat="Amina", family_lat="Hadghaoui"),
        make_record(given_lat="Amina", family_lat="Hamdaoui"),
    )
    assert levels["name"] in scoring.TF_ONLY_DOWN
    plain = scoring.score_levels(levels, params).weight
    assert scoring.score_levels(levels, params, name_frequency=1e-6).weight == plain
    assert scoring.score_levels(levels, params, name_frequency=0.01).weight < plain
