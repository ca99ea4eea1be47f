"""Field device pages: the devices a user may see, enrolment (with ODK Collect's settings QR
code, shown once), revocation, and the XLSForm of a questionnaire version for KoboToolbox."""

import base64
import json
import zlib

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from himaya.core import access
from himaya.core.shortcuts import add_action_errors
from himaya.screening.models import Questionnaire, QuestionnaireStatus

from .. import actions, policies, xlsform
from ..forms import EnrolForm
from ..models import FieldDevice

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _enroller(request):
    if not policies.enrol_org_ids(request.user):
        raise Http404


def collect_settings(device, token):
    """ODK Collect's settings QR payload: JSON, zlib-compressed, base64."""
    payload = {
        "general": {
            "server_url": settings.HIMAYA_BASE_URL.rstrip("/") + "/openrosa",
            "username": device.username,
            "password": token,
            "form_update_mode": "match_exactly",
            "autosend": "wifi_and_cellular",
        },
        "admin": {},
        "project": {"name": "Himaya", "icon": "H", "color": "#1f6f5c"},
    }
    raw = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(zlib.compress(raw)).decode("ascii")


def device_list(request):
    _enroller(request)
    devices = (
        FieldDevice.objects.visible_to(request.user)
        .select_related("user", "organisation")
        .order_by("-created_at")
    )
    form = EnrolForm(actor=request.user)
    return render(request, "field/devices.html", {"devices": devices, "form": form})


def device_enrol(request):
    _enroller(request)
    form = EnrolForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            device, token = actions.enrol_device(
                acting_user=request.user,
                user=data["user"],
                organisation=data["organisation"],
                name=data["name"],
                days=data["days"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("user", str(exc) or _("You cannot enrol a device for this person."))
        else:
            code = collect_settings(device, token)
            # Shown once, never stored: the page is not cached (NoStoreMiddleware).
            return render(
                request,
                "field/enrolled.html",
                {
                    "device": device,
                    "token": token,
                    "server_url": settings.HIMAYA_BASE_URL.rstrip("/") + "/openrosa",
                    "qr": segno.make(code, error="l").svg_data_uri(scale=4),
                },
                status=201,
            )
    return render(request, "field/enrol.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def device_revoke(request, pk):
    _enroller(request)
    device = get_object_or_404(FieldDevice.objects.visible_to(request.user), pk=pk)
    try:
        actions.revoke_device(device, acting_user=request.user)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The device was revoked: it can no longer reach Himaya."))
    return redirect("field:devices")


@require_safe
def questionnaire_xlsform(request, pk):
    if not access.reads_questionnaires(request.user):
        raise Http404
    questionnaire = get_object_or_404(
        Questionnaire.objects.exclude(status=QuestionnaireStatus.DRAFT), pk=pk
    )
    response = HttpResponse(xlsform.xlsform(questionnaire), content_type=XLSX)
    name = f"{xlsform.form_id(questionnaire)}-v{questionnaire.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
