"""Disclosure control for public tables of counts (DOMAIN.md §7).

A public figure never identifies anyone. A table of counts (one dimension with its total, or
two dimensions with row totals, column totals and a grand total) is published with:

- **primary suppression**: every entry, cell or margin, whose value is 1 .. k-1 (k = 5 by
  default) is suppressed; 0 is publishable;
- **secondary (complementary) suppression**: further entries are suppressed until no suppressed
  value can be recovered, exactly or narrowly, from the published cells and totals.

The rule, checked exactly for every published table
-------------------------------------------------
The intruder knows every published value, that counts are non-negative integers and that the
table adds up. For every suppressed entry the *feasible interval* is the range of values it can
take in some table consistent with all that. A table is published only when

- every suppressed entry has a feasible interval of width >= 1 (its value is never determined);
- every primary entry of value v has a feasible interval containing [0, max(k-1, v+1)]: the
  intruder cannot tell whether the cell is empty, cannot exclude any value of the small band,
  and cannot read the true value off the upper end;
- every line (a row with its total, a column with its total, the row totals with the grand
  total, ...) holds either no suppressed entry or at least two, and when the suppressed
  entries of a line all lie on the same side of its equation (so that their sum is published
  implicitly, e.g. "row total minus published cells"), that sum is at least k: the group of
  suppressed cells is not itself a small cell.

How
---
A table with margins is a network: a 2-D table is source -> row i (arc: row total) -> column j
(arc: cell i,j) -> sink (arc: column total) -> source (arc: grand total); a 1-D table is cells
as parallel arcs source -> sink and the total as sink -> source. Each additivity equation is
flow conservation at one node, and each "line" above is the set of arcs at one node.

1. Primary entries are suppressed.
2. Lines are closed to a fixed point: a line with one suppressed entry, or with a one-sided
   suppressed sum below k, gets a complement: the smallest publishable cell of that line that
   is big enough (margins and zeros last).
3. Audit: each suppressed entry's feasible interval is computed exactly as two maximum flows.
   Feasible tables differ from the true one by a circulation on the suppressed arcs that keeps
   every value non-negative, so the entry can rise by the max flow from its head to its tail
   (and fall by the max flow from its tail to its head) in the residual graph of the *other*
   suppressed arcs: forward capacity unbounded, backward capacity the arc's value. Network
   matrices are totally unimodular, so these bounds are integers and every integer between
   them is attained: the interval is exact for integer tables, not an LP relaxation.
4. An entry that fails the rule gets one more complement (the first publishable entry, its
   own lines first, whose suppression widens its interval), lines are closed again, and the
   audit repeats. Every round suppresses at least one more entry and a fully suppressed table
   passes (every interval is then [0, unbounded)), so the loop ends.

The audit also yields witnesses: a complete table, consistent with every published value,
where a suppressed entry takes another value. Tests check those witnesses with plain
arithmetic, independently of the flow code.

Limits
------
- Margins must be additive (each total is the sum of its cells; the functions refuse anything
  else). A table whose categories overlap (victims by form, where one person counted under two
  forms makes forms sum to more than the total, DOMAIN.md §6) must not be published with the
  distinct-person total as its margin: publish the distinct totals as their own 1-D table.
- Each table is protected on its own. Several tables from the same data (victims by form x sex
  and by form x age) can be linked by an intruder; the statistics pages must publish such sets
  as one table of higher dimension or from non-overlapping breakdowns. Hierarchical tables
  (sub-forms as "including" lines) are outside this module.
- The complement choice is greedy, not optimal: it may hide more than the minimum number of
  cells (tau-Argus's optimal method solves a mixed-integer programme for that); safety does
  not depend on the choice, since the audit verifies the result.
- Cost: two max flows per suppressed entry per round, on a graph of size rows x columns.
  Meant for the small tables of the public pages (tens of rows and columns at most).

Libraries weighed (DOMAIN.md §7)
--------------------------------
- ACRO (SACRO project, PyPI ``acro``) checks research outputs: threshold and dominance (N-K,
  p%) rules on pandas crosstabs, replacing unsafe cells by NaN and, with margins, recomputing
  the totals from the unsuppressed data (AI-SDC/ACRO issues 137 and 198). It does no
  secondary suppression, so published official totals (which must be the true counts) would
  let the hidden cells be recovered; it also brings pandas, numpy and statsmodels into a
  Django deployment for a few dozen lines of work. Not used.
- OpenDP adds calibrated noise under a privacy budget. The national report must print exact
  counts that add up, so noise is not the default; it remains the option DOMAIN.md §7 names
  for a deployment that wants it, behind the same "protected table" shape.
- scipy (an LP solver for the audit) is not a dependency; the max-flow audit above is exact
  for these tables and needs nothing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_K = 5


class _Suppressed:
    """The value of a suppressed entry in a published table (a singleton)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "SUPPRESSED"

    def __str__(self):
        return "suppressed"


