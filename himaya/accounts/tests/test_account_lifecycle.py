"""An account's lifecycle on the management pages: the new member form (an e-mail, never a
password), second-factor reset, unlock, deactivation, the edit form, and the API tokens an
account's end revokes (M2). Passwords are never chosen here: see test_activation.py (H3)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from himaya.accounts.models import ApiToken, User

from .test_manage import audit, new_member


def test_the_new_member_form_asks_for_an_email_and_no_password(users, orgs, login):
    olivia = login(users["olivia"])
    url = reverse("orgs:member_add", args=[orgs["ngo_a"].pk])
    page = olivia.get(url).content.decode()
    assert 'type="password"' not in page and 'name="new-email"' in page
    response = olivia.post(url, new_member(**{"new-email": ""}))
    assert response.status_code == 200 and "email" in response.context["new_form"].errors
    # A password typed in anyway is ignored.
    response = olivia.post(url, new_member(**{"new-password1": "Mine-Now-2026!!"}))
    assert response.status_code == 302
    assert not User.objects.get(username="nadia").has_usable_password()


def test_reset_second_factor_removes_devices_and_ends_sessions(users, login):
    alice = users["alice"]
    session = login(alice)
    assert session.get(reverse("home")).status_code == 200
    StaticDevice.objects.create(user=alice, name="backup")
    olivia = login(users["olivia"])
    response = olivia.post(reverse("orgs:user_reset_2fa", args=[alice.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    # Her old session is dead on the next request.
    response = session.get(reverse("home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    event = audit("reset_second_factor", object_id=str(alice.pk)).get()
    assert event.actor_username == "olivia"
    assert {"totp_device", "recovery_codes", "session_salt"} == set(event.changed_fields)


def test_unlock_resets_the_failed_attempts(users, login):
    AccessAttempt.objects.create(
        username="alice",
        ip_address="10.0.0.1",
        user_agent="test",
        failures_since_start=5,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/",
    )
    olivia = login(users["olivia"])
    page = olivia.get(reverse("orgs:user_detail", args=[users["alice"].pk])).content.decode()
    assert "locked" in page
    assert olivia.post(reverse("orgs:user_unlock", args=[users["alice"].pk])).status_code == 302
    assert not AccessAttempt.objects.filter(username="alice").exists()
    assert audit("unlock_user", object_id=str(users["alice"].pk)).get().changed_fields == [
        "failed_login_attempts"
    ]


def test_deactivate_user_ends_the_account(users, login):
    alice = users["alice"]
    session = login(alice)
    olivia = login(users["olivia"])
    assert olivia.get(reverse("orgs:user_deactivate", args=[alice.pk])).status_code == 200
    alice.refresh_from_db()
    assert alice.is_active  # a GET only asks for confirmation
    assert olivia.post(reverse("orgs:user_deactivate", args=[alice.pk])).status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active
    assert session.get(reverse("home")).status_code == 302
    assert set(audit("deactivate_user", object_id=str(alice.pk)).get().changed_fields) == {
        "is_active",
        "password",
        "session_salt",
    }


def test_user_edit_saves_names_and_bad_email_is_a_form_error(users, login):
    # An account not yet activated: its organisation admin may still correct the address.
    users["alice"].set_unusable_password()
    users["alice"].save()
    olivia = login(users["olivia"])
    url = reverse("orgs:user_edit", args=[users["alice"].pk])
    response = olivia.post(url, {"first_name": "Alia", "email": "not an email"})
    assert response.status_code == 200 and "email" in response.context["form"].errors
    response = olivia.post(
        url,
        {
            "first_name": "Alia",
            "last_name": "B",
            "email": "alia@example.org",
            "preferred_language": "ar",
        },
    )
    assert response.status_code == 302
    alice = User.objects.get(pk=users["alice"].pk)
    assert (alice.first_name, alice.email, alice.preferred_language) == (
        "Alia",
        "alia@example.org",
        "ar",
    )
    assert {"first_name", "last_name", "email", "preferred_language"} == set(
        audit("update_user", object_id=str(alice.pk)).get().changed_fields
    )


def live_token(user):
    token, raw = ApiToken.issue(user, "integration")
    return token, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize(
    "action,url_name",
    [("reset_second_factor", "user_reset_2fa"), ("deactivate_user", "user_deactivate")],
)
def test_admin_actions_revoke_the_accounts_api_tokens(users, login, client, action, url_name):
    alice = users["alice"]
    token, auth = live_token(alice)
    bobs, _bob_auth = live_token(users["bob"])
    assert client.get("/api/organisations/", **auth).status_code == 200
    olivia = login(users["olivia"])
    assert olivia.post(reverse(f"orgs:{url_name}", args=[alice.pk])).status_code == 302
    token.refresh_from_db()
    bobs.refresh_from_db()
    assert token.revoked_at is not None and bobs.revoked_at is None
    assert client.get("/api/organisations/", **auth).status_code in (401, 403)
    assert "api_tokens" in audit(action, object_id=str(alice.pk)).get().changed_fields


def test_logout_everywhere_revokes_my_api_tokens(users, login, client):
    alice = users["alice"]
    token, auth = live_token(alice)
    session = login(alice)
    assert session.post(reverse("accounts:logout_everywhere")).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/organisations/", **auth).status_code in (401, 403)
    event = audit("logout_everywhere", object_id=str(alice.pk)).get()
    assert set(event.changed_fields) == {"session_salt", "api_tokens"}
