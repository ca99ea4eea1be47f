"""The commission's figures under /figures/: the annual report, its exports, frozen versions and
the records behind a figure."""

from django.urls import path

from . import views

app_name = "statistics"
urlpatterns = [
    path("report/", views.report_index, name="report_index"),
    path("report/<int:year>/", views.report_page, name="report"),
    path("report/<int:year>/export/<str:fmt>/", views.report_export, name="export"),
    path("report/<int:year>/freeze/", views.report_freeze, name="freeze"),
    path("report/<int:year>/compute/", views.report_compute_now, name="compute"),
    path("report/<int:year>/records/<str:figure>/", views.figure_records, name="records"),
]
