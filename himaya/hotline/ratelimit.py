"""Rate limits of the public forms, per client address, without keeping the address.

Counters live in the database (``RateCounter``; its docstring says why not the cache). The
address is reduced to an HMAC of the address, the form and the hour under the server's secret
key: a row identifies nobody, rows of different hours cannot be linked, and they are deleted
after two hours."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

# The client's address, as the login's locks read it (behind the proxy too). Used only to
# compute the keyed digest below, never stored or logged.
from himaya.accounts.throttle import client_address

from .models import RateCounter

__all__ = ["allow", "client_address", "hit"]


def _window(now):
    return now.replace(minute=0, second=0, microsecond=0)


def _digest(scope, address, window):
    return salted_hmac(
        "himaya.hotline.rate", f"{scope}|{address}|{window.isoformat()}", algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def hit(request, scope, ceiling, now=None):
    """Count one request of ``scope`` from this address in the current hour and return its
    rank in the hour (1 for the first), or None once ``ceiling`` requests were already
    counted: the caller decides what each rank means (the tip form holds the tips past its
    soft limit and refuses only past the ceiling)."""
    now = now or timezone.now()
    window = _window(now)
    RateCounter.objects.filter(window__lt=window - datetime.timedelta(hours=1)).delete()
    counter, _created = RateCounter.objects.get_or_create(
        scope=scope, digest=_digest(scope, client_address(request), window), window=window
    )
    if not RateCounter.objects.filter(pk=counter.pk, count__lt=ceiling).update(
        count=F("count") + 1
    ):
        return None
    return RateCounter.objects.values_list("count", flat=True).get(pk=counter.pk)


def allow(request, scope, limit, now=None):
    """Count one request of ``scope`` from this address in the current hour; False once
    ``limit`` requests were already counted."""
    return hit(request, scope, limit, now=now) is not None
