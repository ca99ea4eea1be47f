"""The published statistics under /statistics/: no login (these names are in the S1 allow-list,
himaya.accounts.middleware.PUBLIC_URL_NAMES)."""

from django.urls import path

from . import public_views

app_name = "public_stats"
urlpatterns = [
    # ?year=2025 picks the year, ?format=csv downloads the published tables.
    path("", public_views.statistics, name="index"),
]
