"""H3: administrators never choose or see a password. A new or reset account gets an activation
link by e-mail; the person chooses their password there, once, before the link expires."""

import re
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from himaya.accounts import activation
from himaya.accounts.models import User
from himaya.audit.models import AuditEvent
from himaya.testing.factories import PASSWORD

STRONG = "Tamazight-Atlas-2026!"


def new_member(username="nadia", **extra):
    data = {
        "mode": "new",
        "new-username": username,
        "new-first_name": "Nadia",
        "new-last_name": "Alaoui",
        "new-email": f"{username}@example.org",
        "new-preferred_language": "en",
        "new-role": "caseworker",
    }
    data.update(extra)
    return data


def link_in(message):
    match = re.search(r"https?://\S+/accounts/activate/[^/\s]+/[^/\s]+/", message.body)
    assert match, message.body
    return match.group(0)


def path_of(link):
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def choose_password(link, password=STRONG, client=None):
    client = client or Client()
    opened = client.get(path_of(link))
    assert opened.status_code == 302, opened.status_code
    form_url = opened["Location"]
    assert activation.SESSION_TOKEN in form_url and link.rsplit("/", 2)[-2] not in form_url
    assert client.get(form_url).status_code == 200
    return client, client.post(form_url, {"new_password1": password, "new_password2": password})


@pytest.fixture
def created(users, orgs, login):
    """olivia creates nadia's account; returns (olivia's client, nadia, the response)."""
    olivia = login(users["olivia"])
    response = olivia.post(reverse("orgs:member_add", args=[orgs["ngo_a"].pk]), new_member())
    return olivia, User.objects.get(username="nadia"), response


def test_a_new_account_gets_a_link_by_email_and_no_password(created, users, figure):
    olivia, nadia, response = created
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:user_detail", args=[nadia.pk])
    assert not nadia.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nadia@example.org"]
    link = link_in(mail.outbox[0])
    # The administrator's page says a link was sent, never shows it, and offers to resend it.
    page = olivia.get(response["Location"]).content.decode()
    assert "activation link was sent" in page and "nadia@example.org" in page
    assert path_of(link) not in page and link.rsplit("/", 2)[-2] not in page
    assert reverse("orgs:user_send_activation", args=[nadia.pk]) in page
    # Whatever olivia types, she cannot log in as nadia.
    for guess in (STRONG, PASSWORD, "!"):
        response = Client().post(
            reverse("accounts:login"), {"username": "nadia", "password": guess}
        )
        assert response.status_code == 200  # the form again
    assert AuditEvent.objects.filter(
        action="send_activation_link", object_id=str(nadia.pk), actor_username="olivia"
    ).exists()
    figure("H3: an account created by an administrator has 0 usable passwords until its owner acts")


def test_the_person_chooses_a_password_then_logs_in_and_enrols(created, figure):
    _olivia, nadia, _response = created
    link = link_in(mail.outbox[0])
    client, response = choose_password(link, "short")
    assert response.status_code == 200
    assert "password_too_short" in {
        e.code for e in response.context["form"].errors.as_data()["new_password2"]
    }
    _client, response = choose_password(link, client=client)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    nadia.refresh_from_db()
    assert nadia.check_password(STRONG)
    event = AuditEvent.objects.get(action="activate_account", object_id=str(nadia.pk))
    assert event.actor_id == nadia.pk and event.changed_fields == ["password"]
    # Next: the password step, then the authenticator enrolment.
    login = Client().post(reverse("accounts:login"), {"username": "nadia", "password": STRONG})
    assert login.status_code == 302 and login["Location"] == reverse("accounts:enrol")


@pytest.mark.parametrize("weak", ["short-1", "password1234", "123456789012"])
def test_weak_passwords_are_refused_with_a_message(created, weak):
    _olivia, nadia, _response = created
    _client, response = choose_password(link_in(mail.outbox[0]), weak)
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["new_password2"]
    assert {e.code for e in errors} & {
        "password_too_short",
        "password_too_common",
        "password_entirely_numeric",
    }
    assert str(errors[0].messages[0]) in response.content.decode()  # the user reads why
    nadia.refresh_from_db()
    assert not nadia.has_usable_password()


def test_a_used_link_is_refused(created):
    link = link_in(mail.outbox[0])
    choose_password(link)
    for client in (Client(), Client()):
        response = client.get(path_of(link))
        assert response.status_code == 400
        assert "no longer valid" in response.content.decode()
    assert User.objects.get(username="nadia").check_password(STRONG)


