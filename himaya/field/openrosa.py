"""The OpenRosa side of a request: the device's credential, the headers, the response
envelope. A device token is read here and nowhere else, so it opens the OpenRosa endpoints
only (no other view, middleware or API authentication knows it)."""

import base64
import binascii
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import http_date

from himaya.audit import log
from himaya.audit.models import Outcome

from . import policies
from .models import FieldDevice

REALM = "Himaya OpenRosa"
RESPONSE_NS = "http://openrosa.org/http/response"


def max_bytes():
    return settings.HIMAYA_OPENROSA_MAX_MB * 1024 * 1024


def response(body, status=200, content_type="text/xml; charset=utf-8"):
    r = HttpResponse(body, status=status, content_type=content_type)
    r["X-OpenRosa-Version"] = "1.0"
    r["X-OpenRosa-Accept-Content-Length"] = str(max_bytes())
    r["Date"] = http_date()
    return r


def message(text, status, nature=""):
    attr = f' nature="{nature}"' if nature else ""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OpenRosaResponse xmlns="{RESPONSE_NS}"><message{attr}>{escape(str(text))}</message>'
        "</OpenRosaResponse>"
    )
    return response(body, status=status)


def challenge(text):
    r = message(text, 401)
    r["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return r


def _credentials(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, token = decoded.partition(":")
    return (username, token) if sep and username and token else None


def authenticate(request, use):
    """The live device the request's credential names, or None. Every use of a known device
    is audited, refusals too (a revoked or expired device replaying its token)."""
    credentials = _credentials(request)
    if credentials is None:
        return None
    username, token = credentials
    device = (
        FieldDevice.objects.select_related("user", "organisation")
        .filter(username=username[:32])
        .first()
    )
    if device is None or not device.token_matches(token):
        return None
    now = timezone.now()
    if not device.is_live(now) or not policies.device_user_screens(device):
        log.write(
            device.user,
            "field_device_refused",
            device,
            [use],
            organisation_id=device.organisation_id,
            outcome=Outcome.DENIED,
        )
        return None
    FieldDevice.objects.filter(pk=device.pk).update(last_used_at=now)
    log.write(device.user, f"field_{use}", device, [], organisation_id=device.organisation_id)
    if device.user.preferred_language:
        translation.activate(device.user.preferred_language)
    return device
