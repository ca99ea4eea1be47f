"""Hotline figures on hand-made data: each counting rule of figures.py, worked by hand."""

import datetime

import pytest
from django.utils import timezone

from himaya.hotline import actions, figures
from himaya.hotline.models import Report
from himaya.testing import factories as f

from .conftest import make_report, make_tip

pytestmark = pytest.mark.django_db

YEAR = 2024
START, END = figures.year_period(YEAR)
MINUTE, HOUR, DAY = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(hours=1),
    datetime.timedelta(days=1),
)


def at(month, day, hour=10, minute=0, year=YEAR):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


@pytest.fixture
def data(users, orgs):
    """Nine reports received in 2024 (plus two outside it), by hand:

    | # | received     | channel  | region | forms                 | outcome         | after  |
    | 1 | 1 Jan 00:00  | call     | tanger | begging               | police          | 10 min |
    | 2 | 3 Feb        | call     | tanger | begging, child_labour | ngo             | 30 min |
    | 3 | 5 Mar        | whatsapp | rabat  | labour                | open_dossier    | 2 h    |
    | 4 | 7 Apr        | email    | —      | sexual                | information     | 1 day  |
    | 5 | 9 May        | web tip  | casa   | —                     | spam            | 20 min |
    | 6 | 11 Jun       | web tip  | —      | —                     | (untriaged)     |        |
    | 7 | 13 Jul       | walk-in  | casa   | sexual, begging       | not_trafficking | 5 h    |
    | 8 | 31 Dec 23:59 | call     | tanger | domestic_servitude    | information     | 3 days |
    | 9 | 20 Aug       | call     | rabat  | other                 | (untriaged)     |        |
    | - | 31 Dec 2023  | call     | tanger | sexual                | spam (outside)  |        |
    | - | 1 Jan 2025   | call     | tanger | sexual                | spam (outside)  |        |

    Report 8 is triaged in January 2025.
    """
    region = {
        k: f.code("region", v)
        for k, v in [
            ("tanger", "tanger_tetouan_al_hoceima"),
            ("rabat", "rabat_sale_kenitra"),
            ("casa", "casablanca_settat"),
        ]
    }

    def call(received, channel, reg, forms, outcome=None, delay=None, **kwargs):
        return _received(
            users, orgs, received, channel, region.get(reg), forms, outcome, delay, **kwargs
        )

    police = {"organisation": orgs["police"]}
    ngo = {"organisation": orgs["ngo_a"]}
    person = {"person": {"given_name_lat": "Awa"}}
    call(at(1, 1, 0, 0), "call", "tanger", ["begging"], "police", 10 * MINUTE, **police)
    call(at(2, 3), "call", "tanger", ["begging", "child_labour"], "ngo", 30 * MINUTE, **ngo)
    call(at(3, 5), "whatsapp_sms", "rabat", ["labour"], "open_dossier", 2 * HOUR, **person)
    call(at(4, 7), "email", None, ["sexual"], "information", DAY)
    call(at(5, 9), "web_tip", "casa", [], "spam", 20 * MINUTE)
    call(at(6, 11), "web_tip", None, [])
    call(
        at(7, 13),
        "walk_in",
        "casa",
        ["sexual", "begging"],
        "not_trafficking",
        5 * HOUR,
        note="voisins",
    )
    call(at(12, 31, 23, 59), "call", "tanger", ["domestic_servitude"], "information", 3 * DAY)
    call(at(8, 20), "call", "rabat", ["other"])
    call(at(12, 31, 23, 59, year=2023), "call", "tanger", ["sexual"], "spam", MINUTE)
    call(at(1, 1, 0, 0, year=2025), "call", "tanger", ["sexual"], "spam", MINUTE)
    return Report.objects.all()


def _received(users, orgs, received, channel, region, forms, outcome, delay, **kwargs):
    """One report received at ``received`` (a web tip, or recorded by harry), triaged
    ``delay`` later when it has an outcome. The actions stamp the moment they run: the
    moments of receipt and triage are set on the report afterwards."""
    harry = users["harry"]
    if channel == "web_tip":
        report, _code = make_tip(region=region)
        Report.objects.filter(pk=report.pk).update(received_at=received)
        report.refresh_from_db()
        for code in forms:
            report.forms.add(f.code("exploitation_form", code))
    else:
        report = make_report(
            harry,
            orgs["hotline"],
            channel=channel,
            received_at=received,
            region=region,
            forms=forms,
        )
    if outcome:
        actions.triage(report, outcome=outcome, acting_user=harry, expected_version=1, **kwargs)
        Report.objects.filter(pk=report.pk).update(triaged_at=received + delay)
    return report