def test_an_expired_link_is_refused(created, settings, monkeypatch):
    settings.HIMAYA_ACTIVATION_HOURS = 72
    link = link_in(mail.outbox[0])
    now = activation.tokens._now()
    monkeypatch.setattr(activation.tokens, "_now", lambda: now + timedelta(hours=73))
    response = Client().get(path_of(link))
    assert response.status_code == 400 and "expired" in response.content.decode()
    monkeypatch.setattr(activation.tokens, "_now", lambda: now + timedelta(hours=71))
    assert Client().get(path_of(link)).status_code == 302


def test_a_link_expiring_while_the_form_is_open_is_refused(created, monkeypatch):
    client = Client()
    opened = client.get(path_of(link_in(mail.outbox[0])))
    now = activation.tokens._now()
    monkeypatch.setattr(activation.tokens, "_now", lambda: now + timedelta(hours=80))
    response = client.post(opened["Location"], {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 400
    assert not User.objects.get(username="nadia").has_usable_password()


def test_sending_again_replaces_the_link_and_is_audited(created):
    olivia, nadia, _response = created
    first = link_in(mail.outbox[0])
    response = olivia.post(reverse("orgs:user_send_activation", args=[nadia.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    second = link_in(mail.outbox[1])
    assert first != second
    assert Client().get(path_of(first)).status_code == 400
    choose_password(second)
    event = AuditEvent.objects.filter(action="send_activation_link", object_id=str(nadia.pk))
    assert event.count() == 2 and event.latest("pk").changed_fields == ["password"]
    # Once the password is chosen, "send again" is refused: that is a reset.
    response = olivia.post(reverse("orgs:user_send_activation", args=[nadia.pk]), follow=True)
    assert "already has a password" in response.content.decode() and len(mail.outbox) == 2


def test_an_admin_resets_a_password_by_link_only(users, login, figure):
    alice = users["alice"]
    alice.email = "alice@example.org"
    alice.save(update_fields=["email"])
    session = login(alice)
    olivia = login(users["olivia"])
    page = olivia.get(reverse("orgs:user_detail", args=[alice.pk])).content.decode()
    assert reverse("orgs:user_reset_password", args=[alice.pk]) in page
    response = olivia.post(reverse("orgs:user_reset_password", args=[alice.pk]), follow=True)
    assert response.status_code == 200 and "activation link was sent" in response.content.decode()
    alice.refresh_from_db()
    assert not alice.has_usable_password() and not alice.check_password(PASSWORD)
    assert session.get(reverse("home")).status_code == 302  # her sessions ended
    link = link_in(mail.outbox[0])
    assert mail.outbox[0].to == ["alice@example.org"] and path_of(link) not in (
        response.content.decode()
    )
    event = AuditEvent.objects.get(action="reset_password", object_id=str(alice.pk))
    assert event.actor_username == "olivia"
    assert set(event.changed_fields) == {"password", "session_salt"}
    choose_password(link, "Un-nouveau-mot-2026")
    TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    login = Client().post(
        reverse("accounts:login"), {"username": "alice", "password": "Un-nouveau-mot-2026"}
    )
    assert login["Location"] == reverse("accounts:verify")


def test_no_link_without_an_email_address(users, login):
    olivia = login(users["olivia"])
    alice = users["alice"]
    assert not alice.email
    response = olivia.post(reverse("orgs:user_reset_password", args=[alice.pk]), follow=True)
    assert "e-mail address" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD) and mail.outbox == []


def test_a_mail_failure_leaves_nothing_behind(users, orgs, login, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({})

    monkeypatch.setattr(activation, "send_mail", refuse)
    olivia = login(users["olivia"])
    response = olivia.post(reverse("orgs:member_add", args=[orgs["ngo_a"].pk]), new_member())
    assert response.status_code == 200 and "could not be sent" in response.content.decode()
    assert not User.objects.filter(username="nadia").exists()
    assert not AuditEvent.objects.filter(action="create_user").exists()


def test_outsiders_cannot_send_links_or_reset(users, login):
    bob = users["bob"]
    bob.email = "bob@example.org"
    bob.save(update_fields=["email"])
    for name in ("olivia", "alice"):
        client = login(users[name])
        for url_name in ("user_send_activation", "user_reset_password"):
            assert client.post(reverse(f"orgs:{url_name}", args=[bob.pk])).status_code == 404
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD) and mail.outbox == []


@pytest.mark.parametrize(
    "uid,token",
    [
        ("x", "x"),
        ("MQ", "set-password"),
        ("MQ", "zzzzzzzzzzzzzzzz-abc"),
        ("OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "abc-def"),
        ("%C3%A9", "1-2"),
    ],
)
def test_garbage_links_are_refused_without_error(db, uid, token):
    response = Client().get(f"/accounts/activate/{uid}/{token}/")
    assert response.status_code == 400
    response = Client().post(f"/accounts/activate/{uid}/{token}/", {"new_password1": STRONG})
    assert response.status_code == 400


def test_the_configuration_site_resets_no_password_either(users, login):
    root = login(users["root"])
    alice = users["alice"]
    url = reverse("admin:auth_user_password_change", args=[alice.pk])
    response = root.post(url, {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:user_detail", args=[alice.pk])
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    page = root.get(reverse("admin:accounts_user_change", args=[alice.pk])).content.decode()
    assert "Reset password" in page
    assert root.get(url.replace(str(alice.pk), "x")).status_code == 404


def test_an_org_admin_cannot_redirect_an_active_account_to_another_address(users, login):
    from django.core import mail
    from django.urls import reverse

    alice = users["alice"]
    alice.email = "alice@ngo-a.example"
    alice.save()
    form = {
        "first_name": alice.first_name,
        "last_name": alice.last_name,
        "email": "olivia-owns-this@example.org",
        "preferred_language": "en",
    }
    response = login(users["olivia"]).post(reverse("orgs:user_edit", args=[alice.pk]), form)
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.email == "alice@ngo-a.example"
    assert mail.outbox == []
    # A system administrator can, and the previous address is told.
    response = login(users["root"]).post(reverse("orgs:user_edit", args=[alice.pk]), form)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.email == "olivia-owns-this@example.org"
    assert [m.to for m in mail.outbox] == [["alice@ngo-a.example"]]


def test_a_password_reset_cannot_open_the_way_to_redirect_the_account(users, login):
    """Reset the password (the account is then 'without password'), then change the e-mail:
    refused for an organisation admin, since the account has been used."""
    alice = users["alice"]
    alice.email = "alice@ngo-a.example"
    alice.last_login = alice.date_joined
    alice.save()
    olivia = login(users["olivia"])
    olivia.post(reverse("orgs:user_reset_password", args=[alice.pk]))
    alice.refresh_from_db()
    assert not alice.has_usable_password()
    form = {
        "first_name": alice.first_name,
        "last_name": alice.last_name,
        "email": "olivia-owns-this@example.org",
        "preferred_language": "en",
    }
    olivia.post(reverse("orgs:user_edit", args=[alice.pk]), form)
    alice.refresh_from_db()
    assert alice.email == "alice@ngo-a.example"


def test_a_link_sent_before_closing_an_account_does_not_reopen_it(users, login):
    from himaya.accounts import actions

    alice = users["alice"]
    alice.email = "alice@ngo-a.example"
    alice.set_unusable_password()
    alice.save()
    token = activation.tokens.make_token(alice)
    actions.deactivate_user(alice, acting_user=users["root"])
    alice.refresh_from_db()
    alice.is_active = True  # reopened, e.g. from the configuration site
    alice.save()
    assert not activation.tokens.check_token(alice, token)


@pytest.mark.parametrize("host", ["testserver", "localhost"])
def test_the_link_is_at_the_deployment_address_whatever_host_the_request_named(
    users, orgs, login, settings, host
):
    """Activation and reset links were built from the request's host, unlike every other mail's
    links: a Host the proxy let through (an internal name, a second allowed host) would have
    sent the person elsewhere. They are at HIMAYA_BASE_URL now."""
    settings.HIMAYA_BASE_URL = "https://himaya.example.ma/"
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    olivia = login(users["olivia"])
    olivia.post(reverse("orgs:member_add", args=[orgs["ngo_a"].pk]), new_member(), HTTP_HOST=host)
    nadia = User.objects.get(username="nadia")
    olivia.post(reverse("orgs:user_reset_password", args=[nadia.pk]), HTTP_HOST=host)
    links = [link_in(m) for m in mail.outbox]
    assert len(links) == 2
    assert all(link.startswith("https://himaya.example.ma/accounts/activate/") for link in links)
