from django.urls import include, path

from . import views

# Non-punishment alerts have a namespace of their own ("cases:alerts:list"): their ids are
# alerts' ids, not dossiers'.
alert_patterns = [
    path("", views.alert_list, name="list"),
    path("<int:pk>/resolve/", views.alert_resolve, name="resolve"),
]

app_name = "cases"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("new/", views.dossier_create, name="create"),
    path("alerts/", include((alert_patterns, "alerts"))),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/edit/", views.dossier_edit, name="edit"),
    path("<int:pk>/stage/", views.dossier_stage, name="stage"),
    path("<int:pk>/follow/<str:kind>/", views.dossier_follow, name="follow"),
    path("<int:pk>/notes/add/", views.note_add, name="note_add"),
    path("<int:pk>/pdf/", views.dossier_pdf, name="pdf"),
    path("<int:pk>/printed/", views.page_printed, name="printed"),
    path("<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("<int:pk>/offences/new/", views.offence_create, name="offence_create"),
]
