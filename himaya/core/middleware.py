"""Request ids (every request gets one, carried into logs and audit rows) and no-store headers
on everything personal."""

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.utils.cache import add_never_cache_headers

_request_id = contextvars.ContextVar("request_id", default="-")
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """An incoming X-Request-Id is kept only when a trusted proxy sets it
    (HIMAYA_TRUST_REQUEST_ID): otherwise a client would choose what lands in the audit rows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-Id", "")
        trusted = getattr(settings, "HIMAYA_TRUST_REQUEST_ID", False)
        rid = incoming if trusted and _VALID.match(incoming) else uuid.uuid4().hex
        request.request_id = rid
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-Id"] = rid
        return response


class NoStoreMiddleware:
    """Pages for a logged-in user and API answers hold personal data: no browser or proxy
    keeps a copy. Static files are served before this runs (whitenoise) and keep their caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path_info.startswith("/api/") or getattr(user, "is_authenticated", False):
            # A shared or back-button cache must never keep a page about a victim.
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True
