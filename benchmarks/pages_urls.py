"""Himaya's URLs plus one bare view for benchmarks/pages.py. The bare view goes through the same
middleware (session, login, second factor, audit context, CSP) and returns a few bytes: what
every page costs before it does anything of its own."""

from django.http import HttpResponse
from django.urls import path

from himaya.urls import urlpatterns as himaya_urls


def bare(request):
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *himaya_urls]
