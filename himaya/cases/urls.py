from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("new/", views.dossier_create, name="create"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/edit/", views.dossier_edit, name="edit"),
    path("<int:pk>/stage/", views.dossier_stage, name="stage"),
    path("<int:pk>/notes/add/", views.note_add, name="note_add"),
]
