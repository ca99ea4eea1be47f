"""E-mails about notifications: they say only that something awaits in Himaya, how much of
each kind, and link to the inbox; never a reference, a name or a detail (S16)."""

import logging
import smtplib
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import EmailChoice, Kind, MailState, Notification, Preference

logger = logging.getLogger(__name__)


class MailFailed(Exception):
    """The mail server refused or could not be reached; the notices stay to mail."""


def inbox_link():
    return settings.HIMAYA_BASE_URL.rstrip("/") + reverse("notifications:inbox")


def send_pending(user_id, *, digest=False):
    """Mail the user what waits for them and mark it mailed. Returns the number of notices
    the mail told of (0: nothing sent). Raises MailFailed, leaving them to mail again."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    pending = Notification.objects.filter(recipient_id=user_id, mail_state=MailState.PENDING)
    if user is None or not user.email:
        pending.update(mail_state=MailState.NONE)
        return 0
    with transaction.atomic():
        # Locked, so that the task and a sweep never mail the same notices twice.
        ids = list(
            Notification.objects.for_user(user)
            .filter(mail_state=MailState.PENDING)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        # What came to an organisation the user left is not mailed any more.
        pending.exclude(pk__in=ids).update(mail_state=MailState.NONE)
        if not ids:
            return 0
        kinds = Counter(Notification.objects.filter(pk__in=ids).values_list("kind", flat=True))
        urgent = Notification.objects.filter(pk__in=ids, urgent=True).exists()
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = settings.EMAIL_SUBJECT_PREFIX + (
                _("Urgent: work awaits you in Himaya")
                if urgent
                else _("Your daily digest from Himaya")
                if digest
                else _("Work awaits you in Himaya")
            )
            body = render_to_string(
                "notifications/email/pending.txt",
                {
                    "user": user,
                    "total": len(ids),
                    "kinds": [(Kind(k).label, n) for k, n in sorted(kinds.items())],
                    "link": inbox_link(),
                    "digest": digest,
                },
            )
        try:
            send_mail(subject, body, None, [user.email], fail_silently=False)
        except (smtplib.SMTPException, OSError) as exc:
            # The account id only: no address or name in application logs (S16).
            logger.warning("notification mail to user %s failed: %s", user_id, type(exc).__name__)
            failure = exc
        else:
            failure = None
            Notification.objects.filter(pk__in=ids).update(mail_state=MailState.SENT)
    if failure is not None:
        Notification.objects.filter(pk__in=ids).update(mail_attempts=F("mail_attempts") + 1)
        raise MailFailed from failure
    return len(ids)


def sweep(today=None):
    """Send the daily digests due and try again the mails that failed. Returns (digests sent,
    mails retried)."""
    today = today or timezone.localdate()
    waiting = Notification.objects.filter(
        mail_state=MailState.PENDING, mail_attempts__lt=settings.HIMAYA_MAIL_ATTEMPTS
    )
    user_ids = set(waiting.values_list("recipient_id", flat=True).distinct())
    chosen = dict(Preference.objects.filter(user_id__in=user_ids).values_list("user_id", "email"))
    digests = retried = 0
    for user_id in sorted(user_ids):
        choice = chosen.get(user_id, EmailChoice.DIGEST)
        if choice == EmailChoice.DIGEST:
            pref, _created = Preference.objects.get_or_create(user_id=user_id)
            if pref.last_digest_on == today:
                continue
        try:
            sent = send_pending(user_id, digest=choice == EmailChoice.DIGEST)
        except MailFailed:
            continue
        if choice == EmailChoice.DIGEST:
            Preference.objects.filter(user_id=user_id).update(last_digest_on=today)
            digests += bool(sent)
        else:
            retried += bool(sent)
    return digests, retried
