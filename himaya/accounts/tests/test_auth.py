"""Login with password and TOTP, enrolment, recovery codes, lockout, sessions (S9–S12, S14)."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from himaya.audit.models import AuditEvent
from himaya.testing.factories import PASSWORD


def code_for(device, offset=0):
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{value:06d}"


@pytest.fixture
def alice_device(users):
    return TOTPDevice.objects.create(user=users["alice"], name="app", confirmed=True)


def password_step(client, username="alice", password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_full_login_with_totp_reaches_home(users, alice_device):
    client = Client()
    response = password_step(client)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:verify")
    response = client.post(reverse("accounts:verify"), {"code": code_for(alice_device)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="login", actor_id=users["alice"].pk).exists()


def test_password_only_session_reaches_no_protected_page(users, alice_device, figure):
    client = Client()
    password_step(client)
    protected = [reverse("home"), reverse("accounts:security"), "/sysadmin/"]
    reached = [url for url in protected if client.get(url).status_code == 200]
    figure(
        f"S9: a password-only session reached {len(reached)} of {len(protected)} "
        "protected pages (the full route walk is in tests/test_routes.py)"
    )
    assert reached == []


def test_a_totp_code_works_once(users, alice_device, figure):
    code = code_for(alice_device)
    first = Client()
    password_step(first)
    assert first.post(reverse("accounts:verify"), {"code": code}).status_code == 302
    second = Client()
    password_step(second)
    replay = second.post(reverse("accounts:verify"), {"code": code})
    assert replay.status_code == 200
    assert "already used" in replay.content.decode() or "valid" in replay.content.decode()
    assert second.get(reverse("home")).status_code == 302
    figure("S9: a replayed TOTP code was refused (1 of 1)")


def test_wrong_codes_count_towards_the_lockout(users, alice_device):
    client = Client()
    password_step(client)
    for _ in range(5):
        client.post(reverse("accounts:verify"), {"code": "000000"})
    assert AccessAttempt.objects.filter(username="alice").exists()
    assert password_step(Client()).status_code == 403


def test_enrolment_with_qr_code_and_recovery_codes(users):
    client = Client()
    response = password_step(client, "bob")
    assert response["Location"] == reverse("accounts:enrol")
    page = client.get(reverse("accounts:enrol"))
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=users["bob"], confirmed=False)
    assert client.post(reverse("accounts:enrol"), {"code": "123"}).status_code == 200
    done = client.post(reverse("accounts:enrol"), {"code": code_for(device)})
    codes = re.findall(r"<li>([0-9a-f]{10})</li>", done.content.decode())
    assert len(codes) == 10
    assert client.get(reverse("home")).status_code == 200
    # A recovery code logs in once, and only once.
    for expected in (302, 200):
        other = Client()
        password_step(other, "bob")
        assert other.post(reverse("accounts:verify"), {"code": codes[0]}).status_code == expected


def test_brute_force_locks_the_account_after_five_failures(users, alice_device, figure):
    successes = 0
    for i in range(8):
        response = password_step(Client(), password=f"wrong password {i}")
        successes += response.status_code == 302
    # Even the right password is refused while locked.
    locked = password_step(Client())
    attempt = AccessAttempt.objects.get(username="alice")
    assert locked.status_code == 403 and successes == 0
    assert attempt.failures_since_start >= 5
    assert AuditEvent.objects.filter(action="account_locked", object_id=str(users["alice"].pk))
    figure(
        f"S10: 8 scripted guesses → {successes} successes, locked after "
        f"{settings.AXES_FAILURE_LIMIT} failures, lockout audited"
    )


@pytest.mark.parametrize(
    "weak", ["short pass", "password1234", "123456789012", "password123456", "1qaz2wsx3edc"]
)
def test_weak_passwords_are_rejected(users, weak, figure):
    with pytest.raises(ValidationError):
        validate_password(weak, user=users["alice"])


def test_passwords_are_hashed_with_argon2(users):
    assert users["alice"].password.startswith("argon2")
    assert settings.PASSWORD_HASHERS[-2] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "Argon2" in settings.PASSWORD_HASHERS[0]


def test_session_key_rotates_at_login_and_dies_at_logout(users, alice_device, figure):
    client = Client()
    client.get(reverse("accounts:login"))
    client.cookies[settings.SESSION_COOKIE_NAME] = "attacker-chosen-session-id"
    password_step(client)
    after_password = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after_password != "attacker-chosen-session-id"
    client.post(reverse("accounts:verify"), {"code": code_for(alice_device)})
    verified = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert verified != after_password
    client.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = verified
    assert replay.get(reverse("home")).status_code == 302
    figure(
        "S12: session id rotated at password and at second factor; a replayed cookie "
        "after logout was refused"
    )


def test_idle_timeout_is_thirty_minutes(users, login, figure):
    client = login(users["alice"])
    assert client.get(reverse("home")).status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    session = Session.objects.get(session_key=key)
    idle = settings.SESSION_COOKIE_AGE
    # Each request pushes the expiry to now + idle limit.
    assert session.expire_date > timezone.now() + timedelta(seconds=idle - 60)
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get(reverse("home")).status_code == 200  # 29 minutes idle: alive
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(minutes=1))
    assert client.get(reverse("home")).status_code == 302  # 31 minutes idle: dead
    figure(f"S12: idle timeout {idle // 60} minutes (alive at 29, dead at 31)")
    assert idle <= 30 * 60


def test_logout_everywhere_ends_every_session(users, login):
    first, second = login(users["alice"]), login(users["alice"])
    assert second.get(reverse("home")).status_code == 200
    first.post(reverse("accounts:logout_everywhere"))
    assert second.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="logout_everywhere").count() == 1


def test_language_is_remembered_per_user(users, login):
    client = login(users["alice"])
    client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/"})
    users["alice"].refresh_from_db()
    assert users["alice"].preferred_language == "fr"
    fresh = login(users["alice"])
    html = fresh.get(reverse("home")).content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    fresh.post(reverse("accounts:set_language"), {"language": "ar", "next": "/"})
    assert '<html lang="ar" dir="rtl">' in fresh.get(reverse("home")).content.decode()


def test_open_redirects_are_refused_after_login(users, alice_device):
    client = Client()
    client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"},
    )
    response = client.post(reverse("accounts:verify"), {"code": code_for(alice_device)})
    assert "evil.example" not in response["Location"]


def test_forms_refuse_posts_without_csrf_token(users, alice_device, figure):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403


# L3: wrong second-factor codes lock the account even across password logins


def test_five_wrong_codes_across_two_logins_lock_the_account(users, alice_device, figure):
    alice = users["alice"]
    first = Client()
    password_step(first)
    for _ in range(3):
        assert first.post(reverse("accounts:verify"), {"code": "000000"}).status_code == 200
    second = Client()
    assert password_step(second).status_code == 302  # axes forgets its count here
    assert second.post(reverse("accounts:verify"), {"code": "000000"}).status_code == 200
    locked = second.post(reverse("accounts:verify"), {"code": "000000"})
    assert locked.status_code == 403 and "Account locked" in locked.content.decode()
    assert "_auth_user_id" not in second.session  # logged out
    assert AuditEvent.objects.filter(
        action="account_locked_second_factor", object_id=str(alice.pk), outcome="denied"
    ).exists()
    # Even the right password and a right code are refused now.
    assert password_step(Client()).status_code == 403
    figure("L3: 5 wrong second-factor codes over 2 password logins → account locked, audited")


def test_a_right_code_resets_the_count_and_unlock_lifts_the_lock(
    users, alice_device, login, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's back-off is not what is tested here
    client = Client()
    password_step(client)
    for _ in range(4):
        client.post(reverse("accounts:verify"), {"code": "000000"})
    assert (
        client.post(reverse("accounts:verify"), {"code": code_for(alice_device)}).status_code == 302
    )
    alice = users["alice"]
    alice.refresh_from_db()
    assert alice.second_factor_failures == 0
    # Four more wrong codes in another login do not lock.
    other = Client()
    password_step(other)
    for _ in range(4):
        assert other.post(reverse("accounts:verify"), {"code": "000000"}).status_code == 200
    assert other.post(reverse("accounts:verify"), {"code": "111111"}).status_code == 403
    assert password_step(Client()).status_code == 403
    olivia = login(users["olivia"])
    assert olivia.post(reverse("orgs:user_unlock", args=[alice.pk])).status_code == 302
    assert password_step(Client()).status_code == 302


# Failed password logins are audited, without what was typed


def test_failed_password_logins_leave_an_audit_row(users, alice_device):
    alice = users["alice"]
    password_step(Client(), password="not her password")
    event = AuditEvent.objects.get(action="login_failed")
    assert (event.actor_id, event.object_type, event.object_id, event.outcome) == (
        None,
        "accounts.user",
        str(alice.pk),
        "denied",
    )
    typed = "Atlas-Secret-Typed-As-Username"
    password_step(Client(), username=typed, password="x")
    unknown = AuditEvent.objects.filter(action="login_failed").latest("pk")
    assert unknown.object_id == "" and unknown.actor_username == ""
    for row in AuditEvent.objects.values():
        assert typed not in str(row)
    # A wrong second-factor code has its own row, not a second "login_failed".
    client = Client()
    password_step(client)
    client.post(reverse("accounts:verify"), {"code": "000000"})
    assert AuditEvent.objects.filter(action="login_failed").count() == 2
    assert AuditEvent.objects.filter(action="login_second_factor_failed").count() == 1


# Recovery codes: replaced together with their audit row, or not at all


def test_regenerating_recovery_codes_is_atomic(users, login, monkeypatch):
    from django_otp.plugins.otp_static.models import StaticToken

    from himaya.accounts import actions, twofactor

    alice = users["alice"]
    before = set(twofactor.new_recovery_codes(alice))

    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(actions.log, "write", broken)
    with pytest.raises(RuntimeError):
        actions.regenerate_recovery_codes(alice)
    kept = set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))
    assert kept == before
    monkeypatch.undo()
    client = login(alice)
    response = client.post(reverse("accounts:recovery_codes"))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="regenerate_recovery_codes").count() == 1
    assert not before & set(
        StaticToken.objects.filter(device__user=alice).values_list("token", flat=True)
    )


def test_a_busy_session_still_ends_after_the_absolute_limit(users, login, settings, figure):
    from himaya.accounts.middleware import SESSION_STARTED_KEY

    client = login(users["alice"])
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] -= settings.HIMAYA_SESSION_MAX_HOURS * 3600 - 60
    session.save()
    assert client.get(reverse("home")).status_code == 200  # a minute before the limit
    session = client.session
    session[SESSION_STARTED_KEY] -= 120
    session.save()
    assert client.get(reverse("home")).status_code == 302  # past it
    assert client.get("/api/dossiers/").status_code in (401, 403)
    assert AuditEvent.objects.filter(action="session_expired", actor_id=users["alice"].pk)
    figure(
        f"S12: absolute session limit {settings.HIMAYA_SESSION_MAX_HOURS} h (alive a minute "
        "before, dead after)"
    )