SUPPRESSED = _Suppressed()


def is_suppressed(value) -> bool:
    return value is SUPPRESSED


# Keys of entries. 1-D: ("cell", j), ("total",). 2-D: ("cell", i, j), ("row", i), ("col", j),
# ("total",). Row totals and column totals are the margins.
TOTAL = ("total",)


@dataclass(frozen=True)
class _Arc:
    key: tuple
    tail: object
    head: object
    value: int
    margin: bool


def _check_count(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"counts must be non-negative integers, not {value!r}")
    return value


def _check_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < 2:
        raise ValueError("k must be an integer >= 2")
    return k


# ---------------------------------------------------------------------------------------------
# The network and its exact audit
# ---------------------------------------------------------------------------------------------


class _Network:
    def __init__(self, arcs: list[_Arc]):
        self.arcs = arcs
        self.by_key = {a.key: a for a in arcs}
        self.order = {a.key: n for n, a in enumerate(arcs)}
        self.nodes: dict[object, list[_Arc]] = {}
        for a in arcs:
            self.nodes.setdefault(a.tail, []).append(a)
            self.nodes.setdefault(a.head, []).append(a)
        # Larger than any finite max flow (bounded by the sum of the suppressed values).
        self.infinity = sum(a.value for a in arcs) + 1

    def _residual(self, suppressed, excluded):
        """Residual graph of the suppressed arcs but one. Each arc a gets its own middle node,
        so that parallel arcs stay apart and net changes can be read back per arc."""
        res: dict[object, dict[object, int]] = {}

        def add(u, v, cap):
            res.setdefault(u, {})
            res.setdefault(v, {})
            res[u][v] = res[u].get(v, 0) + cap

        for key in suppressed:
            if key == excluded:
                continue
            a = self.by_key[key]
            mid = ("arc", a.key)
            add(a.tail, mid, self.infinity)
            add(mid, a.head, self.infinity)
            add(a.head, mid, a.value)
            add(mid, a.tail, a.value)
        return res

    @staticmethod
    def _max_flow(res, source, sink, limit) -> int:
        """Edmonds-Karp from source to sink, stopping at limit; mutates res."""
        if source not in res or sink not in res or source == sink:
            return 0
        flow = 0
        while flow < limit:
            parent = {source: None}
            queue = deque([source])
            while queue and sink not in parent:
                u = queue.popleft()
                for v, cap in res[u].items():
                    if cap > 0 and v not in parent:
                        parent[v] = u
                        queue.append(v)
            if sink not in parent:
                break
            path = []
            v = sink
            while parent[v] is not None:
                path.append((parent[v], v))
                v = parent[v]
            push = min(limit - flow, min(res[u][v] for u, v in path))
            for u, v in path:
                res[u][v] -= push
                res[v][u] = res[v].get(u, 0) + push
            flow += push
        return flow

    def interval(self, suppressed, key) -> tuple[int, int | None]:
        """Exact feasible interval (lo, hi) of a suppressed entry; hi None = unbounded."""
        a = self.by_key[key]
        up = self._max_flow(self._residual(suppressed, key), a.head, a.tail, self.infinity)
        down = self._max_flow(self._residual(suppressed, key), a.tail, a.head, a.value)
        hi = None if up >= self.infinity else a.value + up
        return a.value - down, hi

    def witness(self, suppressed, key, target) -> dict[tuple, int] | None:
        """All entries' values in a table consistent with the published ones where entry key
        equals target; None if there is none."""
        a = self.by_key[key]
        if target < 0:
            return None
        res = self._residual(suppressed, key)
        if target >= a.value:
            need = target - a.value
            got = self._max_flow(res, a.head, a.tail, need)
        else:
            need = a.value - target
            got = self._max_flow(res, a.tail, a.head, need)
        if got < need:
            return None
        values = {b.key: b.value for b in self.arcs}
        values[key] = target
        for other in suppressed:
            if other == key:
                continue
            b = self.by_key[other]
            mid = ("arc", b.key)
            values[other] = b.value + (res[mid][b.tail] - b.value)
        return values


