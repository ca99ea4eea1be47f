"""Deny by default (S1), two factors before anything (S9), CSRF everywhere (S14): walks over
every route of the URLconf, so a new page is covered the day it is added."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from himaya.accounts.middleware import HALF_LOGGED_URL_NAMES, PUBLIC_URL_NAMES
from himaya.testing.factories import PASSWORD
from himaya.testing.routes import all_routes

# Reachable without login: the login page, the language switch, the health check, and the
# static files (served by whitenoise before any view).
ALLOW_ANONYMOUS = PUBLIC_URL_NAMES


def walk(client, methods=("get", "post"), skip=()):
    """Requests every route; returns [(method, name, path, status)]."""
    results = []
    for name, path in all_routes():
        if name in skip:
            continue
        for method in methods:
            response = getattr(client, method)(path)
            results.append((method, name, path, response.status_code))
    return results


@pytest.mark.django_db
def test_every_route_needs_a_login_except_the_allow_list(users, figure):
    routes = list(all_routes())
    assert len(routes) > 20
    results = walk(Client())
    open_routes = [r for r in results if r[3] < 300 and r[1] not in ALLOW_ANONYMOUS]
    figure(
        f"S1: {len(open_routes)} of {len(routes)} routes answer 2xx anonymously "
        f"(GET and POST) outside the allow-list {sorted(ALLOW_ANONYMOUS)}"
    )
    assert open_routes == []


def test_a_password_without_second_factor_opens_nothing(users, figure):
    TOTPDevice.objects.create(user=users["alice"], name="app", confirmed=True)
    client = Client()
    client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    results = walk(client, methods=("get",), skip={"accounts:logout"})
    reached = [r for r in results if r[3] < 300 and r[1] not in HALF_LOGGED_URL_NAMES]
    figure(
        f"S9: a password-only session reached {len(reached)} of {len(results)} routes "
        "outside the login steps"
    )
    assert reached == []


def test_every_state_change_needs_a_csrf_token(users, login, figure):
    client = login(users["alice"])
    client.handler.enforce_csrf_checks = True
    results = walk(client, methods=("post",), skip={"accounts:logout"})
    accepted = [r for r in results if r[3] < 400 and r[1] not in {"health"}]
    figure(f"S14: {len(accepted)} of {len(results)} POSTs without a CSRF token were accepted")
    assert accepted == []


def test_no_page_is_exempt_from_csrf(db, figure):
    """DRF views are csrf_exempt at the view level: their session authentication enforces CSRF
    itself, and token requests carry no cookie to forge. The OpenRosa submission endpoint reads
    no session at all: a field device's credential in the Authorization header is its only
    authority (himaya.field)."""
    from django.urls import get_resolver

    exempt = []

    def visit(resolver, prefix=""):
        for p in resolver.url_patterns:
            if hasattr(p, "url_patterns"):
                visit(p, prefix + str(p.pattern))
            elif getattr(p.callback, "csrf_exempt", False) and not prefix.startswith(
                ("api/", "openrosa/")
            ):
                exempt.append(prefix + str(p.pattern))

    visit(get_resolver())
    figure(f"S14: {len(exempt)} pages outside the API are exempt from CSRF checks")
    assert exempt == []
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


def test_api_refuses_anonymous_requests(db):
    client = Client()
    for _name, path in all_routes():
        if path.startswith("/api/"):
            assert client.get(path).status_code in (401, 403, 404), path


def test_static_assets_are_served_locally(users, login):
    users["alice"].preferred_language = "ar"
    users["alice"].save()
    html = login(users["alice"]).get(reverse("home")).content.decode()
    assert "bootstrap.rtl.min.css" in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html
    client = Client()
    css = client.get(settings.STATIC_URL + "vendor/bootstrap/css/bootstrap.rtl.min.css")
    js = client.get(settings.STATIC_URL + "vendor/htmx/htmx.min.js")
    assert css.status_code == 200 and js.status_code == 200
