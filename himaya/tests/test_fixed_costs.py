"""Fixed costs of every page (issue 17): the session row is written at most once a minute,
and the session still dies 30 minutes after the last request at the latest (S12); pages are
compressed for browsers that accept it."""

import gzip
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from himaya.accounts import middleware
from himaya.testing import factories as f


def writes(client, clock, monkeypatch, at):
    monkeypatch.setattr(middleware.time, "time", lambda: clock + at)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    return sum(q["sql"].startswith('UPDATE "django_session"') for q in ctx.captured_queries)


def test_the_session_is_written_at_most_once_a_minute(users, login, monkeypatch, figure):
    client = login(users["alice"])
    clock = middleware.time.time()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    first = writes(client, clock, monkeypatch, 61)  # a minute after the login: renewed
    assert first == 1
    expiry = Session.objects.get(pk=key).expire_date
    assert expiry > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    quiet = [writes(client, clock, monkeypatch, 61 + s) for s in (1, 20, 59)]
    assert quiet == [0, 0, 0]  # within the minute: nothing written
    assert writes(client, clock, monkeypatch, 61 + 60) == 1  # a minute later: renewed again
    figure(f"sessions: {1 + sum(quiet) + 1} writes for 5 pages over 2 minutes (was 5)")


def test_an_idle_session_still_ends_within_the_limit(users, login):
    client = login(users["alice"])
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # The expiry is never later than the idle limit after the last request, written or not.
    assert client.get(reverse("home")).status_code == 200
    expiry = Session.objects.get(pk=key).expire_date
    assert expiry <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("home")).status_code == 302


def test_pages_are_compressed(users, login, figure):
    client = login(users["alice"])
    plain = client.get(reverse("cases:list"))
    packed = client.get(reverse("cases:list"), HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "<html" in html
    figure(f"dossier list: {len(html):,} bytes of HTML sent as {len(packed.content):,} (gzip)")


def test_the_dossier_page_reads_its_dossier_once(users, orgs, login, figure):
    dossier = f.dossier(users["alice"], orgs["ngo_a"])
    client = login(users["alice"])
    client.get(reverse("home"))  # the session's first touch after the login
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("cases:detail", args=[dossier.pk])).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    # The dossier row, then its free text (read only at the identity level): whether the user
    # may write it is known from the row, without a query.
    assert sum(q.startswith('SELECT "cases_dossier"."id"') for q in sql) == 2
    # No query of its own asks whether the dossier exists (an EXISTS inside another query's
    # access path, as the person's writability reads it, is not one).
    assert not any(q.startswith('SELECT 1 AS "a" FROM "cases_dossier"') for q in sql)
    assert not any(q.startswith('UPDATE "django_session"') for q in sql)
    figure(f"dossier page (owner): {len(sql)} queries")
