"""Who may try a password now: locks that an attacker cannot turn against the account's owner.

Three layers, all read from django-axes's failure records (``AccessAttempt``, one row per
username, address and browser, shared by every worker and app server through the database):

1. **Lock per account and address** (django-axes, ``AXES_LOCKOUT_PARAMETERS`` =
   ``[["username", "ip_address"]]``): five wrong passwords for ``shelter`` from one address
   lock ``shelter`` *from that address*. Guessing from elsewhere does not lock her out of her
   own office (issue 14: "anyone can lock any account by name").
2. **Slowing per account** (``HIMAYA_LOGIN_ACCOUNT_SLOW_AFTER``): guesses spread over many
   addresses still add up. Past the threshold, each further attempt on the account waits a
   delay that doubles with every failure (1 s, 2 s, 4 s … at most
   ``HIMAYA_LOGIN_SLOW_MAX_SECONDS``) after the last failure. No captcha, no lock: the page says
   how long to wait, and an address the account already logged in from (a *known* address, the
   owner's office or home) is not slowed at all, so the owner logs in with her password and code
   while the attacker elsewhere waits.
3. **Slowing per address** (``HIMAYA_LOGIN_ADDRESS_SLOW_AFTER``): one address trying many
   accounts (password spraying) is slowed the same way, for every account not known at that
   address; the colleagues who always log in from that office address are not.

A refused attempt never reaches the password check: it costs no argon2 hash, counts as no
failure, and does not push the wait further. Wrong second-factor codes lock the account from
every address (``actions.second_factor_failed``): whoever types them had the password.
"""

import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone

# The failure record that wrong second-factor codes write (no address: it is account-wide).
SECOND_FACTOR_AGENT = "himaya: second factor"


def client_address(request):
    """The address the request came from. Behind the reverse proxy (HIMAYA_BEHIND_PROXY), the
    last X-Forwarded-For entry, the one the proxy itself appended (the others are whatever the
    client sent); otherwise the socket's peer. django-axes uses it too
    (``AXES_CLIENT_IP_CALLABLE``), so a lock is per real client, not per proxy."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def _request_time(request):
    """The time of this request as django-axes records it (one clock for both)."""
    AxesProxyHandler.update_request(request)
    return request.axes_attempt_time


def _recent(now):
    return AccessAttempt.objects.filter(attempt_time__gte=now - settings.AXES_COOLOFF_TIME)


def delay_after(failures, threshold):
    """Seconds to wait after the last failure once ``failures`` reached ``threshold``."""
    if failures < threshold:
        return 0
    return min(settings.HIMAYA_LOGIN_SLOW_MAX_SECONDS, 2 ** min(failures - threshold, 30))


def _wait(attempts, threshold, now):
    totals = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    delay = delay_after(totals["failures"] or 0, threshold)
    if not delay:
        return 0
    left = totals["last"] + datetime.timedelta(seconds=delay) - now
    return max(0, int(left.total_seconds() + 0.999))


def is_known_address(username, address, now):
    """Whether the account logged in with its password from this address lately (django-axes's
    access log, kept ``HIMAYA_LOGIN_KNOWN_ADDRESS_DAYS``). A password accepted there means the
    slowing, which is against guessing, has nothing left to protect from that address."""
    since = now - datetime.timedelta(days=settings.HIMAYA_LOGIN_KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username=username, ip_address=address, attempt_time__gte=since
    ).exists()


def forget_old_logins(now=None):
    """Delete the logins (address and browser) past ``HIMAYA_LOGIN_KNOWN_ADDRESS_DAYS``: nothing
    reads them after that (``is_known_address``), and what is not needed is not kept (Law
    09-08). ``himaya notify`` runs it on its schedule. Returns how many were deleted."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=settings.HIMAYA_LOGIN_KNOWN_ADDRESS_DAYS)
    deleted, _by_model = AccessLog.objects.filter(attempt_time__lt=since).delete()
    return deleted


def seconds_to_wait(request, username):
    """How long this address must wait before trying a password for ``username`` (0: now)."""
    now = _request_time(request)
    address = request.axes_ip_address
    if not isinstance(username, str) or not username or len(username) > 150:
        username = ""
    if username and is_known_address(username, address, now):
        return 0
    recent = _recent(now)
    account = (
        _wait(
            recent.filter(username=username).exclude(user_agent=SECOND_FACTOR_AGENT),
            settings.HIMAYA_LOGIN_ACCOUNT_SLOW_AFTER,
            now,
        )
        if username
        else 0
    )
    spray = _wait(recent.filter(ip_address=address), settings.HIMAYA_LOGIN_ADDRESS_SLOW_AFTER, now)
    return max(account, spray)


def second_factor_locked(request, username):
    """Whether wrong second-factor codes locked the account (from every address)."""
    now = _request_time(request)
    return (
        _recent(now)
        .filter(
            username=username,
            user_agent=SECOND_FACTOR_AGENT,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        )
        .exists()
    )


def locked_somewhere(username):
    """For the administrator's page: the account is locked from at least one address, or from
    every address after wrong second-factor codes."""
    return AccessAttempt.objects.filter(
        username=username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()
