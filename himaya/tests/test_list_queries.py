"""List pages cost what one page shows (issue 17): the number of queries of a list page does not
grow with the number of rows the user sees, and the count stops at a cap (exact below it, "more
than N" above it, the next page still reachable)."""

import random

import pytest
from django.core.paginator import Page
from django.urls import reverse

from himaya.cases.models import Dossier
from himaya.core import access, pagination
from himaya.testing import factories as f
from himaya.testing.queries import steady_queries
from himaya.tests import list_rows as rows


def add_dossiers(users, orgs, n):
    for _ in range(n):
        f.dossier(users["alice"], orgs["ngo_a"])


@pytest.mark.parametrize("url", ["cases:list", "people:list"])
def test_list_queries_do_not_grow_with_the_list(users, orgs, login, url, figure):
    client = login(users["alice"])
    add_dossiers(users, orgs, 3)
    small, _ = steady_queries(client, reverse(url))
    add_dossiers(users, orgs, 30)  # more than a page
    large, _ = steady_queries(client, reverse(url))
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
# (list, the user who reads it, what adds one row to it); a list's filters after "?". The
# guard of himaya/tests/test_list_coverage.py reads the route names: a list added to the
# project and missing here (or from its app's own registry) fails it.
LISTS = [
    ("home", "alice", rows.dossier),
    ("cases:list", "alice", rows.dossier),
    ("people:list", "alice", rows.dossier),
    ("hotline:list", "harry", rows.report),
    # Each held tip shown is an audited read: the page's reads are one insert.
    ("hotline:list?held=over_address_limit", "harry", rows.held_tip),
    ("screening:list", "carol", rows.screening),
    ("screening:campaign_list", "carol", rows.campaign),
    ("screening:questionnaire_list", "carol", rows.questionnaire),
    ("screening:questionnaire_list", "root", rows.questionnaire),
    ("justice:list", "carol", rows.investigation),
    ("justice:stalled", "carol", rows.investigation),
    ("cases:alerts:list", "paula", rows.alert),
    ("notifications:inbox", "alice", rows.notification),
    ("orgs:list", "root", rows.organisation),
    ("orgs:list", "olivia", rows.member),
    ("field:devices", "alice", rows.device),
    ("secure_exports:list", "alice", rows.secure_export),
    ("subjects:forwarded", "lina", rows.subject_request),
    ("exchange:import", "carol", rows.import_run),
    ("exchange:history", "carol", rows.import_run),
    ("linkage:desk", "lina", rows.pair),
    ("linkage:questions", "alice", rows.question),
    ("coordination:recommendations", "ana", rows.recommendation),
    ("coordination:recommendations", "alice", rows.recommendation),
    ("coordination:trainings", "ana", rows.training),
    ("coordination:meetings", "ana", rows.meeting),
    ("coordination:dashboard", "ana", rows.overdue_measure),
    ("api:organisation-list", "olivia", rows.organisation),
    ("api:organisation-list", "alice", rows.organisation),
    ("api:dossier-list", "alice", rows.dossier),
    ("api:person-list", "alice", rows.dossier),
    ("api:person-list?sex=female", "alice", rows.dossier),
    ("api:report-list", "harry", rows.report),
    ("api:screening-list", "carol", rows.screening),
    ("api:campaign-list", "carol", rows.campaign),
    ("api:questionnaire-list", "carol", rows.questionnaire),
    ("api:investigation-list", "carol", rows.investigation),
    ("api:suspect-list", "carol", rows.suspect),
    ("api:prosecution-list", "paula", rows.prosecution),
    ("api:charge-list", "paula", rows.prosecution),
    ("api:court-decision-list", "paula", rows.court_decision),
    ("api:alert-list", "paula", rows.alert),
    ("api:referral-list", "alice", rows.referral),
    ("api:referral-list", "bob", rows.referral),
    ("api:plan-list", "ana", rows.plan),
    ("api:measure-list", "ana", rows.measure),
    ("api:measure-list", "carol", rows.measure),
    ("api:indicator-list", "ana", rows.indicator),
    ("api:recommendation-list", "ana", rows.recommendation),
    ("api:training-list", "ana", rows.training),
    ("api:meeting-list", "ana", rows.meeting),
]

# Lists that show only their latest rows: how many.
LATEST = {"exchange:import": 5}

# Where a page that holds more than one list shows the rows its row function adds.
SHOWN_IN = {
    "home": "recent_dossiers",
    "orgs:list": "users",
    "field:devices": "devices",
    "secure_exports:list": "rows",
    "subjects:forwarded": "rows",
    "exchange:import": "recent",
    "screening:questionnaire_list": "versions",
    "coordination:recommendations": "recommendations",
    "coordination:trainings": "trainings",
    "coordination:meetings": "meetings",
    "coordination:dashboard": "overdue",
    "justice:stalled": "rows",
}


@pytest.mark.parametrize(("url", "who", "grow"), LISTS)
def test_every_list_costs_the_same_queries_at_any_size(
    users, orgs, login, settings, monkeypatch, tmp_path, url, who, grow, figure
):
    """With 3 rows a page, the queries of a list are the same with 2 more rows and with 8 more
    (past the first page): nothing is read row by row."""
    from himaya.core.api import PageNumberPagination

    settings.HIMAYA_LIST_PAGE_SIZE = 3
    settings.VAR_DIR = tmp_path  # the uploads an import run keeps
    monkeypatch.setattr(PageNumberPagination, "page_size", 3)
    client = login(rows.reader(users, orgs, who))
    name, _, query = url.partition("?")
    path = reverse(name) + (f"?{query}" if query else "")
    for _ in range(2):
        grow(users, orgs)
    small, before = steady_queries(client, path)
    for _ in range(6):
        grow(users, orgs)
    large, after = steady_queries(client, path)
    total, shown = _rows(after, name)
    grown = total - _rows(before, name)[0]
    assert grown == 6 or total == LATEST.get(name)  # the six rows added are in the list
    assert shown >= 3
    assert small == large, [q[:200] for q in after.sql if q not in before.sql]
    figure(f"{url} ({who}): {small} queries at 2 and at 8 rows")


def _rows(response, name):
    """(rows in the list, rows on the page)."""
    if response.headers["Content-Type"].startswith("application/json"):
        data = response.json()
        assert data["count_capped"] is False
        return data["count"], len(data["results"])
    shown = response.context[SHOWN_IN.get(name, "page")]
    if isinstance(shown, Page):
        assert not getattr(shown.paginator, "capped", False)
        return shown.paginator.count, len(shown)
    return len(shown), len(shown)


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


def test_the_suspect_list_still_logs_a_read_of_each_suspect_it_shows(users, orgs, login):
    """Its reads are written in one insert now, row for row what the one-by-one writes were:
    no person, the suspect as the object, the list as the purpose."""
    from himaya.audit.models import AccessEvent

    shown = {rows.suspect(users, orgs).pk for _ in range(3)}
    response = login(users["carol"]).get(reverse("api:suspect-list"))
    assert {row["id"] for row in response.json()["results"]} == shown
    logged = AccessEvent.objects.filter(purpose="api:suspect_list")
    assert sorted(logged.values_list("person_id", "object_type", "object_id", "outcome")) == [
        (None, "justice.suspect", str(pk), "ok") for pk in sorted(shown)
    ]
    assert {e.actor_id for e in logged} == {users["carol"].pk}
