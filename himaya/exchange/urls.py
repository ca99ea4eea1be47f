from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/history/", views.history, name="history"),
    path("import/columns/", views.documentation, name="documentation"),
    path("import/<int:pk>/", views.run_detail, name="run"),
    path("import/<int:pk>/commit/", views.run_commit, name="commit"),
    path("import/<int:pk>/discard/", views.run_discard, name="discard"),
    path("export/", views.export_registers, name="export"),
    path("templates/registers.xlsx", views.template_workbook, name="template_xlsx"),
    path("templates/<slug:kind>.csv", views.template_csv, name="template_csv"),
    path("htcds/", views.htcds_page, name="htcds"),
    path("htcds/export/", views.htcds_export, name="htcds_export"),
    path("htcds/ctdc/", views.ctdc_extract, name="htcds_ctdc"),
    path("htcds/extracts/<int:pk>/", views.extract_download, name="extract_download"),
    path("htcds/extracts/<int:pk>/archive/", views.extract_archive, name="extract_archive"),
]
