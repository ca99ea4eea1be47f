from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("beds/", views.bed_board, name="beds"),
    path("providers/<int:org_pk>/", views.provider_detail, name="provider"),
    path("providers/<int:org_pk>/edit/", views.provider_edit, name="provider_edit"),
    path("providers/<int:org_pk>/facilities/new/", views.facility_create, name="facility_new"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility"),
    path("facilities/<int:pk>/edit/", views.facility_edit, name="facility_edit"),
    path("dossiers/<int:pk>/refer/", views.refer, name="refer"),
    path("dossiers/<int:pk>/", views.dossier_services, name="services"),
    path("dossiers/<int:pk>/sessions/", views.session_add, name="session_add"),
    path("dossiers/<int:pk>/returns/", views.return_add, name="return_add"),
    path("dossiers/<int:pk>/goals/", views.goal_add, name="goal_add"),
    path("dossiers/<int:pk>/followups/", views.followup_add, name="followup_add"),
    path("dossiers/<int:pk>/transfer/", views.transfer_propose, name="transfer"),
    path("goals/<int:pk>/status/", views.goal_status, name="goal_status"),
    path("followups/<int:pk>/done/", views.followup_done, name="followup_done"),
    path("referrals/", views.inbox, name="inbox"),
    path("referrals/<int:pk>/", views.referral_detail, name="detail"),
    path("referrals/<int:pk>/accept/", views.referral_accept, name="accept"),
    path("referrals/<int:pk>/reject/", views.referral_reject, name="reject"),
    path("referrals/<int:pk>/done/", views.referral_done, name="done"),
    path("referrals/<int:pk>/revoke/", views.referral_revoke, name="revoke"),
    path("referrals/<int:pk>/admit/", views.referral_admit, name="admit"),
    path("stays/<int:pk>/discharge/", views.stay_discharge, name="discharge"),
    path("transfers/<int:pk>/answer/", views.transfer_answer, name="transfer_answer"),
    path("support/", views.support_list, name="support"),
    path("support/new/", views.support_add, name="support_add"),
]
