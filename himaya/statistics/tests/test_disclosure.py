"""Disclosure control (DOMAIN.md §7): hand-worked tables, an exhaustive cross-check of the audit
on small tables, and a property test over random tables proving that no suppressed value can
be recovered from what is published."""

import itertools
from collections import Counter

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from himaya.statistics.disclosure import (
    SUPPRESSED,
    TOTAL,
    is_suppressed,
    protect_1d,
    protect_2d,
)

K = 5


# --- independent checks (plain arithmetic, no flow code) -------------------------------------


def shape_of(result):
    if hasattr(result, "row_totals"):
        return len(result.row_totals), len(result.col_totals)
    return None, len(result.cells)


def consistent(result, values) -> bool:
    """Is `values` (entry key -> int) a table that an intruder cannot tell from the true one:
    non-negative, additive, and equal to every published value?"""
    if any(v < 0 for v in values.values()):
        return False
    for key in result.true_values():
        if key not in result.suppressed and values[key] != result.published(key):
            return False
    n_rows, n_cols = shape_of(result)
    if n_rows is None:
        return sum(values[("cell", j)] for j in range(n_cols)) == values[TOTAL]
    for i in range(n_rows):
        if sum(values[("cell", i, j)] for j in range(n_cols)) != values[("row", i)]:
            return False
    for j in range(n_cols):
        if sum(values[("cell", i, j)] for i in range(n_rows)) != values[("col", j)]:
            return False
    return sum(values[("row", i)] for i in range(n_rows)) == values[TOTAL]


def brute_force_intervals(result, cap):
    """Exact intervals by enumerating every table with suppressed cells in 0..cap; None when
    the search would be too large."""
    truth = result.true_values()
    hidden_cells = sorted(k for k in result.suppressed if k[0] == "cell")
    if len(hidden_cells) > 6 or (cap + 1) ** len(hidden_cells) > 120_000:
        return None
    n_rows, n_cols = shape_of(result)
    lows, highs = {}, {}
    for combo in itertools.product(range(cap + 1), repeat=len(hidden_cells)):
        values = dict(truth)
        values.update(zip(hidden_cells, combo, strict=True))
        if n_rows is None:
            values[TOTAL] = sum(values[("cell", j)] for j in range(n_cols))
        else:
            for i in range(n_rows):
                values[("row", i)] = sum(values[("cell", i, j)] for j in range(n_cols))
            for j in range(n_cols):
                values[("col", j)] = sum(values[("cell", i, j)] for i in range(n_rows))
            values[TOTAL] = sum(values[("row", i)] for i in range(n_rows))
        if not consistent(result, values):
            continue
        for key in result.suppressed:
            lows[key] = min(lows.get(key, values[key]), values[key])
            highs[key] = max(highs.get(key, values[key]), values[key])
    return lows, highs


def check_published(result, k=K):
    """The properties every published table has; returns the number of suppressed entries
    whose value an intruder could pin down (must be 0)."""
    truth = result.true_values()
    # No published entry in 1..k-1; every published entry is the true value.
    for key, value in truth.items():
        published = result.published(key)
        if published is SUPPRESSED:
            continue
        assert published == value
        assert not 0 < published < k, (key, published)
    # Primary = exactly the small entries; secondary disjoint from them.
    assert result.primary == {key for key, v in truth.items() if 0 < v < k}
    assert not result.primary & result.secondary
    # No line (cells and their total) holds exactly one suppressed entry.
    for line in result.lines():
        assert sum(key in result.suppressed for key in line) != 1, line
    recoverable = 0
    for key in result.suppressed:
        value = truth[key]
        lo, hi = result.intervals[key]
        assert lo <= value and (hi is None or value <= hi)
        # Witnesses at both ends, checked by plain arithmetic above.
        other = lo if lo != value else value + 1
        witness = result.witness(key, other)
        if witness is None or witness[key] == value or not consistent(result, witness):
            recoverable += 1
            continue
        if key in result.primary:
            top = max(k - 1, value + 1)
            assert lo == 0 and (hi is None or hi >= top), (key, value, lo, hi)
            for target in (0, top):
                w = result.witness(key, target)
                assert w is not None and w[key] == target and consistent(result, w)
    return recoverable


# --- the audit catches what simpler rules miss ----------------------------------------------


def test_audit_sees_through_primary_only_and_two_per_line_patterns():
    # Primary suppression alone: 111 - 50 - 60 gives the hidden 1 back.
    assert protect_1d([1, 50, 60]).audit({("cell", 0)}) == {("cell", 0): (1, 1)}
    # Two per line is not enough: in the rectangle 3, 40 / 70, 2 the 3 can fall only by the
    # diagonal's 2, so the intruder learns the cell holds at least one person.
    result = protect_2d([[50, 3, 40, 60], [45, 70, 2, 80], [90, 10, 65, 55]])
    rectangle = {("cell", 0, 1), ("cell", 0, 2), ("cell", 1, 1), ("cell", 1, 2)}
    assert result.audit(rectangle)[("cell", 0, 1)] == (1, 43)
    assert result.suppressed != rectangle


