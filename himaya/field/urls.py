from django.urls import path

from .views import devices, openrosa

app_name = "field"
urlpatterns = [
    path("devices/", devices.device_list, name="devices"),
    path("devices/enrol/", devices.device_enrol, name="enrol"),
    path("devices/<int:pk>/revoke/", devices.device_revoke, name="revoke"),
    path("forms/<int:pk>/xlsform/", devices.questionnaire_xlsform, name="xlsform"),
]

# /openrosa/: what ODK Collect appends to its server address, and nothing else.
openrosa_patterns = (
    [
        path("formList", openrosa.form_list, name="form_list"),
        path("forms/<str:form_id>", openrosa.form_download, name="form"),
        path("forms/<str:form_id>/manifest", openrosa.form_manifest, name="manifest"),
        path("forms/<str:form_id>/media/<str:filename>", openrosa.form_media, name="media"),
        path("submission", openrosa.submission, name="submission"),
    ],
    "openrosa",
)
