"""TOTP enrolment, verification and recovery codes (django-otp)."""

import base64
import secrets

import segno
from django.conf import settings
from django_otp import match_token
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


def pending_device(user):
    """The unconfirmed device being enrolled, created on first call."""
    device = user.totpdevice_set.filter(confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    return device


def provisioning_uri(device):
    return device.config_url


def qr_svg_data_uri(uri):
    return segno.make(uri, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")


def secret_base32(device):
    return base64.b32encode(device.bin_key).decode("ascii")


def confirm(device, code):
    if device.verify_token(code):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        device.user.totpdevice_set.filter(confirmed=False).exclude(pk=device.pk).delete()
        return True
    return False


def new_recovery_codes(user):
    """Replace the user's recovery codes; each works once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = []
    for _i in range(RECOVERY_CODES):
        code = secrets.token_hex(5)
        StaticToken.objects.create(device=device, token=code)
        codes.append(code)
    return codes


def verify(user, code):
    """The device that accepts ``code`` (a TOTP code works once, a recovery code too)."""
    return match_token(user, code)


def current_code(user):
    """The code a demo user's app would show now (demo mode only)."""
    if not settings.DEMO_MODE:
        raise PermissionError("available in demo mode only")
    device = user.totpdevice_set.get(confirmed=True)
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"
