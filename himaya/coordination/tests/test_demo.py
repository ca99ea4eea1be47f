"""The demo's coordination records: a plan 2023–2030 with a few dozen measures across agencies,
the seed's prioritised recommendations in three languages, two years of trainings and
meetings, and a focal point of the Ministry of Justice who logs in like the other demo users.
Loaded through the actions (audited), deterministic for a given anchor date."""

import datetime
import random

import pytest

from himaya.accounts.models import Membership
from himaya.audit.models import AuditEvent
from himaya.coordination import demo
from himaya.coordination.models import (
    FollowUpAction,
    Indicator,
    Measure,
    Meeting,
    Plan,
    Recommendation,
    Training,
)
from himaya.demo import loader
from himaya.statistics.models import FrozenReport

ANCHOR = datetime.date(2025, 6, 15)


def snapshot():
    return {
        "measures": sorted(
            (m.code, m.lead_agency.name_fr, m.status, m.deadline.isoformat())
            for m in Measure.objects.select_related("objective__axis", "lead_agency")
        ),
        "trainings": sorted(
            (t.starts_on.isoformat(), t.title, t.participants)
            for t in Training.objects.prefetch_related("audience")
        ),
        "meetings": sorted(
            (m.held_on.isoformat(), sum(a.people for a in m.attendance.all()))
            for m in Meeting.objects.prefetch_related("attendance")
        ),
    }


@pytest.mark.django_db
def test_the_demo_holds_the_plan_the_recommendations_trainings_and_meetings(settings, figure):
    settings.DEMO_MODE = True
    run, created = loader.load(anchor=ANCHOR, persons=8)
    assert created
    plan = Plan.objects.get()
    assert (plan.start_year, plan.end_year) == (2023, 2030)
    measures = Measure.objects.select_related("lead_agency__type")
    assert measures.count() >= 30
    lead_types = {m.lead_agency.type.code for m in measures}
    assert {"central_government", "police", "prosecution", "ngo"} <= lead_types
    hand = Indicator.objects.filter(figure="")
    assert hand.exists()
    assert not hand.filter(source_ar="").exists() and not hand.filter(source_en="").exists()
    assert Indicator.objects.exclude(figure="").count() >= 8
    recs = Recommendation.objects.filter(year=2024, source="tip_report")
    priority = recs.filter(priority=True)
    assert priority.count() == 4
    for rec in priority:
        assert rec.text_ar and rec.text_fr and rec.text_en and rec.measures.exists()
    assert "المهاجرين غير النظاميين" in priority.get(reference="P1").text_ar
    years = set(Training.objects.values_list("starts_on__year", flat=True))
    assert years == {2023, 2024}
    assert Meeting.objects.count() == 8
    assert FollowUpAction.objects.filter(done_on__isnull=False).exists()
    assert FollowUpAction.objects.overdue(ANCHOR).exists()
    focal = Membership.objects.get(user__username="focal")
    assert focal.role == "focal_point" and focal.organisation.type.code == "central_government"
    assert focal.user.totpdevice_set.filter(confirmed=True).exists()
    # written by the focal point through the actions, audited
    assert AuditEvent.objects.filter(actor_username="focal", action="record_training").exists()
    # the frozen report of the year before the anchor carries the trainings table
    frozen = FrozenReport.objects.get(year=2024)
    assert "trainings" in str(frozen.report)
    counts = run.counts
    figure(
        f"coordination demo: {counts['plan_measures']} measures, {counts['plan_indicators']} "
        f"indicators, {counts['recommendations']} recommendations, {counts['trainings']} "
        f"trainings, {counts['commission_meetings']} meetings, "
        f"{counts['follow_up_actions']} follow-up actions"
    )
    first = snapshot()
    # the same anchor gives the same records
    for model in (FollowUpAction, Meeting, Training, Recommendation, Plan):
        model.objects.all().delete()
    rng = random.Random(f"{loader.SEED}:coordination")
    demo.load(_orgs(), _users(), loader.Codes(), ANCHOR, rng)
    assert snapshot() == first


def _orgs():
    from himaya.accounts.models import Organisation
    from himaya.demo import data

    by_name = {o.name_fr: o for o in Organisation.objects.all()}
    return {key: by_name[name_fr] for key, _t, _r, _ar, name_fr, _en in data.ORGANISATIONS}


def _users():
    from himaya.accounts.models import User

    return {u.username: u for u in User.objects.filter(username__in=["analyst", "focal"])}
