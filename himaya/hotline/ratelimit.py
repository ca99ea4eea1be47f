"""Rate limits of the public forms, per client address, without keeping the address.

Counters live in the database (``RateCounter``; its docstring says why not the cache). The
address is reduced to an HMAC of the address, the form and the hour under the server's secret
key: a row identifies nobody, rows of different hours cannot be linked, and they are deleted
after two hours."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateCounter


def client_address(request):
    """The address the request came from. Behind the reverse proxy (HIMAYA_BEHIND_PROXY), the
    last X-Forwarded-For entry, the one the proxy itself appended; otherwise the socket's
    peer. Used only to compute the keyed digest below, never stored or logged."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def _window(now):
    return now.replace(minute=0, second=0, microsecond=0)


def _digest(scope, address, window):
    return salted_hmac(
        "himaya.hotline.rate", f"{scope}|{address}|{window.isoformat()}", algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def allow(request, scope, limit, now=None):
    """Count one request of ``scope`` from this address in the current hour; False once
    ``limit`` requests were already counted."""
    now = now or timezone.now()
    window = _window(now)
    RateCounter.objects.filter(window__lt=window - datetime.timedelta(hours=1)).delete()
    counter, _created = RateCounter.objects.get_or_create(
        scope=scope, digest=_digest(scope, client_address(request), window), window=window
    )
    return bool(
        RateCounter.objects.filter(pk=counter.pk, count__lt=limit).update(count=F("count") + 1)
    )
