"""The API under /api/: organisations, persons, dossiers; the OpenAPI schema and its docs page
(members only, assets served from our own static files); the API token page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from himaya.accounts import api as accounts_api
from himaya.accounts.api_auth import IsMember
from himaya.cases.api import AlertViewSet, DossierViewSet
from himaya.coordination import api as coordination_api
from himaya.hotline.api import ReportViewSet
from himaya.justice import api as justice_api
from himaya.people.api import PersonViewSet
from himaya.referrals import api as referrals_api
from himaya.screening import api as screening_api
from himaya.statistics.api import AnnualReportView

app_name = "api"

router = DefaultRouter()
router.register("organisations", accounts_api.OrganisationViewSet, basename="organisation")
router.register("persons", PersonViewSet, basename="person")
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("questionnaires", screening_api.QuestionnaireViewSet, basename="questionnaire")
router.register("screenings", screening_api.ScreeningViewSet, basename="screening")
router.register("campaigns", screening_api.CampaignViewSet, basename="campaign")
router.register("alerts", AlertViewSet, basename="alert")
router.register("reports", ReportViewSet, basename="report")
router.register("investigations", justice_api.InvestigationViewSet, basename="investigation")
router.register("suspects", justice_api.SuspectViewSet, basename="suspect")
router.register("prosecutions", justice_api.ProsecutionViewSet, basename="prosecution")
router.register("charges", justice_api.ChargeViewSet, basename="charge")
router.register("court-decisions", justice_api.DecisionViewSet, basename="court-decision")
router.register("services", referrals_api.ServiceViewSet, basename="service")
router.register("providers", referrals_api.ProviderViewSet, basename="provider")
router.register("facilities", referrals_api.FacilityViewSet, basename="facility")
router.register("referrals", referrals_api.ReferralViewSet, basename="referral")
router.register("sessions", referrals_api.SessionViewSet, basename="session")
router.register("stays", referrals_api.StayViewSet, basename="stay")
router.register("returns", referrals_api.ReturnViewSet, basename="return")
router.register("goals", referrals_api.GoalViewSet, basename="goal")
router.register("followups", referrals_api.FollowUpViewSet, basename="followup")
router.register("plans", coordination_api.PlanViewSet, basename="plan")
router.register("measures", coordination_api.MeasureViewSet, basename="measure")
router.register("indicators", coordination_api.IndicatorViewSet, basename="indicator")
router.register(
    "recommendations", coordination_api.RecommendationViewSet, basename="recommendation"
)
router.register("trainings", coordination_api.TrainingViewSet, basename="training")
router.register("meetings", coordination_api.MeetingViewSet, basename="meeting")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsMember]), name="schema"),
    # The split view serves its start-up script as a file, so the page runs under our CSP.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[IsMember]),
        name="docs",
    ),
    path("annual-reports/<int:year>/", AnnualReportView.as_view(), name="annual_report"),
    path("tokens/", accounts_api.token_page, name="tokens"),
    path("tokens/<int:pk>/revoke/", accounts_api.token_revoke, name="token_revoke"),
    path("", include(router.urls)),
]
