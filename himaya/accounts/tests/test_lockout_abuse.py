"""Issue 14, item 1: nobody can lock an account out by typing its name. Locks are per account
*and* address (django-axes combinations); guesses spread over many addresses slow the account
down, one address spraying many accounts is slowed down, the owner's own address is not; wrong
second-factor codes still lock the account everywhere."""

import datetime

import pytest
from axes.handlers import proxy
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from himaya.accounts import throttle
from himaya.audit.models import AuditEvent
from himaya.testing.factories import PASSWORD

HOME = "192.0.2.10"  # the shelter manager's office
ATTACKER = "203.0.113.66"


class Clock:
    """The time django-axes stamps on every attempt (and the locks read) and Django's clock:
    frozen, moved by hand, so no test depends on the hour or on the machine's speed."""

    def __init__(self):
        self.now = timezone.now().replace(microsecond=0)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    frozen = Clock()
    monkeypatch.setattr(proxy, "now", frozen)
    monkeypatch.setattr(timezone, "now", frozen)  # a new AccessAttempt's auto_now_add
    return frozen


@pytest.fixture
def sam_device(users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own back-off is tested elsewhere
    return TOTPDevice.objects.create(user=users["sam"], name="app", confirmed=True)


def code(device, step):
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=step)
    return f"{value:06d}"


def guess(address, username="sam", password="not-her-password-1"):
    return Client(REMOTE_ADDR=address).post(
        reverse("accounts:login"), {"username": username, "password": password}
    )


