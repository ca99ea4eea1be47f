"""The demo's hotline reports (himaya/demo/hotline.py), loaded on the demo's organisations."""

import datetime
import random

import pytest
from django.utils import timezone

from himaya.demo import hotline as demo_hotline
from himaya.demo.loader import Codes, create_organisations, create_users
from himaya.hotline import figures
from himaya.hotline.models import Report, ReportAddition, ReportShare
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db


def test_demo_reports_cover_the_flows(figure):
    codes = Codes()
    orgs = create_organisations(codes)
    users = create_users(orgs)
    anchor = timezone.localdate()
    for days in (400, 200, 30):
        f.dossier(
            users["hotline"],
            orgs["hotline"],
            opened_on=anchor - datetime.timedelta(days=days),
            forms=("begging",),
            exploitation_region=codes("region", "casablanca_settat"),
        )
    counts = demo_hotline.load(orgs, users, codes, anchor, random.Random(7))
    reports = Report.objects.all()
    assert counts["hotline reports"] == reports.count() == demo_hotline.REPORTS
    assert counts["reports with a dossier"] == 3
    assert reports.filter(dossier__isnull=False).count() == 3
    assert counts["untriaged reports"] == reports.filter(status="untriaged").count()
    assert counts["web tips"] == reports.filter(channel="web_tip").count() > 5
    assert counts["report additions"] == ReportAddition.objects.count() > 0
    assert ReportAddition.objects.filter(by__isnull=True).exists()  # from reporters
    # One immediate-danger report is overdue today; others wait without being late yet.
    overdue = list(reports.overdue())
    assert any(r.urgency == "immediate" and r.channel == "call" for r in overdue)
    recent = timezone.now() - datetime.timedelta(hours=4)
    assert reports.filter(status="untriaged", received_at__gte=recent).count() == 5
    outcomes = set(reports.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == {"open_dossier", "police", "ngo", "information", "not_trafficking", "spam"}
    assert ReportShare.objects.count() == counts["reports passed on"] > 0
    # Dated over two years, never in the future, triaged after received.
    first = reports.order_by("received_at").first().received_at
    assert first >= timezone.now() - datetime.timedelta(days=demo_hotline.DAYS + 1)
    assert not reports.filter(received_at__gt=timezone.now()).exists()
    assert all(r.time_to_triage >= datetime.timedelta(0) for r in reports.exclude(triaged_at=None))
    year = figures.time_to_triage(reports, anchor - datetime.timedelta(days=365), anchor)
    figure(
        f"Demo hotline: {counts['hotline reports']} reports, {counts['web tips']} web tips, "
        f"{counts['untriaged reports']} untriaged ({len(overdue)} overdue), median time to "
        f"triage over the last year {year['median']}"
    )
