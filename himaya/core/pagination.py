"""Pages of a list without counting the whole list (issue 17).

A list page shows 25 rows; counting every row the user may see costs as much as reading them
all (20,000 dossiers for a large NGO: a COUNT over the whole visibility subquery on every page
load). ``CappedPaginator`` counts at most ``cap`` rows past the page asked for: up to the cap
the count is exact ("312 dossiers"); beyond it the page says "more than 1,000" and still offers
the next page, so no row is out of reach.

A list restricted by a union of access paths (``access.Visible``) is read path by path: each
path's first rows in the list's order (an index walk that stops early), merged by the database
in the same order; then the page's rows by their ids. The count, likewise, stops each path at
the cap."""

import contextlib

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

from himaya.core.access.base import ROWS_CHOSEN

LIST_COUNT_CAP = 1000
# A page number past any real list (``?page=10**30``) is the last page, as in Django; it must
# not become a LIMIT the database cannot hold.
MAX_PAGE = 1_000_000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = LIST_COUNT_CAP if cap is None else cap
        self._wanted = 1

    def get_page(self, number):
        try:
            self._wanted = min(max(1, int(number)), MAX_PAGE)
        except (TypeError, ValueError):
            self._wanted = 1
        return super().get_page(number)

    @cached_property
    def _limit(self):
        # Enough rows to know the page asked for and the one after it exist, and at least the
        # cap, so that small lists are counted exactly.
        return max(self.cap, (self._wanted + 1) * self.per_page)

    @cached_property
    def count(self):
        qs = self.object_list
        if not hasattr(qs, "query"):
            return len(qs)
        limit = self._limit
        parts = [p.order_by().values("pk")[: limit + 1] for p in _by_path(qs) or [qs.order_by()]]
        sql, params = _union_sql(parts)
        if sql is None:
            return 0
        with connections[qs.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) capped", params)  # noqa: S608
            found = cursor.fetchone()[0]
        # A row past the limit means "more": it counts as a next page to go to. (Each path
        # stops at the limit: past it, the union holds at least limit + 1 rows.)
        return min(found, limit + 1)

    def page(self, number):
        with contextlib.suppress(TypeError, ValueError):
            self._wanted = min(max(self._wanted, int(number)), MAX_PAGE)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        # A list within the count's limit is sorted whole in one query (at most ``limit`` rows);
        # past it, path by path (a second query, an index walk per path).
        rows = self._rows(bottom, top) if self.capped else self.object_list[bottom:top]
        return self._get_page(rows, number, self)

    def _rows(self, bottom, top):
        return rows_between(self.object_list, bottom, top)

    @cached_property
    def capped(self):
        """True when the list holds more rows than were counted."""
        return self.count > self._limit

    @property
    def shown_count(self):
        """What the page may say about the list's size: exact, or the cap it exceeds."""
        return self._limit if self.capped else self.count


def rows_between(qs, bottom, top):
    """Rows ``bottom`` to ``top`` of ``qs`` in its order: path by path when ``qs`` is restricted
    by a union of access paths (an index walk per path that stops after ``top`` rows)."""
    paths = _by_path(qs)
    order = _order_columns(qs) if paths else None
    if not order or top <= bottom:
        return qs[bottom:top]
    names = [name for name, _desc in order if name is not None]
    parts = [p.values_list("pk", *names)[:top] for p in paths]
    sql, params = _union_sql(parts)
    if sql is None:
        return []
    position = iter(range(2, 2 + len(names)))
    by = ", ".join(
        f"{1 if name is None else next(position)}{' DESC' if desc else ''}" for name, desc in order
    )
    with connections[qs.db].cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM ({sql}) merged ORDER BY {by} LIMIT %s OFFSET %s",  # noqa: S608
            (*params, top - bottom, bottom),
        )
        ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return []
    chosen = qs.filter(pk__in=ids)
    chosen.query.himaya_path = {token: ROWS_CHOSEN for token, _n in qs.query.himaya_visible}
    return list(chosen)


def first_rows(qs, n):
    """The first ``n`` rows of ``qs`` (a list that is not paged, read path by path)."""
    return rows_between(qs, 0, n)


def _by_path(qs):
    """``qs`` once per access path of its first ``Visible`` condition, or None."""
    marks = getattr(getattr(qs, "query", None), "himaya_visible", ())
    if not marks or qs.query.is_sliced or qs.query.combinator:
        return None
    token, n = marks[0]
    parts = []
    for i in range(n):
        part = qs._chain()
        part.query.himaya_path = {**getattr(qs.query, "himaya_path", {}), token: i}
        parts.append(part)
    return parts


def _order_columns(qs):
    """The list's order as (column, descending) pairs, the primary key as None; None when the
    order is not plain columns or annotations (the page is then read the ordinary way)."""
    query = qs.query
    ordering = query.order_by or (qs.model._meta.ordering if query.default_ordering else ())
    pk = qs.model._meta.pk
    names = {f.name for f in qs.model._meta.concrete_fields} | set(query.annotations)
    columns = []
    for item in ordering:
        if not isinstance(item, str) or item == "?":
            return None
        name = item.lstrip("-")
        if name in ("pk", pk.name, pk.attname):
            name = None
        elif name not in names or "__" in name:
            return None
        columns.append((name, item.startswith("-")))
    if (None, False) not in columns and (None, True) not in columns:
        return None  # without the primary key the order is not total: pages could differ
    return columns


def _union_sql(parts):
    """``SELECT … UNION SELECT …`` of limited querysets, each kept whole in a derived table."""
    pieces, params = [], []
    for i, part in enumerate(parts):
        try:
            sql, p = part.query.sql_with_params()
        except EmptyResultSet:  # a path that holds nothing (no organisation of that kind)
            continue
        pieces.append(f"SELECT * FROM ({sql}) p{i}")  # noqa: S608
        params.extend(p)
    if not pieces:
        return None, None
    return " UNION ".join(pieces), params
