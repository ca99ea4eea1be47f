"""A hotline report's page reads in a number of queries that does not grow with what the report
holds: its forms of exploitation, what the reporter added with the receipt code, the hotline's
notes and the organisations it was passed to."""

import pytest

from himaya.hotline import actions
from himaya.testing import factories as f
from himaya.testing.queries import page_counts

from .conftest import make_tip

pytestmark = pytest.mark.django_db

FORMS = ("domestic_servitude", "sexual", "labour")


def _report(users, orgs, n):
    """A web tip with n of each: forms of exploitation (set by the hotline), additions by the
    reporter, notes of the hotline, and organisations it was passed to (carol's police first,
    through the triage)."""
    harry = users["harry"]
    report, code = make_tip()
    for i in range(n):
        assert actions.add_tip_information(code, f"Reporter addition {i}")
        actions.add_note(report, acting_user=harry, text=f"Hotline note {i}")
    report.refresh_from_db()
    report, _changed = actions.update_report(
        report,
        acting_user=harry,
        expected_version=report.version,
        forms=[f.code("exploitation_form", c) for c in FORMS[:n]],
    )
    actions.triage_pass_to_police(
        report, acting_user=harry, expected_version=report.version, organisation=orgs["police"]
    )
    for org in ("ngo_a", "ngo_b", "shelter")[: n - 1]:
        actions.share_report(report, acting_user=harry, organisation=orgs[org])
    return report


@pytest.mark.parametrize("who", ["harry", "carol"])
def test_the_report_page_reads_in_constant_queries(who, users, orgs, login, figure):
    small, large = _report(users, orgs, 1), _report(users, orgs, 3)
    assert large.shares.count() == 3 and large.additions.count() == 6
    client = login(users[who])
    counts, response = page_counts(client, "hotline:detail", (small, large))
    assert "Reporter addition 2" in response.text
    assert counts[0] == counts[1], counts
    figure(
        f"hotline report page ({who}): {counts[0]} queries, 1 or 3 forms, reporter additions, "
        "notes and organisations passed to"
    )
