"""The public statistics page (/statistics/, DOMAIN.md §7): anonymous in three languages, a
hand-built caseload whose small cell is hidden and not recoverable from what the page shows,
the CSV equal to the page, no identity, the current year not published, bad input never a
500; and a property test on random caseloads (no database) proving that no hidden value of
the published tables can be recovered, by the disclosure module's exact audit."""

import csv
import datetime
import io
import re
from collections import Counter

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from himaya.cases.actions import record_decision
from himaya.statistics import public
from himaya.statistics.actions import freeze_report
from himaya.statistics.disclosure import TOTAL, protect_1d, protect_2d
from himaya.testing import factories as f

K = 5
D = datetime.date
URL = "/statistics/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def anonymous(language=None):
    client = Client()
    if language:
        client.cookies["himaya_language"] = language
    return client


CELL = re.compile(r'data-cell="([^"]+)">(x|\d+)<')


def page_cells(html) -> list[tuple[str, str]]:
    """(cell name, shown value) in page order."""
    return CELL.findall(html)


# --- the hand-built caseload -----------------------------------------------------------------

# Last year has: 2 girls (one by birth date, one by an estimated age), 5 boys, 6 women, 6 men;
# 2 of the 19 exploited in Tanger, the others in Casablanca; the 5 boys in forced labour.
SMALL = 2


@pytest.fixture
def caseload(users, orgs):
    carol, police = users["carol"], orgs["police"]
    year = public.last_published_year()
    female, male = f.code("sex", "female"), f.code("sex", "male")
    casa = f.code("region", "casablanca_settat")
    tanger = f.code("region", "tanger_tetouan_al_hoceima")
    people = []

    def victim(sex, born=None, estimated=None, region=casa, forms=("sexual",), on=None):
        fields = {"sex": sex, "given_name_lat": "Zoubida", "family_name_lat": "Qarnoussi"}
        if born:
            fields.update(birth_date=born, birth_date_precision="exact")
        else:
            fields.update(
                birth_date=None,
                birth_date_precision="estimated",
                estimated_age=estimated,
                estimated_on=D(year, 1, 2),
            )
        person = f.person(carol, police, **fields)
        on = on or D(year, 3, 1)
        dossier = f.dossier(
            carol, police, the_person=person, forms=forms, opened_on=on, exploitation_region=region
        )
        record_decision(
            dossier,
            acting_user=carol,
            organisation=police,
            status=f.code("trafficking_status", "possible"),
            decided_on=on,
            reasons="x",
        )
        people.append(person)

    victim(female, born=D(year - 14, 5, 5), region=tanger)  # a girl of 13 or 14
    victim(female, estimated=15, region=tanger)  # a girl, by her estimated age
    for _n in range(5):
        victim(male, born=D(year - 16, 1, 1), forms=("labour",))
    for _n in range(6):
        victim(female, born=D(year - 30, 1, 1))
        victim(male, born=D(year - 40, 1, 1), forms=("sexual", "labour"))
    # Identified this year: not published yet.
    victim(female, born=D(1990, 1, 1), on=timezone.localdate())
    truth = {
        "sex_age": [[2, 6, 0], [5, 6, 0], [0, 0, 0]],
        "region": {"tanger_tetouan_al_hoceima": 2, "casablanca_settat": 17},
    }
    # The commission adopts the year's report: its public tables are published from then on.
    freeze_report(year, acting_user=users["ana"])
    return {"year": year, "people": people, "truth": truth, "victim": victim}


def test_nothing_is_published_before_a_report_is_frozen(users, orgs):
    html = anonymous("en").get(URL).content.decode()
    assert 'data-testid="nothing-published"' in html and 'data-cell="victims"' not in html
    assert anonymous("en").get(URL, {"format": "csv"}).status_code == 200


def test_a_late_record_changes_nothing_until_a_new_version_is_frozen(caseload, users, figure):
    """Two snapshots of a year must not single a record out: the page shows the frozen copy."""
    year = caseload["year"]
    before = dict(page_cells(anonymous("en").get(URL, {"year": year}).content.decode()))
    caseload["victim"](f.code("sex", "female"), born=D(year - 14, 1, 1))  # a late girl
    assert dict(page_cells(anonymous("en").get(URL, {"year": year}).content.decode())) == before
    freeze_report(year, acting_user=users["ana"], note="late record")
    after = dict(page_cells(anonymous("en").get(URL, {"year": year}).content.decode()))
    assert after["victims"] == "20" and before["victims"] == "19"
    figure("public: a late record leaves the published year unchanged until a new version")


