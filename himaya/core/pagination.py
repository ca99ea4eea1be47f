"""Pages of a list without counting the whole list (issue 17).

A list page shows 25 rows; counting every row the user may see costs as much as reading them
all (20,000 dossiers for a large NGO: a COUNT over the whole visibility subquery on every page
load). ``CappedPaginator`` counts at most ``cap`` rows past the page asked for: up to the cap
the count is exact ("312 dossiers"); beyond it the page says "more than 1,000" and still offers
the next page, so no row is out of reach."""

import contextlib

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

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

    def page(self, number):
        with contextlib.suppress(TypeError, ValueError):
            self._wanted = min(max(self._wanted, int(number)), MAX_PAGE)
        return super().page(number)

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
        ids = qs.order_by().values("pk")[: limit + 1]
        sql, params = ids.query.sql_with_params()
        with connections[qs.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) capped", params)  # noqa: S608
            found = cursor.fetchone()[0]
        # A row past the limit means "more": it counts as a next page to go to.
        return found

    @cached_property
    def capped(self):
        """True when the list holds more rows than were counted."""
        return self.count > self._limit

    @property
    def shown_count(self):
        """What the page may say about the list's size: exact, or the cap it exceeds."""
        return self._limit if self.capped else self.count
