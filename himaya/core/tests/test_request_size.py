"""What is sent is bounded (HIMAYA_MAX_REQUEST_MB): a larger body is answered 413, in the
user's language, before anything reads it. Before, uploaded files were written to temporary
files with no bound before any form checked their size, so anyone could fill the server's disk
through the public tip form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def one_mb(settings):
    settings.HIMAYA_MAX_REQUEST_MB = 1
    return settings


def test_a_body_over_the_limit_is_refused_before_it_is_read(one_mb):
    big = SimpleUploadedFile("tip.txt", b"x" * (MB + 1), content_type="text/plain")
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.cookies["himaya_language"] = "fr"
    response = client.post("/report/", {"narrative": "aide", "file": big})
    assert response.status_code == 413
    page = response.content.decode()
    assert 'lang="fr"' in page and "1 Mo" in page and "plus volumineux" in page


def test_the_api_answers_413_in_json(one_mb, users, login):
    client = login(users["alice"])
    response = client.post(
        "/api/persons/", data=b"{" + b" " * (MB + 1) + b"}", content_type="application/json"
    )
    assert response.status_code == 413
    assert "1 MB" in response.json()["detail"] or "1 Mo" in response.json()["detail"]


def test_a_body_within_the_limit_goes_on_to_the_page(one_mb):
    response = Client().post("/report/", {"narrative": "x" * (MB // 2)})
    assert response.status_code != 413


def test_the_default_bound_is_above_every_upload_accepted(settings):
    from himaya.coordination import uploads
    from himaya.exchange import reading

    largest = max(reading.MAX_BYTES, uploads.MAX_BYTES, settings.HIMAYA_OPENROSA_MAX_MB * MB)
    assert largest + MB < settings.HIMAYA_MAX_REQUEST_MB * MB  # room for the form's other fields