# ---------------------------------------------------------------------------------------------
# Suppression
# ---------------------------------------------------------------------------------------------


def _preference(net: _Network, need: int, suppressed):
    """Order of complements: cells before margins, non-zero before zero, then those that close
    a path of suppressed entries (both ends already on a line with a suppressed entry, so the
    pattern stays small), then the smallest value that is at least `need`, then the largest of
    those below it."""

    def touched(node, a):
        return any(b.key in suppressed for b in net.nodes[node] if b is not a)

    def rank(a: _Arc):
        big_enough = a.value >= need
        return (
            a.margin,
            a.value == 0,
            not (touched(a.tail, a) and touched(a.head, a)),
            not big_enough,
            a.value if big_enough else -a.value,
            net.order[a.key],
        )

    return rank


def _line_need(node, incident, suppressed, k) -> int | None:
    """None if the line at this node is safe, else the mass a complement should bring."""
    hidden = [a for a in incident if a.key in suppressed]
    if not hidden:
        return None
    one_sided = all(a.head == node for a in hidden) or all(a.tail == node for a in hidden)
    if not one_sided:
        return None if len(hidden) >= 2 else 1
    mass = sum(a.value for a in hidden)
    if len(hidden) >= 2 and mass >= k:
        return None
    return max(1, k - mass)


def _close_lines(net: _Network, suppressed: set, k: int) -> None:
    changed = True
    while changed:
        changed = False
        for node, incident in net.nodes.items():
            need = _line_need(node, incident, suppressed, k)
            if need is None:
                continue
            candidates = [a for a in incident if a.key not in suppressed]
            # A line always has a publishable entry here: a fully suppressed line has arcs on
            # both sides of its node, hence at least two suppressed entries and no need.
            best = min(candidates, key=_preference(net, need, suppressed))
            suppressed.add(best.key)
            changed = True


def _deficit(net: _Network, suppressed, key, primary, k) -> int:
    """0 when the entry meets the rule, else how far its interval falls short."""
    lo, hi = net.interval(suppressed, key)
    value = net.by_key[key].value
    if key in primary:
        top = max(k - 1, value + 1)
        return lo + (0 if hi is None else max(0, top - hi))
    return 1 if hi is not None and hi == lo else 0


def _repair(net: _Network, suppressed: set, key, primary, k) -> None:
    a = net.by_key[key]
    current = _deficit(net, suppressed, key, primary, k)
    rank = _preference(net, max(1, k - a.value), suppressed)
    near = [b for b in net.nodes[a.tail] + net.nodes[a.head] if b.key not in suppressed]
    near = sorted({b.key: b for b in near}.values(), key=rank)
    near_keys = {b.key for b in near}
    far = sorted(
        (b for b in net.arcs if b.key not in suppressed and b.key not in near_keys),
        key=rank,
    )
    candidates = near + far
    for b in candidates:
        if _deficit(net, suppressed | {b.key}, key, primary, k) < current:
            suppressed.add(b.key)
            return
    # No single entry helps (a new path needs several): widen the nearest line and go on.
    suppressed.add(candidates[0].key)


def _first_failure(net: _Network, suppressed, primary, k):
    for a in net.arcs:
        if a.key in suppressed and _deficit(net, suppressed, a.key, primary, k):
            return a.key
    return None


def _protect(net: _Network, k: int):
    primary = {a.key for a in net.arcs if 0 < a.value < k}
    suppressed = set(primary)
    while True:
        _close_lines(net, suppressed, k)
        failing = _first_failure(net, suppressed, primary, k)
        if failing is None:
            break
        _repair(net, suppressed, failing, primary, k)
    intervals = {
        key: net.interval(suppressed, key) for key in sorted(suppressed, key=net.order.get)
    }
    return frozenset(primary), frozenset(suppressed - primary), intervals


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Protected:
    k: int
    primary: frozenset
    secondary: frozenset
    # Feasible interval (lo, hi) of each suppressed entry given the published table; hi None
    # means unbounded.
    intervals: dict
    _net: _Network

    @property
    def suppressed(self) -> frozenset:
        return self.primary | self.secondary

    def published(self, key):
        return SUPPRESSED if key in self.suppressed else self._net.by_key[key].value

    def true_values(self) -> dict:
        return {a.key: a.value for a in self._net.arcs}

    def witness(self, key, value) -> dict | None:
        """A full table (entry key -> value), consistent with every published value, where the
        suppressed entry `key` equals `value`; None if the published table rules it out."""
        if key not in self.suppressed:
            raise KeyError(key)
        return self._net.witness(self.suppressed, key, value)

    def audit(self, hidden) -> dict:
        """Feasible intervals an intruder would get if exactly the entries `hidden` were
        suppressed in this table (to judge another pattern, e.g. a naive one)."""
        hidden = frozenset(hidden)
        return {key: self._net.interval(hidden, key) for key in hidden}

    def lines(self) -> list[list[tuple]]:
        """The keys of each additivity equation (a line and its total)."""
        return [[a.key for a in incident] for incident in self._net.nodes.values()]


