from django.urls import path

from . import views

app_name = "justice"
urlpatterns = [
    path("", views.investigation_list, name="list"),
    path("new/", views.investigation_create, name="create"),
    path("stalled/", views.stalled_list, name="stalled"),
    path("oversight/", views.oversight, name="oversight"),
    path("figures/", views.figures_page, name="figures"),
    path("<int:pk>/", views.investigation_detail, name="detail"),
    path("<int:pk>/edit/", views.investigation_edit, name="edit"),
    path("<int:pk>/transfer/", views.investigation_transfer, name="transfer"),
    path("<int:pk>/close/", views.investigation_close, name="close"),
    path("<int:pk>/send-back/", views.investigation_return, name="return"),
    path("<int:pk>/dossiers/link/", views.dossier_link, name="link_dossier"),
    path("<int:pk>/reports/link/", views.report_link, name="link_report"),
    path("<int:pk>/suspects/add/", views.suspect_add, name="suspect_add"),
    path("<int:pk>/suspects/<int:suspect_pk>/edit/", views.suspect_edit, name="suspect_edit"),
    path("<int:pk>/events/add/", views.event_add, name="event_add"),
    path("<int:pk>/prosecutions/new/", views.prosecution_create, name="prosecution_create"),
    path("prosecutions/<int:pk>/", views.prosecution_detail, name="prosecution"),
    path("prosecutions/<int:pk>/charges/add/", views.charge_add, name="charge_add"),
    path("prosecutions/<int:pk>/decisions/add/", views.decision_add, name="decision_add"),
    path("prosecutions/<int:pk>/sentences/add/", views.sentence_add, name="sentence_add"),
    path("prosecutions/<int:pk>/appeals/add/", views.appeal_add, name="appeal_add"),
    path(
        "prosecutions/<int:pk>/appeals/<int:appeal_pk>/decide/",
        views.appeal_decide,
        name="appeal_decide",
    ),
    path(
        "prosecutions/<int:pk>/participations/add/",
        views.participation_add,
        name="participation_add",
    ),
]
