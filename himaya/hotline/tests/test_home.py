"""The hotline panel of the home page: home_context and hotline/_home.html."""

import datetime

import pytest
from django.template.loader import render_to_string

from himaya.core import access
from himaya.hotline import actions
from himaya.hotline.home import home_context

from .conftest import make_report

pytestmark = pytest.mark.django_db


def test_operator_sees_waiting_overdue_and_recent(users, orgs):
    harry = users["harry"]
    late = make_report(harry, orgs["hotline"], urgency="immediate", ago=datetime.timedelta(hours=2))
    make_report(harry, orgs["hotline"], urgency="urgent")
    done = make_report(harry, orgs["hotline"])
    actions.triage_spam(done, acting_user=harry, expected_version=1)
    ctx = home_context(harry)
    assert ctx["hotline_untriaged"] == 2
    assert [r.pk for r in ctx["hotline_overdue"]] == [late.pk]
    assert ctx["hotline_overdue"][0].age >= datetime.timedelta(hours=2)
    assert len(ctx["hotline_recent"]) == 3
    html = render_to_string("hotline/_home.html", ctx)
    assert late.reference in html and 'data-testid="hotline-overdue"' in html
    assert "Une femme" not in html  # no free text on the home page


def test_partner_sees_what_was_passed_and_others_nothing(users, orgs):
    harry = users["harry"]
    report = make_report(harry, orgs["hotline"])
    assert home_context(users["carol"]) == {}
    actions.triage_pass_to_police(
        report, acting_user=harry, expected_version=1, organisation=orgs["police"]
    )
    access.forget(users["carol"])
    ctx = home_context(users["carol"])
    assert [r.pk for r in ctx["hotline_recent"]] == [report.pk]
    assert ctx["hotline_untriaged"] is None and "hotline_overdue" not in ctx
    for name in ("alice", "ana", "olivia", "root", "charlie"):
        assert home_context(users[name]) == {}, name
    assert render_to_string("hotline/_home.html", {}).strip() == ""
