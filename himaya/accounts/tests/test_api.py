"""The API's organisations endpoint, its schema and docs page (members only, nothing from
another host), the token page and the issuetoken command."""

import io
import re
import time

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.test import Client
from drf_spectacular.validation import validate_schema

from himaya.accounts.middleware import SESSION_STARTED_KEY
from himaya.accounts.models import ApiToken, Organisation, hash_token
from himaya.audit.models import AuditEvent


def token_client(user):
    _token, raw = ApiToken.issue(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_organisations_list_and_detail(users, orgs):
    client = token_client(users["bob"])
    rows = client.get("/api/organisations/").json()["results"]
    assert {r["id"] for r in rows} == {o.pk for o in orgs.values()}
    police = client.get(f"/api/organisations/{orgs['police'].pk}/").json()
    assert police == {
        "id": orgs["police"].pk,
        "name_ar": "أمن طنجة",
        "name_fr": "Police de Tanger",
        "name_en": "Tangier police",
        "type": "police",
        "region": "tanger_tetouan_al_hoceima",
        "active": True,
        # The roles that may be given there (core.access.ROLE_ORG_TYPES): no caseworker or
        # prosecutor in a police organisation.
        "roles": ["investigator", "analyst", "org_admin", "focal_point"],
    }
    ngo = client.get(f"/api/organisations/{orgs['ngo_a'].pk}/").json()
    assert "prosecutor" not in ngo["roles"] and "investigator" not in ngo["roles"]
    assert {"caseworker", "shelter_manager", "org_admin"} <= set(ngo["roles"])


def test_organisations_cannot_be_written(users, orgs):
    client = token_client(users["olivia"])
    url = f"/api/organisations/{orgs['ngo_a'].pk}/"
    for response in (
        client.post("/api/organisations/", {"name_fr": "X"}, content_type="application/json"),
        client.patch(url, {"name_fr": "X", "active": False}, content_type="application/json"),
        client.put(url, {"name_fr": "X"}, content_type="application/json"),
        client.delete(url),
    ):
        assert response.status_code == 405
    assert Organisation.objects.get(pk=orgs["ngo_a"].pk).name_fr == "Association A"


@pytest.mark.parametrize("who", ["charlie", "root"])
def test_no_membership_no_api(users, login, who):
    assert token_client(users[who]).get("/api/organisations/").status_code == 403
    assert login(users[who]).get("/api/organisations/").status_code == 403


def test_anonymous_gets_nothing(orgs):
    client = Client()
    for url in (
        "/api/",
        "/api/organisations/",
        "/api/persons/",
        "/api/dossiers/",
        "/api/schema/",
        "/api/docs/",
    ):
        assert client.get(url).status_code in (401, 403), url


def test_schema_for_members_is_valid_openapi(users):
    response = token_client(users["ana"]).get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/organisations/",
        "/api/persons/",
        "/api/persons/{id}/",
        "/api/dossiers/",
        "/api/dossiers/{id}/",
        "/api/dossiers/{id}/stage/",
        "/api/dossiers/{id}/notes/",
    ):
        assert path in schema["paths"], path
    assert "put" not in schema["paths"]["/api/dossiers/{id}/"]
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "sessionAuth"}


def test_docs_page_uses_only_local_assets(users, login):
    response = login(users["alice"]).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    refs = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert refs and all(ref.startswith("/") for ref in refs), refs
    assert "//" not in "".join(ref[1:] for ref in refs)
    assert "<script>" not in html  # the start-up script is a file, for the CSP
    script = re.search(r'<script src="([^"]*\?script=)"', html)
    assert script and login(users["alice"]).get(script.group(1)).status_code == 200
    assert Client().get("/api/docs/?script=").status_code in (401, 403)


