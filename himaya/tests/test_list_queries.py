"""List pages cost what one page shows (issue 17): the number of queries of a list page does not
grow with the number of rows the user sees, and the count stops at a cap (exact below it, "more
than N" above it, the next page still reachable)."""

import random
from datetime import date

import pytest
from django.urls import reverse

from himaya.cases.models import Dossier
from himaya.core import access, pagination
from himaya.testing import factories as f
from himaya.testing.queries import PageQueries


def queries(client, url):
    with PageQueries() as captured:
        response = client.get(url)
    assert response.status_code == 200
    response.sql = captured.sql
    return len(captured), response


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
    every = list(Dossier.objects.all())
    for user in users:
        access.forget(user)
        # A page's identity level, read from the rows and the grants of these ids only.
        assert access.identity_ids_among(user, every) == set(
            Dossier.objects.with_identity_for(user).values_list("pk", flat=True)
        )
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


# --- every list page and API list ------------------------------------------------------------


def _dossier(users, orgs):
    f.dossier(users["alice"], orgs["ngo_a"])


def _report(users, orgs):
    from himaya.hotline.tests.conftest import make_report

    make_report(users["harry"], orgs["hotline"], forms=("labour",))


def _screening(users, orgs):
    from himaya.screening.tests.helpers import submitted

    submitted(users["carol"], orgs["police"])


def _investigation(users, orgs):
    from himaya.justice import actions as ja

    ja.open_investigation(
        acting_user=users["carol"],
        organisation=orgs["police"],
        opened_on=date(2024, 5, 1),
        forms=[f.code("exploitation_form", "labour")],
    )


def _alert(users, orgs):
    from himaya.cases import actions
    from himaya.cases.models import Stage
    from himaya.cases.nonpunishment_actions import record_offence

    carol = users["carol"]
    tanger = f.code("region", "tanger_tetouan_al_hoceima")
    dossier = f.dossier(carol, orgs["police"], exploitation_region=tanger)
    actions.change_stage(dossier, acting_user=carol, stage=Stage.PRESUMED)
    record_offence(
        dossier,
        acting_user=carol,
        organisation=orgs["police"],
        offence_type="irregular_entry_stay",
        charged_on=date(2024, 5, 1),
        region=tanger,
        authority_other="Tribunal de première instance",
    )


def _notification(users, orgs):
    from himaya.notifications.models import Notification

    Notification.objects.create(
        recipient=users["alice"], organisation=orgs["ngo_a"], kind="referral_sent"
    )


def _referral(users, orgs):
    from himaya.referrals.models import Provider
    from himaya.referrals.tests.conftest import consent, refer

    Provider.objects.get_or_create(organisation=orgs["ngo_b"], services=["psychosocial"])
    dossier = f.dossier(users["alice"], orgs["ngo_a"])
    consent(users["alice"], orgs["ngo_a"], dossier.person)
    refer(users, orgs, dossier, to="ngo_b", service="psychosocial")


# (list, the user who reads it, what adds one row to it)
LISTS = [
    ("cases:list", "alice", _dossier),
    ("people:list", "alice", _dossier),
    ("hotline:list", "harry", _report),
    ("screening:list", "carol", _screening),
    ("justice:list", "carol", _investigation),
    ("cases:alerts:list", "paula", _alert),
    ("notifications:inbox", "alice", _notification),
    ("api:dossier-list", "alice", _dossier),
    ("api:person-list", "alice", _dossier),
    ("api:report-list", "harry", _report),
    ("api:screening-list", "carol", _screening),
    ("api:investigation-list", "carol", _investigation),
    ("api:alert-list", "paula", _alert),
    ("api:referral-list", "alice", _referral),
    ("api:referral-list", "bob", _referral),
]


@pytest.mark.parametrize(("url", "who", "grow"), LISTS)
def test_every_list_costs_the_same_queries_at_any_size(
    users, orgs, login, settings, monkeypatch, url, who, grow, figure
):
    """With 3 rows a page, the queries of a list are the same with 2 rows (one page) and with 8
    (three pages, the first full): nothing is read row by row."""
    from himaya.core.api import PageNumberPagination

    settings.HIMAYA_LIST_PAGE_SIZE = 3
    monkeypatch.setattr(PageNumberPagination, "page_size", 3)
    client = login(users[who])
    for _ in range(2):
        grow(users, orgs)
    small, before = queries(client, reverse(url))
    assert _rows(before) == 2
    for _ in range(6):
        grow(users, orgs)
    large, after = queries(client, reverse(url))
    assert _rows(after) == 3
    assert small == large, [q[:200] for q in after.sql if q not in before.sql]
    figure(f"{url}: {small} queries at 2 and at 8 rows")


def _rows(response):
    if response.headers["Content-Type"].startswith("application/json"):
        data = response.json()
        assert data["count_capped"] is False
        return len(data["results"])
    return len(response.context["page"])


def test_a_name_search_past_the_cap_lists_the_same_rows_in_the_same_order(
    users, orgs, login, monkeypatch, settings
):
    """The person search orders by an aggregate (exact spellings first): read path by path
    past the cap, its pages are those of the whole list."""
    settings.HIMAYA_LIST_PAGE_SIZE = 2
    for i in range(4):
        f.dossier(users["alice"], orgs["ngo_a"])  # owned: one path
        f.person(users["alice"], orgs["ngo_a"], given_name_lat=f"Fatma{i}")  # registered: another
    client = login(users["alice"])
    found = client.post(reverse("people:list"), {"q": "Fatima"})
    url = found.url

    def pages():
        rows = []
        for number in range(1, 8):
            page = client.get(url + f"&page={number}").context["page"]
            rows += [p.pk for p in page]
            if not page.has_next():
                return rows, page.paginator.capped
        return rows, page.paginator.capped

    whole, capped = pages()
    assert not capped and len(whole) >= 4
    monkeypatch.setattr(pagination, "LIST_COUNT_CAP", 2)
    assert client.get(url).context["page"].paginator.capped  # page 1 is read path by path
    by_path, _capped = pages()
    assert by_path == whole
