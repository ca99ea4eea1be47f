"""The public tip form under /report/: no login (these names are in the S1 allow-list,
himaya.accounts.middleware.PUBLIC_URL_NAMES)."""

from django.urls import path

from . import views

app_name = "tips"
urlpatterns = [
    path("", views.tip_report, name="report"),
    path("follow-up/", views.tip_follow_up, name="follow_up"),
]