# --- hand-worked tables ----------------------------------------------------------------------


def test_sentinel():
    assert is_suppressed(SUPPRESSED) and not is_suppressed(0)
    assert type(SUPPRESSED)() is SUPPRESSED
    assert repr(SUPPRESSED) == "SUPPRESSED"


def test_one_dimension_small_cell_takes_the_smallest_complement():
    result = protect_1d([1, 50, 60])
    assert result.cells == (SUPPRESSED, SUPPRESSED, 60)
    assert result.total == 111
    assert result.primary == {("cell", 0)}
    assert result.secondary == {("cell", 1)}
    # 111 - 60 = 51 is all the intruder knows about the two hidden cells.
    assert result.intervals[("cell", 0)] == (0, 51)
    assert check_published(result) == 0


def test_one_dimension_two_small_cells_are_not_a_small_group():
    # Hiding only 3 and 1 would publish their sum 104 - 100 = 4, itself a small cell.
    result = protect_1d([3, 1, 100])
    assert result.cells == (SUPPRESSED, SUPPRESSED, SUPPRESSED)
    assert result.total == 104
    assert result.secondary == {("cell", 2)}
    assert check_published(result) == 0


def test_one_dimension_zero_is_published_and_never_protects():
    result = protect_1d([2, 0, 60])
    assert result.cells == (SUPPRESSED, 0, SUPPRESSED)
    assert result.intervals[("cell", 0)] == (0, 62)
    assert protect_1d([0, 0, 0]).cells == (0, 0, 0)
    assert check_published(result) == 0


def test_one_dimension_small_total_is_suppressed_too():
    result = protect_1d([4])
    assert result.cells == (SUPPRESSED,) and result.total is SUPPRESSED
    assert result.intervals[TOTAL] == (0, None)
    many = protect_1d([1, 1, 1, 1, 1])
    assert all(c is SUPPRESSED for c in many.cells) and many.total == 5
    assert check_published(many) == 0


def test_row_with_one_small_cell_among_big_ones():
    table = [[20, 30, 1], [40, 25, 33], [17, 22, 60]]
    result = protect_2d(table)
    assert result.primary == {("cell", 0, 2)}
    assert result.cells[0][2] is SUPPRESSED
    # Row 0 and column 2 each hide a second cell; totals stay published.
    assert sum(c is SUPPRESSED for c in result.cells[0]) >= 2
    assert sum(row[2] is SUPPRESSED for row in result.cells) >= 2
    assert result.row_totals == (51, 98, 99)
    assert result.col_totals == (77, 77, 94)
    assert result.total == 248
    lo, hi = result.intervals[("cell", 0, 2)]
    assert lo == 0 and hi >= K - 1
    # A rectangle of four cells suffices here.
    assert len(result.suppressed) == 4
    assert check_published(result) == 0


def test_diagonal_too_small_to_hide_emptiness_gets_more_cells():
    # The rectangle 3, 40 / 70, 2 would let 3 fall only by 2 (the diagonal 2): the intruder
    # would learn the cell is not empty, so a third row joins the pattern.
    table = [[50, 3, 40, 60], [45, 70, 2, 80], [90, 10, 65, 55]]
    result = protect_2d(table)
    assert result.intervals[("cell", 0, 1)][0] == 0
    assert result.intervals[("cell", 1, 2)][0] == 0
    assert check_published(result) == 0


def test_zero_row_is_published():
    result = protect_2d([[10, 12], [0, 0], [30, 40]])
    assert result.suppressed == frozenset()
    assert result.cells[1] == (0, 0) and result.row_totals[1] == 0
    with_small = protect_2d([[10, 12], [2, 30], [0, 0]])
    assert with_small.cells[2] == (0, 0) and with_small.row_totals[2] == 0
    assert with_small.cells[1][0] is SUPPRESSED
    assert check_published(with_small) == 0


def test_small_margin_is_suppressed_and_propagates():
    # Row 1 totals 3: the total itself is a small cell, and so is every cell of that row.
    result = protect_2d([[30, 40, 25], [2, 1, 0], [20, 35, 50]])
    assert ("row", 1) in result.primary
    assert result.row_totals[1] is SUPPRESSED
    # The margin line (row totals with the grand total) hides a second entry.
    hidden_margins = [t for t in result.row_totals if t is SUPPRESSED]
    assert len(hidden_margins) >= 2 or result.total is SUPPRESSED
    assert result.cells[1][2] == 0
    assert check_published(result) == 0


