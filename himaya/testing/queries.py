"""Counting the queries of a page or an API call, for the tests that hold them constant.

The session row is renewed at most once a minute whatever the page
(accounts.middleware.SessionTouchMiddleware): whether a request writes it depends on the clock,
not on the page. The tests leave that write out (the UPDATE of ``django_session`` and the
savepoints around it), so that a count says what the page costs and never when it ran."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _session_write(sql):
    return '"django_session"' in sql or sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))


class PageQueries(CaptureQueriesContext):
    """``with PageQueries() as q: client.get(url)``; then ``q.sql`` and ``len(q)``."""

    def __init__(self):
        super().__init__(connection)

    @property
    def sql(self):
        return [q["sql"] for q in self.captured_queries if not _session_write(q["sql"])]

    def __len__(self):
        return len(self.sql)


def page_queries(client, url, status=200):
    """The number of queries of one GET (the session renewal left out)."""
    with PageQueries() as queries:
        response = client.get(url)
    assert response.status_code == status, response.status_code
    return len(queries)
