"""The hotline's home panel counts the reports waiting for triage per urgency (its own hotline's
only), each count linking to the filtered queue; the overdue list is bounded and its count the
true total; the page's queries do not grow with the reports. ``now`` is injected."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from himaya.hotline import actions
from himaya.hotline.home import SHOWN, home_context
from himaya.hotline.models import Urgency
from himaya.testing import factories as f
from himaya.testing.queries import page_queries

from .conftest import make_report

pytestmark = pytest.mark.django_db


def test_untriaged_counted_per_urgency(users, orgs, login):
    harry = users["harry"]
    for urgency, n in (("immediate", 3), ("urgent", 1), ("normal", 2)):
        for _ in range(n):
            make_report(harry, orgs["hotline"], urgency=urgency)
    done = make_report(harry, orgs["hotline"], urgency="immediate")
    actions.triage_spam(done, acting_user=harry, expected_version=1)
    # Another hotline's reports are not harry's to triage.
    other = f.OrganisationFactory(name_en="Other hotline", type=f.code("org_type", "hotline"))
    hana = f.member(f.UserFactory(username="hana"), other, "hotline_operator")
    make_report(hana, other, urgency="immediate")

    ctx = home_context(harry, now=timezone.now())
    assert ctx["hotline_by_urgency"] == [
        (Urgency.IMMEDIATE, 3),
        (Urgency.URGENT, 1),
        (Urgency.NORMAL, 2),
    ]
    assert ctx["hotline_untriaged"] == 6
    assert home_context(hana)["hotline_by_urgency"][0] == (Urgency.IMMEDIATE, 1)

    page = login(harry).get(reverse("home")).content.decode()
    link = reverse("hotline:list") + "?status=untriaged&amp;urgency="
    for urgency in Urgency:
        assert link + urgency.value in page
    assert 'data-testid="hotline-urgency-immediate"' in page
    # The filtered queue lists exactly what the count says.
    queue = login(harry).get(
        reverse("hotline:list"), {"status": "untriaged", "urgency": "immediate"}
    )
    assert queue.context["page"].paginator.count == 3


def test_overdue_bounded_with_the_true_total(users, orgs):
    harry = users["harry"]
    for i in range(SHOWN + 2):
        make_report(
            harry, orgs["hotline"], urgency="immediate", ago=datetime.timedelta(hours=2, minutes=i)
        )
    make_report(harry, orgs["hotline"], urgency="immediate")  # just in: not overdue yet
    ctx = home_context(harry, now=timezone.now())
    assert ctx["hotline_overdue_count"] == SHOWN + 2 and len(ctx["hotline_overdue"]) == SHOWN
    assert ctx["hotline_by_urgency"][0] == (Urgency.IMMEDIATE, SHOWN + 3)
    html = render_to_string("hotline/_home.html", ctx)
    assert f"{SHOWN + 2} reports wait longer than their urgency allows" in html
    assert reverse("hotline:list") + "?status=untriaged" in html


def test_no_urgency_counts_outside_the_hotline(users, orgs):
    harry = users["harry"]
    report = make_report(harry, orgs["hotline"], urgency="urgent")
    actions.triage_pass_to_police(
        report, acting_user=harry, expected_version=1, organisation=orgs["police"]
    )
    assert "hotline_by_urgency" not in home_context(users["carol"])
    assert home_context(users["charlie"]) == {}


def home_queries(client):
    return page_queries(client, reverse("home"))


def test_home_queries_do_not_grow_with_the_reports(users, orgs, login):
    harry = users["harry"]
    late = datetime.timedelta(hours=3)
    for urgency in ("immediate", "urgent", "normal"):
        make_report(harry, orgs["hotline"], urgency=urgency, ago=late)
    client = login(harry)
    one = home_queries(client)
    for i in range(20):
        make_report(
            harry, orgs["hotline"], urgency=("immediate", "urgent", "normal")[i % 3], ago=late
        )
    assert home_queries(client) == one