@dataclass(frozen=True)
class Protected1D(_Protected):
    cells: tuple
    total: object


@dataclass(frozen=True)
class Protected2D(_Protected):
    cells: tuple
    row_totals: tuple
    col_totals: tuple
    total: object


def protect_1d(counts: Sequence[int], total: int | None = None, *, k: int = DEFAULT_K):
    """Protect a list of counts and its total (given or computed; it must be their sum)."""
    k = _check_k(k)
    counts = [_check_count(v) for v in counts]
    if not counts:
        raise ValueError("a table needs at least one cell")
    if total is None:
        total = sum(counts)
    elif _check_count(total) != sum(counts):
        raise ValueError("the total is not the sum of the cells (margins must be additive)")
    arcs = [_Arc(("cell", j), "S", "K", v, False) for j, v in enumerate(counts)]
    arcs.append(_Arc(TOTAL, "K", "S", total, True))
    net = _Network(arcs)
    primary, secondary, intervals = _protect(net, k)
    hidden = primary | secondary

    def pub(key):
        return SUPPRESSED if key in hidden else net.by_key[key].value

    return Protected1D(
        k=k,
        primary=primary,
        secondary=secondary,
        intervals=intervals,
        _net=net,
        cells=tuple(pub(("cell", j)) for j in range(len(counts))),
        total=pub(TOTAL),
    )


def protect_2d(
    counts: Sequence[Sequence[int]],
    row_totals: Sequence[int] | None = None,
    col_totals: Sequence[int] | None = None,
    total: int | None = None,
    *,
    k: int = DEFAULT_K,
):
    """Protect a rows x columns table of counts with its row, column and grand totals (given
    or computed; given ones must be the sums)."""
    k = _check_k(k)
    rows = [[_check_count(v) for v in row] for row in counts]
    if not rows or not rows[0] or any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("a table needs at least one row and one column, all rows alike")
    n_rows, n_cols = len(rows), len(rows[0])
    sums_r = [sum(row) for row in rows]
    sums_c = [sum(rows[i][j] for i in range(n_rows)) for j in range(n_cols)]
    grand = sum(sums_r)
    for given, computed in ((row_totals, sums_r), (col_totals, sums_c)):
        if given is not None and [_check_count(v) for v in given] != computed:
            raise ValueError("totals are not the sums of the cells (margins must be additive)")
    if total is not None and _check_count(total) != grand:
        raise ValueError("the grand total is not the sum of the cells")
    arcs = [_Arc(TOTAL, "K", "S", grand, True)]
    arcs += [_Arc(("row", i), "S", ("r", i), sums_r[i], True) for i in range(n_rows)]
    arcs += [_Arc(("col", j), ("c", j), "K", sums_c[j], True) for j in range(n_cols)]
    arcs += [
        _Arc(("cell", i, j), ("r", i), ("c", j), rows[i][j], False)
        for i in range(n_rows)
        for j in range(n_cols)
    ]
    net = _Network(arcs)
    primary, secondary, intervals = _protect(net, k)
    hidden = primary | secondary

    def pub(key):
        return SUPPRESSED if key in hidden else net.by_key[key].value

    return Protected2D(
        k=k,
        primary=primary,
        secondary=secondary,
        intervals=intervals,
        _net=net,
        cells=tuple(tuple(pub(("cell", i, j)) for j in range(n_cols)) for i in range(n_rows)),
        row_totals=tuple(pub(("row", i)) for i in range(n_rows)),
        col_totals=tuple(pub(("col", j)) for j in range(n_cols)),
        total=pub(TOTAL),
    )
