from django.urls import path

from . import views

app_name = "secure_exports"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("<uuid:token>/download/", views.download, name="download"),
]
