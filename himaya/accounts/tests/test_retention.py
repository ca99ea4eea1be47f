"""What is kept no longer than its time, by `himaya notify` on its schedule: the logins (an
address and a browser, kept HIMAYA_LOGIN_KNOWN_ADDRESS_DAYS for the known-address rule) and the
expired sessions (they hold the searches typed). Both were kept for ever."""

import datetime
from io import StringIO

import pytest
from axes.models import AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from himaya.accounts.throttle import is_known_address

pytestmark = pytest.mark.django_db


def _login(username, address, days_ago):
    row = AccessLog.objects.create(
        username=username, ip_address=address, user_agent="Firefox", path_info="/accounts/login/"
    )
    when = timezone.now() - datetime.timedelta(days=days_ago)
    AccessLog.objects.filter(pk=row.pk).update(attempt_time=when)


def _session(expires_in_days):
    store = SessionStore()
    store["searches"] = ["Fatima"]
    store.create()
    when = timezone.now() + datetime.timedelta(days=expires_in_days)
    Session.objects.filter(session_key=store.session_key).update(expire_date=when)
    return store.session_key


def test_notify_forgets_old_logins_and_expired_sessions(settings):
    settings.HIMAYA_LOGIN_KNOWN_ADDRESS_DAYS = 90
    _login("sam", "192.0.2.1", days_ago=91)
    _login("sam", "192.0.2.2", days_ago=89)
    old, live = _session(-1), _session(1)
    out = StringIO()
    call_command("notify", stdout=out)
    assert "old logins forgotten: 1" in out.getvalue()
    assert "expired sessions deleted: 1" in out.getvalue()
    assert list(AccessLog.objects.values_list("ip_address", flat=True)) == ["192.0.2.2"]
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert old != live
    # The address still known is the one the rule reads; the forgotten one was past it anyway.
    now = timezone.now()
    assert is_known_address("sam", "192.0.2.2", now)
    assert not is_known_address("sam", "192.0.2.1", now)
