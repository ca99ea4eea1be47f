"""Running one SQL statement over querysets built by the ORM: the figures that group the same
rows several ways (a total and its breakdowns) read them once, as a common table expression
queried by a UNION of groupings, instead of one query per breakdown. The filters stay in the
querysets (the ORM writes the dialect); only the grouping is written here, in SQL that
PostgreSQL and SQLite both run."""

from django.db import connections


def sql_of(qs):
    """The SELECT of a queryset and its parameters, to use as a subquery."""
    return qs.query.sql_with_params()


def vendor_of(qs) -> str:
    return connections[qs.db].vendor


def fetch(qs, template, before=(), after=()):
    """Rows of ``template``: SQL with ``{rows}`` where the queryset's SELECT goes; its
    parameters ``%s`` are ``before`` (those written before ``{rows}``), the queryset's (once
    per ``{rows}``), then ``after``."""
    sql, params = sql_of(qs)
    times = template.count("{rows}")
    with connections[qs.db].cursor() as cur:
        cur.execute(template.format(rows=sql), (*before, *(tuple(params) * times), *after))
        return cur.fetchall()


def distinct_by(qs, who, keys):
    """Distinct ``who`` over the rows of ``qs`` (a ``values()`` queryset with ``who`` and each
    of ``keys`` as columns): the total and per value of each key, in one statement.

    Returns ``(total, {key: {value: n}})``."""
    for name in (who, *keys):
        if not name.isidentifier():  # column names of our own querysets, never input
            raise ValueError(name)
    parts = [f"SELECT -1, NULL, COUNT(DISTINCT {who}) FROM r"]  # noqa: S608 (checked names)
    parts += [
        f"SELECT {i}, {key}, COUNT(DISTINCT {who}) FROM r GROUP BY {key}"  # noqa: S608
        for i, key in enumerate(keys)
    ]
    rows = fetch(qs, "WITH r AS ({rows}) " + " UNION ALL ".join(parts))
    total, by = 0, {key: {} for key in keys}
    for i, value, n in rows:
        if i < 0:
            total = n
        else:
            by[keys[i]][value] = n
    return total, by


def count_union(querysets):
    """How many distinct values the one-column querysets hold together (a UNION)."""
    subs = [sql_of(qs) for qs in querysets]
    sql = " UNION ".join(
        f"SELECT * FROM ({s}) u{i}"  # noqa: S608 (the ORM's SQL, parameters apart)
        for i, (s, _p) in enumerate(subs)
    )
    params = [p for _s, ps in subs for p in ps]
    with connections[querysets[0].db].cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM ({sql}) u", params)  # noqa: S608
        return cur.fetchone()[0]