def test_anonymous_visitors_see_the_page_in_each_language(caseload):
    for language, phrase in (("ar", 'dir="rtl"'), ("fr", 'lang="fr"'), ("en", 'lang="en"')):
        response = anonymous(language).get(URL)
        html = response.content.decode()
        assert response.status_code == 200, language
        assert phrase in html
        assert 'data-testid="lang-fr"' in html and 'data-testid="legend"' in html
        assert reverse("tips:report") in html  # back to the tip form
        # Strict CSP: no inline style or script; the one script is the frame's static file.
        assert re.findall(r"<script[^>]*>", html) == [
            '<script src="/static/himaya/himaya.js" defer>'
        ]
        assert "style=" not in html
    assert reverse("public_stats:index") == URL
    assert anonymous().post(URL).status_code == 405


def test_small_cell_is_hidden_and_not_recoverable_from_the_page(caseload, figure):
    year = caseload["year"]
    html = anonymous("en").get(URL, {"year": year}).content.decode()
    cells = dict(page_cells(html))
    assert cells["victims"] == "19"
    # The cell of 2 girls is hidden; its row (8) and column (7) totals are not small.
    assert cells["sex_age:female:child"] == "x"
    assert cells["sex_age:female:total"] == "8" and cells["sex_age:total:child"] == "7"
    assert cells["sex_age:total:total"] == "19" and cells["region:total"] == "19"
    assert cells["region:tanger_tetouan_al_hoceima"] == "x"
    assert cells["region:casablanca_settat"] == "x"  # its complement: 19 - 17 would give 2
    # Published values are the true ones; no published value is 1..k-1.
    truth = caseload["truth"]["sex_age"]
    sexes, ages = public.SEXES, public.AGES
    hidden = set()
    for i, sex in enumerate(sexes):
        for j, age in enumerate(ages):
            shown = cells[f"sex_age:{sex}:{age}"]
            if shown == "x":
                hidden.add(("cell", i, j))
            else:
                assert int(shown) == truth[i][j]
        if cells[f"sex_age:{sex}:total"] == "x":
            hidden.add(("row", i))
    for j, age in enumerate(ages):
        if cells[f"sex_age:total:{age}"] == "x":
            hidden.add(("col", j))
    assert all(v == "x" or not 0 < int(v) < K for v in cells.values())
    # What an intruder reading the page learns about the hidden cells: the exact audit of the
    # disclosure module, run on the pattern read off the page.
    table = protect_2d(truth, k=K)
    intervals = table.audit(hidden)
    lo, hi = intervals[("cell", 0, 0)]
    assert lo == 0 and (hi is None or hi >= K - 1)  # could be empty, could be 4
    assert all(hi is None or hi > lo for lo, hi in intervals.values())
    assert public.passes(table, hidden, K)
    # The region table too.
    region_keys = [r.code for r in public._regions()] + [public.NOT_RECORDED]
    counts = [caseload["truth"]["region"].get(r, 0) for r in region_keys]
    region_hidden = {
        ("cell", j)
        for j, r in enumerate(region_keys)
        if cells[f"region:{r or 'not_recorded'}"] == "x"
    }
    assert public.passes(protect_1d(counts, k=K), region_hidden, K)
    figure(
        f"public page: hand-built caseload of 19 victims → {len(hidden)} of 15 sex×age "
        f"entries and {len(region_hidden)} regions hidden; the cell of {SMALL} girls "
        f"reads as [{lo}, {hi}] from the page"
    )


def test_forms_and_law_enforcement_are_protected_on_their_own(caseload):
    html = anonymous("en").get(URL, {"year": caseload["year"]}).content.decode()
    cells = dict(page_cells(html))
    # 14 persons under sexual exploitation, 11 under forced labour (overlapping: 25 > 19).
    assert cells["form:sexual"] == "14" and cells["form:labour"] == "11"
    assert cells["form:organ_removal"] == "x"  # nobody, but below k: hidden all the same
    assert "form:begging" not in cells  # top-level forms only
    # No investigation or conviction recorded: 0 is below k, hidden.
    assert {cells[f"law:{key}"] for key in public.LAW_ENFORCEMENT} == {"x"}
    assert "add up to more than the number of victims" in html


