from django.urls import path

from . import views

app_name = "hotline"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("figures/", views.report_figures, name="figures"),
    path("held/review/", views.held_review, name="held_review"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/triage/", views.report_triage, name="triage"),
    path("<int:pk>/notes/add/", views.note_add, name="note_add"),
    path("<int:pk>/share/", views.report_share, name="share"),
]
