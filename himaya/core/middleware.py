"""Request ids (every request gets one, carried into logs and audit rows), no-store headers
on everything personal, and a bound on the size of what is sent."""

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

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


class RequestSizeMiddleware:
    """A request whose body is larger than HIMAYA_MAX_REQUEST_MB is answered 413 before anything
    reads it. Django keeps form fields in memory up to DATA_UPLOAD_MAX_MEMORY_SIZE, but writes
    uploaded files to temporary files with no bound, before any form checks their size: anyone,
    through the public tip form say, could fill the server's disk. The bound is above every
    upload Himaya accepts (5 MB files, OpenRosa submissions of HIMAYA_OPENROSA_MAX_MB); the
    proxy in front should hold the same (README, "Production"). A body without a length is
    read as empty by Django (WSGI), so the header is the whole question."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        # Here, once the view is known and before the CSRF check reads the form.
        if getattr(view, "himaya_own_size_limit", False):
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads a body of an unreadable length as empty
        limit = settings.HIMAYA_MAX_REQUEST_MB
        if length > limit * 1024 * 1024:
            return _too_large(request, limit)
        return None


def own_size_limit(view):
    """A view that refuses a body too large itself, before reading it, in its own protocol (the
    OpenRosa submissions: a message the phone shows): RequestSizeMiddleware leaves it be."""
    view.himaya_own_size_limit = True
    return view


def _too_large(request, limit):
    if request.path_info.startswith("/api/"):
        message = _("The request is larger than %(n)s MB.") % {"n": limit}
        return JsonResponse({"detail": message}, status=413)
    page = loader.get_template("errors/413.html").render({"limit": limit})
    return HttpResponse(page, status=413)


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True
