from django.urls import path

from . import views

app_name = "subjects"
urlpatterns = [
    path("", views.forwarded, name="forwarded"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/passed-on/", views.passed_on, name="passed_on"),
    path("people/<int:pk>/export/", views.export, name="export"),
    path("people/<int:pk>/erase/", views.erase, name="erase"),
]
