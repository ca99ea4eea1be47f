"""Regression tests of the security and robustness review of the hotline (issue 3): each pins a
defect the review proved, fixed in the app."""

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

# Dates a date input accepts that sit at the calendar's ends: the day after 9999-12-31 and the
# year before year 1 do not exist.
EDGE_QUERIES = [
    "end=9999-12-31",
    "start=0001-01-01",
    "start=0001-01-01&end=0001-12-31",
    "start=9999-12-31&end=9999-12-31",
]


@pytest.mark.parametrize("query", EDGE_QUERIES)
def test_r4_list_filters_at_the_calendar_ends_are_form_errors(users, login, report, query):
    """The queue's date filters at the calendar's ends were an OverflowError (500) when the
    day after the end was computed; they are now a form error and the filter is ignored."""
    response = login(users["harry"]).get(reverse("hotline:list") + "?" + query)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert report.reference in response.content.decode()  # the unfiltered queue


@pytest.mark.parametrize("query", EDGE_QUERIES)
def test_r4_figures_at_the_calendar_ends_fall_back_to_this_year(users, login, report, query):
    """The figures page overflowed on the day after 9999-12-31, and on the same period a year
    before year 1 (ValueError, then OverflowError in its fallback); it now says the date is
    out of range and shows the current year."""
    response = login(users["harry"]).get(reverse("hotline:figures") + "?" + query)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["current"]["total"] == 1


@pytest.mark.parametrize("query", ["received_before=9999-12-31", "received_after=0001-01-01"])
def test_r4_api_date_filters_at_the_calendar_ends_are_a_400(users, login, report, query):
    response = login(users["harry"]).get("/api/reports/?" + query)
    assert response.status_code == 400
    assert set(response.json()) <= {"received_before", "received_after"}


def test_dates_inside_the_range_still_filter(users, login, report):
    client = login(users["harry"])
    today = timezone.localdate(report.received_at).isoformat()
    assert client.get(f"/api/reports/?received_after={today}").json()["count"] == 1
    assert client.get("/api/reports/?received_before=1900-01-01").json()["count"] == 0
    page = client.get(reverse("hotline:list") + "?end=2999-12-31&start=1900-01-01")
    assert not page.context["form"].errors
    assert report.reference in page.content.decode()
