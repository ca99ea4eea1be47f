"""The published statistics under /statistics/: no login (these names are in the S1 allow-list,
himaya.accounts.middleware.PUBLIC_URL_NAMES)."""

from django.urls import path

from . import views

app_name = "public_stats"
urlpatterns = [
    # ?year=2025 picks the year, ?format=csv downloads the published tables.
    path("", views.statistics, name="index"),
]