def test_token_page_needs_login_and_second_factor(users):
    assert Client().get("/api/tokens/").status_code == 403
    assert Client().post("/api/tokens/", {"name": "x"}).status_code == 403
    half = Client()
    half.force_login(users["alice"])
    session = half.session
    session[SESSION_STARTED_KEY] = int(time.time())  # a fresh password login, no second factor
    session.save()
    response = half.get("/api/tokens/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert half.post("/api/tokens/", {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_token_page_creates_shows_once_and_revokes(users, login):
    alice = users["alice"]
    client = login(alice)
    assert client.get("/api/tokens/").status_code == 200
    response = client.post("/api/tokens/", {"name": "case import", "days": "30"})
    assert response.status_code == 200
    raw = re.search(r"hmy_[A-Za-z0-9_\-]{20,}", response.content.decode()).group(0)
    token = ApiToken.objects.get(user=alice)
    assert token.digest == hash_token(raw) and token.name == "case import"
    assert token.expires_at is not None
    assert raw not in client.get("/api/tokens/").content.decode()  # shown once only
    assert AuditEvent.objects.filter(action="issue_api_token", actor_username="alice").exists()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/dossiers/").status_code == 200
    revoke = client.post(f"/api/tokens/{token.pk}/revoke/")
    assert revoke.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get("/api/dossiers/").status_code == 401


def test_token_page_validates_and_guards(users, login):
    alice, bob = users["alice"], users["bob"]
    client = login(alice)
    for bad in (
        {"name": ""},
        {"name": "x" * 101},
        {"name": "x", "days": "-1"},
        {"name": "x", "days": "soon"},
    ):
        assert client.post("/api/tokens/", bad).status_code == 200
    assert not ApiToken.objects.exists()
    bobs, _raw = ApiToken.issue(bob, "bob's")
    assert client.post(f"/api/tokens/{bobs.pk}/revoke/").status_code == 404
    assert client.get(f"/api/tokens/{bobs.pk}/revoke/").status_code == 405
    bobs.refresh_from_db()
    assert bobs.revoked_at is None
    strict = login(alice)
    strict.handler.enforce_csrf_checks = True
    assert strict.post("/api/tokens/", {"name": "no csrf"}).status_code == 403
    assert not ApiToken.objects.filter(user=alice).exists()


def test_token_page_lists_only_my_tokens(users, login):
    ApiToken.issue(users["alice"], "mine")
    ApiToken.issue(users["bob"], "not mine")
    html = login(users["alice"]).get("/api/tokens/").content.decode()
    assert "mine" in html and "not mine" not in html


def test_issuetoken_command(users, alices_dossier):
    out, err = io.StringIO(), io.StringIO()
    call_command("issuetoken", "bob", "nightly export", "--days", "7", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(digest=hash_token(raw))
    assert token.user == users["bob"] and token.expires_at is not None
    assert raw not in err.getvalue()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get(f"/api/dossiers/{alices_dossier.pk}/").status_code == 404  # bob's scope
    with pytest.raises(CommandError):
        call_command("issuetoken", "nobody", "x", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("issuetoken", "bob", "x", "--days", "0", stdout=io.StringIO())


@pytest.fixture
def alices_dossier(users, orgs):
    from himaya.testing import factories as f

    return f.dossier(users["alice"], orgs["ngo_a"])


# L1: a header of whitespace only is no credentials, not a 500


@pytest.mark.parametrize("header", [" ", "\xa0", "\t \xa0 ", "Bearer", "Bearer a b"])
def test_blank_or_malformed_authorization_header_is_refused_cleanly(orgs, header):
    response = Client(HTTP_AUTHORIZATION=header).get("/api/organisations/")
    assert response.status_code in (401, 403)


def test_blank_authorization_header_returns_none():
    from rest_framework.test import APIRequestFactory

    from himaya.accounts.api_auth import ApiTokenAuthentication

    for header in (" ", "\xa0"):
        request = APIRequestFactory().get("/api/organisations/", HTTP_AUTHORIZATION=header)
        assert ApiTokenAuthentication().authenticate(request) is None


# L2: deeply nested JSON is a 400


@pytest.mark.parametrize("body", ["[" * 50_000, "[" * 50_000 + "]" * 50_000, '{"q": ' * 30_000])
def test_deeply_nested_json_is_a_bad_request(users, body):
    client = token_client(users["alice"])
    response = client.post("/api/persons/search/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()
    ok = client.post("/api/persons/search/", {"q": "Amina"}, content_type="application/json")
    assert ok.status_code == 200


def test_the_api_reads_json_only(users):
    client = token_client(users["alice"])
    response = client.post("/api/persons/search/", {"q": "Amina"})  # multipart form
    assert response.status_code == 415


def test_every_token_expires_within_a_year(users, login):
    from django.core.exceptions import ValidationError

    from himaya.accounts import actions

    token, _raw = actions.issue_api_token(users["alice"], "default")
    days = (token.expires_at - token.created_at).days
    assert 89 <= days <= 90
    for bad in (0, 367, 10_000):
        with pytest.raises(ValidationError):
            actions.issue_api_token(users["alice"], "too long", days=bad)
    page = login(users["alice"]).post("/api/tokens/", {"name": "forever", "days": ""})
    assert page.status_code in (200, 400) and "forever" not in [
        t.name for t in ApiToken.objects.all()
    ]


def test_a_token_without_an_end_date_lives_a_year_at_most(users):
    from datetime import timedelta

    from django.utils import timezone

    token, _raw = ApiToken.issue(users["alice"], "old")
    assert ApiToken.objects.live().filter(pk=token.pk).exists()
    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - timedelta(days=400))
    assert not ApiToken.objects.live().filter(pk=token.pk).exists()