def test_reports_received_counts_the_period_inclusive_in_local_time(data):
    assert figures.reports_received(data, START, END) == 9
    assert figures.reports_received(data, *figures.year_period(2023)) == 1
    assert figures.reports_received(data, datetime.date(2024, 12, 31), END) == 1


def test_by_channel(data):
    assert figures.by_channel(data, START, END) == {
        "call": 4,
        "whatsapp_sms": 1,
        "email": 1,
        "walk_in": 1,
        "web_tip": 2,
    }


def test_by_outcome_counts_the_cohort_of_the_period(data):
    # Report 8 is triaged in 2025 but received in 2024: it counts in 2024.
    assert figures.by_outcome(data, START, END) == {
        "open_dossier": 1,
        "police": 1,
        "ngo": 1,
        "information": 2,
        "not_trafficking": 1,
        "spam": 1,
        "untriaged": 2,
    }


def test_by_form_counts_sub_forms_under_their_parent_once(data):
    rows = {r.code: r for r in figures.by_form(data, START, END)}
    # labour: #1 (begging), #2 (begging + child labour: once), #3, #7 (begging), #8 (servitude).
    assert rows["labour"].count == 5 and rows["labour"].depth == 0
    assert rows["begging"].count == 3 and rows["begging"].depth == 1
    assert rows["child_labour"].count == 1
    assert rows["domestic_servitude"].count == 1
    assert rows["sexual"].count == 2  # #4 and #7
    assert rows["other"].count == 1
    assert rows["forced_marriage"].count == 0
    assert rows[""].count == 2  # the two web tips name no form
    # Forms may sum to more than the reports (a report names several): top-level rows
    # plus "not stated" = 5 + 2 + 1 + 2 = 10 > 9.
    top = sum(r.count for r in rows.values() if r.depth == 0)
    assert top == 10 > figures.reports_received(data, START, END)
    # Each parent is followed by its sub-forms.
    codes = [r.code for r in figures.by_form(data, START, END)]
    assert codes.index("labour") + 1 == codes.index("begging")
    assert codes[-1] == ""


def test_by_region(data):
    result = figures.by_region(data, START, END)
    assert result["tanger_tetouan_al_hoceima"] == 3
    assert result["rabat_sale_kenitra"] == 2
    assert result["casablanca_settat"] == 2
    assert result[None] == 2
    assert result["oriental"] == 0
    assert sum(result.values()) == 9


def test_time_to_triage_median_and_p90(data, figure):
    result = figures.time_to_triage(data, START, END)
    # Seven triaged: 10 min, 20 min, 30 min, 2 h, 5 h, 1 day, 3 days.
    # Median: the 4th = 2 h. p90 nearest rank: ceil(0.9 × 7) = 7th = 3 days.
    assert result["count"] == 7 and result["waiting"] == 2
    assert result["median"] == datetime.timedelta(hours=2)
    assert result["p90"] == datetime.timedelta(days=3)
    by_urgency = result["by_urgency"]
    assert by_urgency["normal"]["count"] == 6 and by_urgency["urgent"]["count"] == 1
    assert by_urgency["urgent"]["median"] == datetime.timedelta(minutes=20)  # the web tip
    assert by_urgency["immediate"] == {"count": 0, "median": None, "p90": None}
    figure(
        f"Hotline figures on hand-made data: 9 reports in {YEAR}, median time to triage "
        f"{result['median']}, p90 {result['p90']}"
    )


def test_percentile_and_median_of_an_even_count():
    assert figures.percentile([4, 1, 3, 2], 50) == 2
    assert figures.percentile([4, 1, 3, 2], 90) == 4
    assert figures.percentile([7], 90) == 7


def test_an_empty_period(data):
    start, end = figures.year_period(2020)
    result = figures.summary(data, start, end)
    assert result["total"] == 0
    assert set(result["channel"].values()) == {0}
    assert result["triage"]["median"] is None and result["triage"]["waiting"] == 0
