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
    """The number of queries of a GET (the session renewal left out), once the page was
    requested before (``steady_queries``)."""
    return steady_queries(client, url, status)[0]


def steady_queries(client, url, status=200):
    """The queries of a GET once the page was requested before, as every request but a
    process's first is: what a process keeps for later requests (the code lists and a
    select's choices, core/codelabels) is read on its first and would otherwise be counted
    in the first of two sizes compared. ``(count, response)``, the SQL on ``response.sql``."""
    client.get(url)
    with PageQueries() as captured:
        response = client.get(url)
    assert response.status_code == status, response.status_code
    response.sql = captured.sql
    return len(captured), response


def page_counts(client, name, records):
    """``([count of each], last response)``: the steady queries of the page ``name`` (a URL
    name taking a record's pk) of each of ``records``, for the tests holding a one-record page
    constant in what the record holds."""
    from django.urls import reverse

    counts, response = [], None
    for record in records:
        count, response = steady_queries(client, reverse(name, args=[record.pk]))
        counts.append(count)
    return counts, response
