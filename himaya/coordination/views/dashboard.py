"""The commission's dashboard: measures by status and axis, overdue measures, recommendations
by status, indicators against their target with their trend."""

from collections import Counter

from django.shortcuts import render
from django.utils import timezone

from himaya.core import access as core_access

from ..indicators import indicator_rows
from ..models import (
    Indicator,
    Measure,
    MeasureStatus,
    Plan,
    Recommendation,
    RecommendationProgress,
    RecommendationStatus,
)
from .common import reader


def dashboard(request):
    reader(request)
    today = timezone.localdate()
    plan = Plan.objects.visible_to(request.user).first()
    context = {"plan": plan, "tab": "dashboard", "today": today}
    if plan is not None:
        measures = Measure.objects.filter(objective__axis__plan=plan)
        by_axis = Counter(measures.values_list("objective__axis_id", "status"))
        context["statuses"] = MeasureStatus.choices
        context["axes"] = [
            {
                "axis": axis,
                "counts": [by_axis.get((axis.pk, s), 0) for s, _l in MeasureStatus.choices],
            }
            for axis in plan.axes.all()
        ]
        totals = Counter(measures.values_list("status", flat=True))
        context["totals"] = [totals.get(s, 0) for s, _l in MeasureStatus.choices]
        context["overdue"] = (
            measures.overdue(today)
            .select_related("lead_agency", "objective__axis")
            .order_by("deadline")[:50]
        )
        years = [y for y in plan.years() if y <= today.year][-4:] or [plan.start_year]
        indicators = Indicator.objects.filter(measure__objective__axis__plan=plan).select_related(
            "measure__objective__axis"
        )
        context["years"] = years
        context["indicator_rows"] = indicator_rows(indicators, years)
    year = today.year - 1
    latest = dict(
        RecommendationProgress.objects.filter(year=year).values_list("recommendation_id", "status")
    )
    recs = Recommendation.objects.visible_to(request.user).values_list("pk", flat=True)
    by_status = Counter(latest.get(pk, RecommendationStatus.NOT_STARTED) for pk in recs)
    context["rec_year"] = year
    context["rec_statuses"] = [
        (label, by_status.get(s, 0)) for s, label in RecommendationStatus.choices
    ]
    context["drills"] = core_access.reads_national_report(request.user)
    return render(request, "coordination/dashboard.html", context)