def test_all_cells_small():
    result = protect_2d([[1, 2], [3, 1]])
    assert all(c is SUPPRESSED for row in result.cells for c in row)
    assert all(t is SUPPRESSED for t in result.row_totals + result.col_totals)
    assert result.total == 7
    assert check_published(result) == 0
    tiny = protect_2d([[1, 0], [0, 2]])
    assert tiny.total is SUPPRESSED
    assert check_published(tiny) == 0


def test_single_row_table_hides_column_totals_with_their_cell():
    # In a one-row table each column total equals its cell.
    result = protect_2d([[7, 2, 9]])
    assert result.cells[0][1] is SUPPRESSED and result.col_totals[1] is SUPPRESSED
    assert check_published(result) == 0


def test_other_threshold():
    assert protect_1d([2, 10, 20], k=3).cells == (SUPPRESSED, SUPPRESSED, 20)
    assert protect_1d([3, 10, 20], k=3).cells == (3, 10, 20)


@pytest.mark.parametrize(
    "call",
    [
        lambda: protect_1d([1, 2], total=4),
        lambda: protect_1d([-1, 2]),
        lambda: protect_1d([1.5, 2]),
        lambda: protect_1d([]),
        lambda: protect_1d([1, 2], k=1),
        lambda: protect_2d([[1, 2], [3]]),
        lambda: protect_2d([]),
        lambda: protect_2d([[1, 2], [3, 4]], row_totals=[3, 8]),
        lambda: protect_2d([[1, 2], [3, 4]], col_totals=[4, 5]),
        lambda: protect_2d([[1, 2], [3, 4]], total=9),
    ],
)
def test_refuses_bad_tables(call):
    # Among them totals that are not the sums (victims by form with the distinct-person total).
    with pytest.raises(ValueError):
        call()


def test_given_margins_are_accepted_when_additive():
    result = protect_2d([[10, 20], [30, 40]], row_totals=[30, 70], col_totals=[40, 60], total=100)
    assert result.suppressed == frozenset() and result.total == 100


# --- random tables -------------------------------------------------------------------------

counts = st.one_of(st.integers(0, 6), st.integers(0, 6), st.integers(0, 80))


@st.composite
def tables(draw, max_side=6, values=counts):
    if draw(st.booleans()):
        return "1d", draw(st.lists(values, min_size=1, max_size=max_side + 2))
    n_rows = draw(st.integers(1, max_side))
    n_cols = draw(st.integers(1, max_side))
    rows = draw(
        st.lists(
            st.lists(values, min_size=n_cols, max_size=n_cols), min_size=n_rows, max_size=n_rows
        )
    )
    return "2d", rows


def protect(table):
    kind, data = table
    return protect_1d(data) if kind == "1d" else protect_2d(data)


def test_audit_matches_exhaustive_enumeration():
    """The flow audit's intervals equal those found by enumerating every table."""
    checked = Counter()

    @settings(max_examples=150, deadline=None, database=None, derandomize=True)
    @given(table=tables(max_side=3, values=st.integers(0, 7)))
    def check(table):
        result = protect(table)
        truth = result.true_values()
        cap = truth[TOTAL] + 1
        found = brute_force_intervals(result, cap)
        assume(found is not None)
        lows, highs = found
        for key, (lo, hi) in result.intervals.items():
            assert lows[key] == lo, key
            if hi is None:
                assert highs[key] >= cap, key
            else:
                assert highs[key] == hi, key
            checked["entries"] += 1
        checked["tables"] += 1

    check()
    assert checked["tables"] >= 50 and checked["entries"] > 100


def test_random_tables_leave_no_suppressed_value_recoverable(figure):
    totals = Counter()

    @settings(
        max_examples=400,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(table=tables())
    def check(table):
        result = protect(table)
        recoverable = check_published(result)
        totals["tables"] += 1
        totals[table[0]] += 1
        totals["primary"] += len(result.primary)
        totals["secondary"] += len(result.secondary)
        totals["recoverable"] += recoverable
        assert recoverable == 0

    check()
    assert totals["1d"] > 50 and totals["2d"] > 50 and totals["primary"] > 200
    figure(
        f"DOMAIN §7: {totals['tables']} random tables ({totals['1d']} 1-D, {totals['2d']} 2-D "
        f"with margins, up to 6x6) → {totals['primary']} primary and {totals['secondary']} "
        f"secondary suppressions, {totals['recoverable']} recoverable suppressed values; every "
        f"primary cell's feasible interval contains [0, k−1] (k = {K})"
    )
