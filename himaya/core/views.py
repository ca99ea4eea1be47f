"""The error pages. The 400, 500 and CSRF pages render from their template alone: no context
processor, no database, no session, so they still answer when the database is the fault. The
request's language is already active (LocaleMiddleware), so they come in Arabic, right to left,
or in French or English, as the page the user was on."""

from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def _bare(template, response_class):
    return response_class(loader.get_template(template).render())


def bad_request(request, exception=None):
    return _bare("errors/400.html", HttpResponseBadRequest)


def forbidden(request, exception=None):
    # A refusal that says why (PermissionDenied("…") from an action or a view) shows its reason.
    reason = str(exception.args[0]) if exception is not None and exception.args else ""
    return render(request, "errors/403.html", {"reason": reason}, status=403)


def csrf_failure(request, reason=""):
    """A form sent without its security token (a page kept open across a log-out, a cookie
    refused): what to do next, never Django's English page with its reason."""
    return _bare("errors/403_csrf.html", HttpResponseForbidden)


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        # An address no API route matches (/api/persons/abc/) answers as the API's own 404s
        # do, in JSON: clients and the published schema expect nothing else (S20).
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return _bare("errors/500.html", HttpResponseServerError)
