"""Request ids a client cannot choose (L5) and no-store on personal pages and the API (L6)."""

from django.test import Client
from django.urls import reverse

from himaya.accounts.models import ApiToken
from himaya.audit.models import AuditEvent
from himaya.testing.factories import PASSWORD

CHOSEN = "attacker-chosen-id-0001"


def failed_login(client, **headers):
    return client.post(
        reverse("accounts:login"), {"username": "alice", "password": "wrong"}, **headers
    )


def test_an_incoming_request_id_is_ignored_by_default(users):
    response = failed_login(Client(), HTTP_X_REQUEST_ID=CHOSEN)
    assert response["X-Request-Id"] != CHOSEN
    event = AuditEvent.objects.filter(action="login_failed").latest("pk")
    assert event.request_id == response["X-Request-Id"] != CHOSEN
    assert not AuditEvent.objects.filter(request_id=CHOSEN).exists()


def test_a_trusted_proxy_request_id_is_kept(users, settings):
    settings.HIMAYA_TRUST_REQUEST_ID = True
    response = failed_login(Client(), HTTP_X_REQUEST_ID=CHOSEN)
    assert response["X-Request-Id"] == CHOSEN
    assert AuditEvent.objects.filter(action="login_failed").latest("pk").request_id == CHOSEN
    # Still only well-formed ones.
    response = failed_login(Client(), HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-Id"] != "bad id\nwith newline"


def no_store(response):
    return "no-store" in response.get("Cache-Control", "") and response.get("Pragma") == "no-cache"


def test_pages_for_a_logged_in_user_are_not_stored(users, login):
    client = login(users["alice"])
    for url in (reverse("home"), reverse("accounts:security"), reverse("people:list")):
        response = client.get(url)
        assert response.status_code == 200 and no_store(response), url
    # Redirects and errors too.
    assert no_store(client.get("/no-such-page/"))
    # A password-only session as well.
    half = Client()
    half.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})
    assert no_store(half.get(reverse("accounts:enrol")))


def test_api_answers_are_not_stored(users):
    _token, raw = ApiToken.issue(users["alice"], "t")
    assert no_store(Client().get("/api/organisations/", HTTP_AUTHORIZATION=f"Bearer {raw}"))
    assert no_store(Client().get("/api/organisations/"))  # the 401/403 as well


def test_static_files_keep_their_caching(users, login):
    response = login(users["alice"]).get("/static/himaya/himaya.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response