def test_csv_holds_exactly_the_page_values(caseload):
    year = caseload["year"]
    client = anonymous("fr")
    html = client.get(URL, {"year": year}).content.decode()
    response = client.get(URL, {"year": year, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"himaya-statistics-{year}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["table", "row", "column", "value"]
    assert [r[3] for r in rows[1:]] == [v for _name, v in page_cells(html)]
    assert "Casablanca-Settat" in response.content.decode()  # French labels


def test_no_identity_appears(caseload):
    client = anonymous("en")
    pages = [
        client.get(URL, {"year": caseload["year"]}).content.decode(),
        client.get(URL, {"year": caseload["year"], "format": "csv"}).content.decode(),
    ]
    for text in pages:
        assert "Zoubida" not in text and "Qarnoussi" not in text
        for person in caseload["people"]:
            assert f"/people/{person.pk}" not in text
        assert "/cases/" not in text and "/people/" not in text


def test_the_current_year_is_not_published(caseload):
    current = timezone.localdate().year
    client = anonymous("en")
    response = client.get(URL, {"year": current})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="year-refused"' in html
    assert f"The figures of {current} are published once the year has ended." in html
    assert f'<option value="{current}"' not in html
    assert f'<option value="{caseload["year"]}" selected' in html
    assert public.published_years()[0] == current - 1


def test_bad_years_answer_200_with_the_latest_year(caseload):
    client = anonymous("ar")
    latest = caseload["year"]
    for bad in ("abc", "", "1900", "99999999999999999999999", "2025.5", "-1", "<b>x</b>"):
        for extra in ({}, {"format": "csv"}):
            response = client.get(URL, {"year": bad, **extra})
            assert response.status_code == 200, (bad, extra)
            if not extra:
                html = response.content.decode()
                assert f'<option value="{latest}" selected' in html
                assert "<b>x</b>" not in html
    assert client.get(URL, {"format": "pdf"}).status_code == 200


def test_tables_are_cached_per_year_and_language(caseload, django_assert_num_queries):
    year = caseload["year"]
    from django.utils import translation

    with translation.override("fr"):
        first = public.published(year)
        with django_assert_num_queries(1):  # which version is the latest; the tables cached
            assert public.published(year) == first
    with translation.override("en"):
        english = public.published(year)
    assert english["region"]["rows"][0]["label"] != first["region"]["rows"][0]["label"] or (
        english["sex_age"]["rows"][0]["label"] != first["sex_age"]["rows"][0]["label"]
    )


def test_a_small_year_hides_its_total_everywhere(users, orgs):
    carol, police = users["carol"], orgs["police"]
    year = public.last_published_year()
    for _n in range(3):
        d = f.dossier(carol, police, opened_on=D(year, 2, 1))
        record_decision(
            d,
            acting_user=carol,
            organisation=police,
            status=f.code("trafficking_status", "actual"),
            decided_on=D(year, 2, 2),
            reasons="x",
        )
    freeze_report(year, acting_user=users["ana"])
    cells = dict(page_cells(anonymous("en").get(URL).content.decode()))
    assert cells["victims"] == "x"
    assert cells["sex_age:total:total"] == "x" and cells["region:total"] == "x"
    assert cells["form:sexual"] == "x"
    assert all(v == "x" or v == "0" for v in cells.values())


# --- random caseloads, no database -----------------------------------------------------------

REGIONS = ("north", "south", "east", "west")
FORMS = ("sexual", "labour", "begging", "slavery")

victims = st.lists(
    st.builds(
        public.Victim,
        sex=st.sampled_from(public.SEXES),
        age=st.sampled_from(public.AGES),
        region=st.sampled_from((*REGIONS, public.NOT_RECORDED)),
    ),
    max_size=80,
)


def intruder_ok(protected, hidden, k):
    """Independent reading of the exact audit: 0 when no hidden entry is pinned down, else the
    number of entries an intruder learns too much about."""
    truth = protected.true_values()
    bad = 0
    for key, (lo, hi) in protected.audit(hidden).items():
        value = truth[key]
        assert lo <= value and (hi is None or value <= hi)
        pinned = hi is not None and hi == lo
        small = 0 < value < k
        if pinned or (small and (lo > 0 or (hi is not None and hi < max(k - 1, value + 1)))):
            bad += 1
    return bad


def _forms_of(people, form_sets):
    """The forms' counts of a caseload: one random set of forms per victim."""
    forms = Counter()
    for found in form_sets[: len(people)]:
        forms.update(found)
    return {code: forms[code] for code in FORMS}


def _audit_published(people, forms, law, k):
    """Check one caseload's published tables; return (cells hidden, values recoverable)."""
    tables = public.build_tables(people, forms, law, regions=REGIONS, k=k)
    t = public.protect_victims(people, REGIONS, k)
    total = len(people)
    # One total, hidden exactly when it is small, the same in every table.
    shown_total = None if 0 < total < k else total
    assert tables["victims"] == tables["sex_age"]["total"] == tables["region"]["total"]
    assert tables["victims"] == shown_total
    assert (TOTAL in t.sex_age_hidden) == (TOTAL in t.region_hidden) == (0 < total < k)
    # The additive tables: the exact audit of the pattern actually published.
    recoverable = intruder_ok(t.sex_age, t.sex_age_hidden, k)
    recoverable += intruder_ok(t.region, t.region_hidden, k)
    assert public.passes(t.sex_age, t.sex_age_hidden, k)
    assert public.passes(t.region, t.region_hidden, k)
    # Every value shown anywhere is the true one, and none is 1..k-1.
    for protected, hidden in ((t.sex_age, t.sex_age_hidden), (t.region, t.region_hidden)):
        for key, value in protected.true_values().items():
            if key not in hidden:
                assert not 0 < value < k
    shown = [v for v in tables["forms"].values()] + list(tables["law"].values())
    assert all(v is None or v >= k for v in shown)
    for code, value in tables["forms"].items():
        assert value is None or value == forms[code]
    # Forms: even an intruder assuming everyone has a form learns no positive lower bound.
    hidden_forms = [c for c, v in tables["forms"].items() if v is None]
    if shown_total is not None and hidden_forms:
        deficit = shown_total - sum(v for v in tables["forms"].values() if v is not None)
        small = all(forms[c] < k for c in hidden_forms)
        upper = k - 1 if small else shown_total
        assert deficit - (len(hidden_forms) - 1) * upper <= 0
    return len(t.sex_age_hidden) + len(t.region_hidden) + len(hidden_forms), recoverable


def test_random_caseloads_leave_no_hidden_value_recoverable(figure):
    totals = Counter()

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        people=victims,
        form_sets=st.lists(st.sets(st.sampled_from(FORMS), max_size=3), min_size=80),
        law=st.fixed_dictionaries({key: st.integers(0, 12) for key in public.LAW_ENFORCEMENT}),
        k=st.sampled_from((3, 5, 5, 10)),
    )
    def check(people, form_sets, law, k):
        hidden, recoverable = _audit_published(people, _forms_of(people, form_sets), law, k)
        totals["caseloads"] += 1
        totals["hidden"] += hidden
        totals["recoverable"] += recoverable
        assert recoverable == 0

    check()
    assert totals["caseloads"] >= 100 and totals["hidden"] > 500
    figure(
        f"public: {totals['caseloads']} random caseloads (sex × age × region, overlapping "
        f"forms, k in 3/5/10) → {totals['hidden']} hidden cells, {totals['recoverable']} "
        f"recoverable"
    )


def test_a_total_one_table_would_hide_is_published_with_the_rest_hidden():
    """Alone, this sex x age table (k = 3) would hide its total as a complement, while the
    region table publishes it: the total is shown once for all, and the sex x age table then
    hides every other entry (re-audited with the total known)."""
    v = public.Victim
    people = [v("female", "adult", "a"), v("male", "unknown", "a")] + [v("male", "child", "a")] * 3
    alone = protect_2d([[0, 1, 0], [3, 0, 1], [0, 0, 0]], k=3)
    assert TOTAL in alone.suppressed
    t = public.protect_victims(people, ["a", "b"], 3)
    assert TOTAL not in t.sex_age_hidden and TOTAL not in t.region_hidden
    assert t.sex_age_hidden == set(t.sex_age.true_values()) - {TOTAL}
    assert public.passes(t.sex_age, t.sex_age_hidden, 3)
    assert intruder_ok(t.sex_age, t.sex_age_hidden, 3) == 0
    tables = public.build_tables(people, {}, {}, regions=["a", "b"], k=3)
    assert tables["victims"] == tables["sex_age"]["total"] == tables["region"]["total"] == 5
    assert tables["sex_age"]["col_totals"] == [None, None, None]
