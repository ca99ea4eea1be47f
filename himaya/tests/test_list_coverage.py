"""Every list has a query-count test (issue 18 item 4): a list whose queries grow with its rows
(one query per facility, per dossier, per organisation) is fast in a test with three rows and
slow in an office with three thousand. The guard below finds every list of the project from the
URLconf and fails when one is neither counted nor exempted here with its reason.

What counts as a list:

- an API list: every route the DRF router names ``<basename>-list``;
- a list page: a route without path arguments whose GET, by the first of the named users who may
  open it, hands its template a page of rows (``django.core.paginator.Page``, so every paginated
  view), a queryset of rows, or a non-empty sequence of records (a record, or a tuple that starts
  with one) — the layout's own ``nav_memberships`` left out. The walk runs after one row was
  added to each counted list, so that lists read into Python lists are seen too.

A list is counted when its route name is in ``LISTS`` of ``himaya/tests/test_list_queries.py``
or in the registry of an app's own ``tests/test_list_queries.py``: its module-level ``COVERED``
(a set of route names) and the route names first in the rows of its module-level ``*LISTS``."""

import importlib
import pkgutil

from django.core.paginator import Page
from django.db.models import Model, QuerySet
from django.urls import reverse

import himaya
from himaya.testing import factories as f
from himaya.testing.routes import all_routes

# Lists that need no query-count test, each with its reason.
EXEMPT = {
    "api:service-list": "the catalogue of service kinds: a fixed list of choices, no table read",
    # Counted by the referrals app's own tests (himaya/referrals/tests/test_list_queries.py:
    # test_the_inbox_costs_…, test_the_support_list_costs_…), outside its *LISTS: these two
    # entries go when that module names them in a COVERED set.
    "referrals:inbox": "counted in himaya/referrals/tests/test_list_queries.py",
    "referrals:support": "counted in himaya/referrals/tests/test_list_queries.py",
}


def covered():
    """Route names counted by a query-count test, from every registry (see the docstring)."""
    names = set()
    for app in pkgutil.iter_modules(himaya.__path__):
        for module_name in (
            f"himaya.{app.name}.tests.test_list_queries",
            f"himaya.{app.name}.test_list_queries",
        ):
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                continue
            names |= set(getattr(module, "COVERED", ()))
            for attr, rows in vars(module).items():
                if attr.endswith("LISTS") and isinstance(rows, list | tuple):
                    names |= {_values(row)[0].split("?")[0] for row in rows}
    return names


def _values(row):
    return row.values if hasattr(row, "values") else row  # a pytest.param, or a plain tuple


def api_lists():
    return {
        name for name, _path in all_routes() if name.startswith("api:") and name.endswith("-list")
    }


def _is_records(value):
    if isinstance(value, Page | QuerySet):
        return True
    if isinstance(value, list | tuple) and value:
        first = value[0]
        return isinstance(first, Model) or (
            isinstance(first, tuple) and bool(first) and isinstance(first[0], Model)
        )
    return False


def _lists_in(response):
    contexts = response.context or []
    contexts = contexts if isinstance(contexts, list) else [contexts]
    found = set()
    for context in contexts:
        values = context.flatten() if hasattr(context, "flatten") else dict(context)
        found |= {k for k, v in values.items() if k != "nav_memberships" and _is_records(v)}
    return found


def list_pages(clients):
    """{route name: the context names holding its rows} for every list page (see above)."""
    pages = {}
    for name, path in all_routes():
        if name.startswith(("api:", "admin:", "openrosa:")) or name in {"accounts:logout"}:
            continue
        if reverse_arguments(name):
            continue
        for client in clients:
            response = client.get(path)
            if response.status_code == 200:
                rows = _lists_in(response)
                if rows:
                    pages[name] = rows
                break
    return pages


def reverse_arguments(name):
    """True when the route needs path arguments (it shows one record, not a list)."""
    try:
        reverse(name)
    except Exception:  # noqa: BLE001 - NoReverseMatch and the admin's odd patterns alike
        return True
    return False


def test_every_list_has_a_query_count_test(users, orgs, login, figure):
    from himaya.tests.list_rows import reader
    from himaya.tests.test_list_queries import LISTS

    counted = covered()
    for grow in dict.fromkeys(_values(row)[2] for row in LISTS):
        grow(users, orgs)
    readers = ["alice", "harry", "carol", "paula", "ana", "olivia", "sam", "lina", "root"]
    clients = [login(reader(users, orgs, who)) for who in readers]
    pages = list_pages(clients)
    lists = api_lists() | set(pages)
    missing = sorted(lists - counted - set(EXEMPT))
    assert not missing, {name: sorted(pages.get(name, ["API list"])) for name in missing}
    stale = sorted(set(EXEMPT) - lists)
    assert not stale, f"exempted but no longer a list: {stale}"
    figure(
        f"lists: {len(api_lists())} API lists and {len(pages)} list pages; "
        f"{len(lists & counted)} counted, {len(lists & set(EXEMPT))} exempted, 0 missing"
    )


def test_the_guard_sees_a_list_page_and_an_api_list(users, orgs, login):
    """The rule finds what it must: a paginated page, a queryset page, an API list; and no
    detail page or form."""
    clients = [login(users["alice"])]
    f.dossier(users["alice"], orgs["ngo_a"])
    pages = list_pages(clients)
    assert pages["cases:list"] == {"page"}
    assert "devices" in pages["field:devices"]
    assert "cases:create" not in pages and "cases:detail" not in pages
    assert {"api:dossier-list", "api:organisation-list"} <= api_lists()
    assert "api:dossier-detail" not in api_lists()
    assert "cases:list" in covered() and "referrals:beds" in covered()
