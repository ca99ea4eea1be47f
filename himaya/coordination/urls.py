"""The coordination pages under /coordination/."""

from django.urls import path

from .views import build, dashboard, plan, recommendations, work

app_name = "coordination"
urlpatterns = [
    path("", plan.plan_index, name="index"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("plans/new/", build.plan_new, name="plan_new"),
    path("plans/<int:pk>/", plan.plan_page, name="plan"),
    path("plans/<int:pk>/edit/", build.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/axes/new/", build.axis_new, name="axis_new"),
    path("axes/<int:pk>/edit/", build.axis_edit, name="axis_edit"),
    path("axes/<int:pk>/objectives/new/", build.objective_new, name="objective_new"),
    path("objectives/<int:pk>/edit/", build.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/measures/new/", build.measure_new, name="measure_new"),
    path("measures/<int:pk>/edit/", build.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/indicators/new/", build.indicator_new, name="indicator_new"),
    path("indicators/<int:pk>/edit/", build.indicator_edit, name="indicator_edit"),
    path("plans/<int:pk>/indicators/", plan.indicators_page, name="indicators"),
    path("measures/<int:pk>/", plan.measure_page, name="measure"),
    path("measures/<int:pk>/status/", plan.measure_status, name="measure_status"),
    path("measures/<int:pk>/notes/", plan.measure_note, name="measure_note"),
    path("measures/<int:pk>/evidence/", plan.measure_evidence, name="measure_evidence"),
    path("indicators/<int:pk>/year/", plan.indicator_year, name="indicator_year"),
    path("evidence/<int:pk>/", plan.evidence_file, name="evidence"),
    path("recommendations/", recommendations.recommendation_list, name="recommendations"),
    path("recommendations/new/", recommendations.recommendation_new, name="recommendation_new"),
    path("recommendations/<int:pk>/", recommendations.recommendation_page, name="recommendation"),
    path(
        "recommendations/<int:pk>/edit/",
        recommendations.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "recommendations/<int:pk>/progress/",
        recommendations.recommendation_progress,
        name="recommendation_progress",
    ),
    path(
        "recommendations/<int:pk>/evidence/",
        recommendations.recommendation_evidence,
        name="recommendation_evidence",
    ),
    path(
        "recommendations/progress/<int:year>/<str:lang>/<str:fmt>/",
        recommendations.progress_export,
        name="progress_export",
    ),
    path("trainings/", work.training_list, name="trainings"),
    path("trainings/new/", work.training_new, name="training_new"),
    path("trainings/<int:pk>/edit/", work.training_edit, name="training_edit"),
    path("meetings/", work.meeting_list, name="meetings"),
    path("meetings/new/", work.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", work.meeting_page, name="meeting"),
    path("meetings/<int:pk>/edit/", work.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/decisions/", work.decision_add, name="decision_add"),
    path("decisions/<int:pk>/actions/", work.action_add, name="action_add"),
    path("actions/<int:pk>/close/", work.action_close, name="action_close"),
]
