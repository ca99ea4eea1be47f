"""Activation links: how a person gets the first password of an account that an administrator
created or reset. Administrators never choose or see a password (H3): the account has an
unusable password, and a link sent to the person's e-mail address lets them choose one.

The token is Django's password-reset construction under its own salt: an HMAC of the account's
id, password hash, last login and e-mail, with a timestamp. Setting the password changes the
hash, so a link works once; sending a new link gives the account a new unusable password, so
earlier links stop working; and a link is refused after HIMAYA_ACTIVATION_HOURS.
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from himaya.core.shortcuts import MAX_ID

from .models import User

logger = logging.getLogger(__name__)

# The literal that replaces the token in the address once it is kept in the session, so that
# the token leaves the address bar (and any Referer) as soon as the page opens.
SESSION_TOKEN = "set-password"
SESSION_KEY = "_activation_token"


class MailError(Exception):
    """The activation e-mail could not be handed to the mail server."""


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "himaya.accounts.activation.ActivationTokenGenerator"

    def check_token(self, user, token):
        if not (user and token) or user.has_usable_password() or not user.is_active:
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        age = self._num_seconds(self._now()) - ts
        return 0 <= age <= settings.HIMAYA_ACTIVATION_HOURS * 3600


tokens = ActivationTokenGenerator()


def uid_for(user):
    return urlsafe_base64_encode(force_bytes(user.pk))


def user_for(uidb64):
    """The account a link names, or None (for any malformed value)."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode("ascii"))
    except (ValueError, TypeError):
        return None
    if not 0 < pk <= MAX_ID:
        return None
    return User.objects.filter(pk=pk).first()


def link_for(user):
    """The activation link, at HIMAYA_BASE_URL as every mail's links are: never at the host a
    request named (a Host header the proxy let through would send the person elsewhere)."""
    path = reverse("accounts:activate", args=[uid_for(user), tokens.make_token(user)])
    return settings.HIMAYA_BASE_URL.rstrip("/") + path


def send_link(user):
    """E-mail the person a fresh link, in their language. Raises MailError when the mail server
    refuses or cannot be reached; the caller's transaction then rolls back."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = settings.EMAIL_SUBJECT_PREFIX + _("Activate your account")
        body = render_to_string(
            "accounts/email/activation.txt",
            {
                "user": user,
                "link": link_for(user),
                "hours": settings.HIMAYA_ACTIVATION_HOURS,
            },
        )
    try:
        send_mail(subject, body, None, [user.email], fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        # The account id only: no address or name in application logs (S16).
        logger.warning("activation e-mail for account %s not sent: %s", user.pk, type(exc).__name__)
        raise MailError from exc


def send_address_change_notice(user, old_address):
    """Tell the previous address that an administrator changed the account's e-mail, so that a
    takeover through a changed address (then a reset link) does not go unnoticed."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = settings.EMAIL_SUBJECT_PREFIX + _("Your e-mail address was changed")
        body = render_to_string("accounts/email/address_changed.txt", {"user": user})
    try:
        send_mail(subject, body, None, [old_address], fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning(
            "address change notice for account %s not sent: %s", user.pk, type(exc).__name__
        )
        raise MailError from exc
