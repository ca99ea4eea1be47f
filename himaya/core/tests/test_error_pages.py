"""Error pages (issue 15, item 18): Himaya's own 400/403/404/500 and CSRF pages, in the user's
language and right to left in Arabic, never Django's English debug pages; the 500 page renders
with no database and no context; the demo runs with DEBUG off and still serves its static
files."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import include, path, reverse
from django.utils import translation

from himaya.core import views

ROOT = Path(__file__).resolve().parents[3]


def _boom(request):
    raise RuntimeError("a fault in a view")


def _denied(request):
    raise PermissionDenied


# This module is the URLconf of the tests marked below: Himaya's routes plus two that fail.
urlpatterns = [
    path("boom/", _boom, name="boom"),
    path("denied/", _denied, name="denied"),
    path("", include("himaya.urls")),
]
handler400 = "himaya.core.views.bad_request"
handler403 = "himaya.core.views.forbidden"
handler404 = "himaya.core.views.not_found"
handler500 = "himaya.core.views.server_error"


def in_language(lang, message):
    with translation.override(lang):
        return translation.gettext(message)


def speaks(html, lang):
    rtl = 'dir="rtl"' if lang == "ar" else 'dir="ltr"'
    return f'lang="{lang}"' in html and rtl in html


@pytest.fixture
def alice_in(users, login):
    def client(lang):
        alice = users["alice"]
        alice.preferred_language = lang
        alice.save(update_fields=["preferred_language"])
        return login(alice)

    return client


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_not_found_is_ours_in_the_users_language(alice_in, lang):
    response = alice_in(lang).get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert speaks(html, lang)
    assert 'data-testid="error-page"' in html
    assert in_language(lang, "Not found") in html
    assert "URLconf" not in html and "Page not found" not in html
    if lang != "en":
        assert in_language(lang, "Not found") != "Not found"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_forbidden_and_server_error_are_ours(alice_in, lang):
    client = alice_in(lang)
    client.raise_request_exception = False
    denied = client.get("/denied/")
    assert denied.status_code == 403
    assert speaks(denied.content.decode(), lang)
    assert in_language(lang, "Not allowed") in denied.content.decode()

    broken = client.get("/boom/")
    html = broken.content.decode()
    assert broken.status_code == 500
    assert speaks(html, lang)
    assert in_language(lang, "Something went wrong") in html
    # Nothing of the fault reaches the page: no traceback, no message, no setting.
    assert "RuntimeError" not in html and "a fault in a view" not in html
    assert "Traceback" not in html and "SECRET" not in html


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_500_page_needs_no_database_and_no_context(lang):
    # No django_db mark: any query here fails the test (pytest-django blocks the database).
    request = RequestFactory().get("/anything/")
    with translation.override(lang):
        response = views.server_error(request)
        bad = views.bad_request(request)
    html = response.content.decode()
    assert response.status_code == 500 and bad.status_code == 400
    assert speaks(html, lang) and speaks(bad.content.decode(), lang)
    assert "/static/vendor/bootstrap/css/bootstrap" in html
    assert ("bootstrap.rtl.min.css" in html) == (lang == "ar")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_a_form_without_its_token_gets_our_page_not_djangos(db, lang):
    client = Client(enforce_csrf_checks=True)
    client.cookies["himaya_language"] = lang
    response = client.post(reverse("tips:report"), {"narrative": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert speaks(html, lang)
    assert in_language(lang, "The form has expired") in html
    assert "CSRF verification failed" not in html and "Forbidden (403)" not in html


def test_the_demo_runs_without_debug_and_serves_its_static_files(tmp_path):
    """`himaya run` / `make run` with no DEBUG in the environment: DEBUG is off, and WhiteNoise
    still serves the styles and scripts (runserver serves none with DEBUG off)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HIMAYA_", "DJANGO_"))}
    env.pop("DEBUG", None)
    env.update(HIMAYA_ENV="development", HIMAYA_DEMO="1", HIMAYA_VAR_DIR=str(tmp_path))
    script = (
        "from django.conf import settings; from django.test import Client\n"
        "c = Client(SERVER_NAME='127.0.0.1')\n"
        "print('DEBUG', settings.DEBUG)\n"
        "for url in ('/static/himaya/himaya.css', '/static/vendor/bootstrap/js/"
        "bootstrap.bundle.min.js', '/static/vendor/bootstrap/css/bootstrap.rtl.min.css'):\n"
        "    r = c.get(url)\n"
        "    print(url, r.status_code, len(b''.join(r.streaming_content)))\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert "DEBUG False" in lines
    served = [line.split() for line in lines if line.startswith("/static/")]
    assert len(served) == 3
    assert all(status == "200" and int(size) > 1000 for _url, status, size in served)
