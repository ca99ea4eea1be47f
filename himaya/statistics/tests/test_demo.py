"""The demo's statistics part: last year's report frozen by the analyst, and every statistics
page opening for each demo role without a server error (404 for those it is not for)."""

import pytest
from django.urls import reverse

from himaya.accounts.models import User
from himaya.demo.models import DemoRun
from himaya.statistics.models import FrozenReport
from himaya.statistics.report import find_row

pytestmark = pytest.mark.django_db


def test_demo_statistics(demo_database, login, figure):
    run = DemoRun.objects.get()
    year = run.anchor.year - 1
    frozen = FrozenReport.objects.get(year=year, version=1)
    assert frozen.frozen_by.username == "analyst"
    assert find_row(frozen.report, "victims", "victims")["value"] > 0
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    pages = [
        reverse("statistics:report", args=[year]),
        reverse("statistics:report", args=[year]) + "?version=1",
        reverse("statistics:records", args=[year, "victims"]),
        reverse("statistics:records", args=[year, "prosecuted"]),
        reverse("statistics:export", args=[year, "xlsx"]),
        reverse("api:annual_report", args=[year]),
        reverse("home"),
    ]
    opened = 0
    for name, user in users.items():
        client = login(user)
        for url in pages:
            status = client.get(url).status_code
            if name == "analyst" or url == reverse("home"):
                assert status == 200, (name, url, status)
            else:
                assert status in (403, 404), (name, url, status)
            opened += 1
    home = login(users["analyst"]).get(reverse("home")).content.decode()
    assert 'data-testid="commission-alerts"' in home
    figure(f"demo statistics: {opened} page loads by {len(users)} demo users → 0 server errors")
