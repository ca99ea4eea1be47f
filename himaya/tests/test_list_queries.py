"""List pages cost what one page shows (issue 17): the number of queries of a list page does not
grow with the number of rows the user sees, and the count stops at a cap (exact below it, "more
than N" above it, the next page still reachable)."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from himaya.cases.models import Dossier
from himaya.core import access, pagination
from himaya.testing import factories as f


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def add_dossiers(users, orgs, n):
    for _ in range(n):
        f.dossier(users["alice"], orgs["ngo_a"])


@pytest.mark.parametrize("url", ["cases:list", "people:list"])
def test_list_queries_do_not_grow_with_the_list(users, orgs, login, url, figure):
    client = login(users["alice"])
    add_dossiers(users, orgs, 3)
    small, _ = queries(client, reverse(url))
    add_dossiers(users, orgs, 30)  # more than a page
    large, _ = queries(client, reverse(url))
    assert small == large
    figure(f"{url}: {small} queries at 3 and at 33 visible rows")


def test_the_count_stops_at_the_cap_and_the_next_page_stays_reachable(
    users, orgs, login, monkeypatch, settings
):
    monkeypatch.setattr(pagination, "LIST_COUNT_CAP", 4)
    settings.HIMAYA_LIST_PAGE_SIZE = 2
    add_dossiers(users, orgs, 9)
    client = login(users["alice"])
    response = client.get(reverse("cases:list"))
    page = response.context["page"]
    assert page.paginator.capped and page.has_next()
    assert "more than 4 dossiers" in response.text
    assert "Page 1 of" not in response.text
    seen = []
    for number in range(1, 7):
        page = client.get(reverse("cases:list"), {"page": number}).context["page"]
        seen += [d.pk for d in page]
        if not page.has_next():
            break
    assert sorted(seen) == sorted(Dossier.objects.values_list("pk", flat=True))  # every row
    assert not page.paginator.capped and page.number == 5  # the end is counted exactly


def test_a_short_list_is_counted_exactly(users, orgs, login):
    add_dossiers(users, orgs, 3)
    response = login(users["alice"]).get(reverse("cases:list"))
    assert not response.context["page"].paginator.capped
    assert "3 dossiers" in response.text


def test_owner_choices_are_the_organisations_of_visible_dossiers(users, orgs, login):
    from himaya.cases import actions

    mine = f.dossier(users["alice"], orgs["ngo_a"])
    theirs = f.dossier(users["bob"], orgs["ngo_b"])
    f.dossier(users["ivy"], orgs["io"])  # not shared: its owner is no choice
    actions.grant_access(
        theirs, acting_user=users["bob"], organisation=orgs["ngo_a"], reason="referral"
    )
    form = login(users["alice"]).get(reverse("cases:list")).context["form"]
    assert set(form.fields["owner"].queryset) == {mine.owner_org, theirs.owner_org}


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(3))
def test_pages_read_path_by_path_are_the_pages_of_the_whole_list(seed, figure):
    """A list restricted by a union of access paths is paged path by path (each path's top
    rows, merged): every page holds the same rows in the same order as the ordinary
    ``ORDER BY … LIMIT … OFFSET`` over the union, for every user and every rule."""
    from himaya.core.tests.test_access_union import PAIRS, caseload

    users = caseload(random.Random(seed))
    pages = by_path = 0
    for user in users:
        access.forget(user)
        for name, (rule, _old) in PAIRS.items():
            qs = rule(user)
            paginator = pagination.CappedPaginator(qs, 3)
            for number in range(1, 5):
                bottom = (number - 1) * 3
                want = list(qs.values_list("pk", flat=True)[bottom : bottom + 3])
                got = [row.pk for row in paginator._rows(bottom, bottom + 3)]
                assert got == want, (seed, user.username, name, number)
                pages += 1
                by_path += pagination._by_path(qs) is not None
    assert by_path > pages / 4  # most rules of most users are unions of paths
    figure(f"pages path by path, seed {seed}: {pages} pages ({by_path} by path) → 0 differ")
