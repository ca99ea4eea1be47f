from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        # An address no API route matches (/api/persons/abc/) answers as the API's own 404s
        # do, in JSON: clients and the published schema expect nothing else (S20).
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)