def full_login(address, device, step, username="sam"):
    """Password then code, from ``address``: the client and its last response."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    if response.status_code != 302:
        return client, response
    return client, client.post(reverse("accounts:verify"), {"code": code(device, step)})


@pytest.mark.django_db
def test_an_attacker_locking_sam_leaves_sam_able_to_log_in_from_her_office(
    users, sam_device, clock, figure
):
    # She has logged in from her office before.
    _client, done = full_login(HOME, sam_device, 0)
    assert done.status_code == 302
    # The attacker types her name with wrong passwords, again and again.
    statuses = [guess(ATTACKER, password=f"guess number {i}").status_code for i in range(8)]
    assert statuses == [200] * 4 + [403] * 4  # the fifth failure locks
    right_from_attacker = guess(ATTACKER, password=PASSWORD)
    assert right_from_attacker.status_code == 403  # even her password, from there
    assert 'data-testid="locked-here"' in right_from_attacker.content.decode()
    assert AuditEvent.objects.filter(action="account_locked", object_id=str(users["sam"].pk))
    # Sam, at her office, with her password and her code: in.
    client, done = full_login(HOME, sam_device, 1)
    assert done.status_code == 302 and client.get(reverse("home")).status_code == 200
    # Her login cleared only her office's record: the attacker stays locked.
    assert guess(ATTACKER, password=PASSWORD).status_code == 403
    figure(
        "Lockout abuse: an attacker locks 'sam' from address A (8 guesses, locked after 5, "
        "even her password refused there); sam logs in from her address B with password + "
        "TOTP: yes"
    )


@pytest.mark.django_db
def test_guesses_from_many_addresses_slow_the_account_without_locking_its_owner(
    users, sam_device, settings, clock, figure, monkeypatch
):
    monkeypatch.setattr(AuditEvent._meta.get_field("at"), "_get_default", clock)
    _client, done = full_login(HOME, sam_device, 0)
    assert done.status_code == 302
    limit = settings.HIMAYA_LOGIN_ACCOUNT_SLOW_AFTER
    botnet = [f"198.51.100.{i}" for i in range(1, 50)]
    statuses = []
    for i in range(limit + 3):
        statuses.append(guess(botnet[i // 4], password=f"guess {i}").status_code)
    # Four tries per address (under the per-address lock), until the account is slowed.
    assert statuses[:limit] == [200] * limit
    assert statuses[limit:] == [429] * 3
    slowed = guess(botnet[40])
    assert slowed.status_code == 429 and slowed["Retry-After"] == "1"
    assert "Wait 1 second" in slowed.content.decode()
    assert 'value="sam"' in slowed.content.decode()  # what was typed stays
    # Waiting the delay lets one more guess through; the next wait is twice as long.
    clock.advance(1)
    assert guess(botnet[41]).status_code == 200
    assert guess(botnet[42])["Retry-After"] == "2"
    failures = sum(AccessAttempt.objects.values_list("failures_since_start", flat=True))
    assert failures == limit + 1  # a slowed attempt checks no password and counts nothing
    # Five slowed attempts within the minute: one audit row, not one per attempt.
    assert AuditEvent.objects.filter(action="login_slowed", outcome="denied").count() == 1
    # A minute later (on the same clock as the audit rows), the next slowed attempt is written.
    clock.advance(60)
    assert 429 in [guess(botnet[43 + i]).status_code for i in range(3)]
    assert AuditEvent.objects.filter(action="login_slowed", outcome="denied").count() == 2
    # Meanwhile sam, from her office, logs in at once.
    client, done = full_login(HOME, sam_device, 1)
    assert done.status_code == 302 and client.get(reverse("home")).status_code == 200
    # A new address of hers (unknown) waits the delay like anyone, and is not locked out.
    assert full_login("192.0.2.99", sam_device, 2)[1].status_code == 429
    clock.advance(settings.HIMAYA_LOGIN_SLOW_MAX_SECONDS)
    assert full_login("192.0.2.99", sam_device, 2)[1].status_code == 302
    used = len({botnet[i // 4] for i in range(limit)} | {botnet[41]})
    figure(
        f"Lockout abuse: {limit + 1} guesses for 'sam' from {used} addresses → the account "
        f"slowed after {limit} (waits 1 s, 2 s, … ≤ {settings.HIMAYA_LOGIN_SLOW_MAX_SECONDS} s),"
        " never locked; sam logs in from her address at once: yes"
    )


@pytest.mark.django_db
def test_spraying_one_address_over_many_accounts_is_slowed(users, settings, clock, figure):
    k = settings.HIMAYA_LOGIN_ADDRESS_SLOW_AFTER
    harry = users["harry"]
    harry_device = TOTPDevice.objects.create(user=harry, name="app", confirmed=True)
    sprayer = "203.0.113.200"
    # Harry works behind this address (a shared office or café connection).
    assert full_login(sprayer, harry_device, 0, username="harry")[1].status_code == 302
    names = [u.username for u in users.values() if u.username != "harry"]
    names += [f"user{i}" for i in range(40)]  # and names that match no account
    statuses = [guess(sprayer, username=name, password="Spring2026!").status_code for name in names]
    slowed_after = statuses.index(429)
    assert slowed_after == k and set(statuses[k:]) == {429}
    assert AccessAttempt.objects.filter(ip_address=sprayer).count() == k
    # The wait doubles with every failure let through, up to the ceiling.
    waits = []
    for name in names[k : k + 9]:
        response = guess(sprayer, username=name)
        waits.append(int(response["Retry-After"]))
        clock.advance(waits[-1])
        assert guess(sprayer, username=name).status_code == 200
    cap = settings.HIMAYA_LOGIN_SLOW_MAX_SECONDS
    assert waits == [min(2**i, cap) for i in range(9)]
    # Another address is not slowed, and harry, known here, still logs in from here.
    assert guess("192.0.2.200", username="bob").status_code == 200
    assert full_login(sprayer, harry_device, 1, username="harry")[1].status_code == 302
    figure(
        f"Password spraying: {len(names)} accounts from one address → slowed after {k} "
        f"failures ({len(names) - k} of the first {len(names)} attempts refused unchecked); "
        f"then one guess per 1, 2, 4 … {cap} s; a colleague known at that address logs in"
    )


@pytest.mark.django_db
def test_wrong_codes_still_lock_the_account_from_every_address(users, sam_device, clock):
    client = Client(REMOTE_ADDR=ATTACKER)  # someone who has her password
    client.post(reverse("accounts:login"), {"username": "sam", "password": PASSWORD})
    for _ in range(4):
        assert client.post(reverse("accounts:verify"), {"code": "000000"}).status_code == 200
    locked = client.post(reverse("accounts:verify"), {"code": "000000"})
    assert locked.status_code == 403 and "Account locked" in locked.content.decode()
    elsewhere = guess(HOME, password=PASSWORD)
    assert elsewhere.status_code == 403
    assert 'data-testid="locked-here"' not in elsewhere.content.decode()
    assert AuditEvent.objects.filter(action="account_locked_second_factor").count() == 1


@pytest.mark.django_db
def test_the_address_behind_the_proxy_is_the_one_locked(users, sam_device, settings, clock):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy_address = "10.0.0.1"

    def via_proxy(client_address, password):
        return Client(REMOTE_ADDR=proxy_address, HTTP_X_FORWARDED_FOR=client_address).post(
            reverse("accounts:login"), {"username": "sam", "password": password}, secure=True
        )

    for i in range(5):
        via_proxy(f"6.6.6.6, {ATTACKER}", f"guess {i}")
    assert via_proxy(ATTACKER, PASSWORD).status_code == 403
    assert via_proxy(HOME, PASSWORD).status_code == 302  # the proxy itself is not locked
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_delays_double_and_stop_at_the_ceiling(settings):
    settings.HIMAYA_LOGIN_SLOW_MAX_SECONDS = 60
    assert [throttle.delay_after(n, 10) for n in (0, 9, 10, 11, 12, 15, 16, 40, 10**6)] == [
        0,
        0,
        1,
        2,
        4,
        32,
        60,
        60,
        60,
    ]
