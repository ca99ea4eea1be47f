"""Sending notifications, reading them, and each user's e-mail preference.

A pillar calls ``notify(...)`` inside its action; the rows are written after the action's
transaction commits (DESIGN.md convention 1), so a rolled-back hand-off tells nobody, and a
failure here never undoes the hand-off. Recipients are the active members of the receiving
organisations whose role acts on the kind (ROLES), never the person who acted.
"""

import contextlib
import contextvars
import logging

from django.db import transaction
from django.utils import timezone, translation

from himaya.accounts.models import Membership
from himaya.audit import log
from himaya.core import access

from .models import EmailChoice, Kind, MailState, Notification, Preference

logger = logging.getLogger(__name__)

# Who, in a receiving organisation, acts on each kind (the roles of core.access); any other
# kind goes to the roles that work with victims.
ROLES = {
    Kind.INVESTIGATION_TRANSFERRED: frozenset({"prosecutor"}),
    Kind.INVESTIGATION_RETURNED: access.JUSTICE_ROLES,
    Kind.ALERT_RAISED: frozenset({"prosecutor"}),
    Kind.PROCEEDING_STALLED: access.JUSTICE_ROLES,
    Kind.LINKAGE_ANSWER: access.LINKAGE_ROLES,
    Kind.SUBJECT_REQUEST: access.LINKAGE_ROLES,
    Kind.TIP_URGENT: access.HOTLINE_ROLES,
    Kind.TIP_HELD_DANGER: access.HOTLINE_ROLES,
    Kind.ACTION_OVERDUE: access.FOCAL_POINT_ROLES | {"org_admin"},
}

_silenced = contextvars.ContextVar("himaya_notifications_silenced", default=False)


@contextlib.contextmanager
def silenced():
    """No notification inside: an import of past records is not news to anyone (the import's
    own "finished" notice tells the person who ran it)."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def source_text(label):
    """The untranslated source of a (lazy) label, translated again when the notice is read."""
    with translation.override(None):
        return str(label)[:120]


def notify(
    kind,
    *,
    target=None,
    reference="",
    detail="",
    url="",
    urgent=False,
    organisations=(),
    users=(),
    actor=None,
    key="",
):
    """Notify, once the current transaction commits, the members of ``organisations`` whose
    role acts on ``kind`` and the given ``users``. ``reference`` and ``detail`` must identify
    no one: a record's reference and a label (passed lazy, translated when shown)."""
    if _silenced.get():
        return
    row = {
        "kind": kind,
        "reference": str(reference)[:64],
        "detail": source_text(detail) if detail else "",
        "url": url,
        "urgent": bool(urgent),
        "target_type": target._meta.label_lower if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "key": key,
    }
    orgs = sorted({o for o in organisations if o})
    user_ids = sorted({getattr(u, "pk", u) for u in users if u})
    actor_id = getattr(actor, "pk", None)
    transaction.on_commit(
        lambda: deliver(row, orgs, user_ids, actor_id, ROLES.get(kind, access.VICTIM_ROLES)),
        robust=True,
    )


def job_done(user, *, what, reference, url, ok=True, target=None):
    """Tell the user who started a long job (an import, a report, a de-duplication) that it
    ended; ``what`` is a label ("The import"), ``reference`` a number, never a file name."""
    if user is None:
        return
    notify(
        Kind.JOB_FINISHED if ok else Kind.JOB_FAILED,
        target=target,
        reference=reference,
        detail=what,
        url=url,
        users=[user],
    )


def recipients(org_ids, roles):
    """(user id, organisation id) of the active members of active organisations with one of
    ``roles``, one organisation per user."""
    seen = {}
    members = (
        Membership.objects.filter(
            organisation_id__in=org_ids,
            role__in=roles,
            active=True,
            organisation__active=True,
            user__is_active=True,
        )
        .order_by("user_id", "organisation_id")
        .values_list("user_id", "organisation_id")
    )
    for user_id, org_id in members:
        seen.setdefault(user_id, org_id)
    return seen


def deliver(row, org_ids, user_ids, actor_id, roles):
    """Write the notifications of one hand-off and queue the mails to send at once."""
    to = recipients(org_ids, roles) if org_ids else {}
    to.pop(actor_id, None)  # who acted knows; a user named (a job's owner) is told even so
    for user_id in user_ids:
        to.setdefault(user_id, None)
    if row["key"] and to:
        done = set(
            Notification.objects.filter(key=row["key"], recipient_id__in=to).values_list(
                "recipient_id", flat=True
            )
        )
        to = {u: o for u, o in to.items() if u not in done}
    if not to:
        return []
    mails = mail_choices(to)
    now = timezone.now()
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id,
                organisation_id=org_id,
                created_at=now,
                mail_state=(
                    MailState.PENDING
                    if mails.get(user_id, EmailChoice.NONE) != EmailChoice.NONE
                    else MailState.NONE
                ),
                **row,
            )
            for user_id, org_id in to.items()
        ],
        ignore_conflicts=bool(row["key"]),
    )
    from .tasks import send_mail_task

    for user_id, choice in mails.items():
        if choice == EmailChoice.IMMEDIATE:
            send_mail_task.enqueue(user_id)
    return created


def mail_choices(user_ids):
    """Each user's e-mail choice; a user without an address gets none."""
    from django.contrib.auth import get_user_model

    with_address = set(
        get_user_model()
        .objects.filter(pk__in=list(user_ids))
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    chosen = dict(
        Preference.objects.filter(user_id__in=with_address).values_list("user_id", "email")
    )
    return {u: chosen.get(u, Preference._meta.get_field("email").default) for u in with_address}


def mark_read(user, ids):
    return (
        Notification.objects.for_user(user)
        .unread()
        .filter(pk__in=ids)
        .update(read_at=timezone.now())
    )


def mark_all_read(user):
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


@transaction.atomic
def set_preference(user, *, email):
    if email not in EmailChoice.values:
        raise ValueError(email)
    pref, _created = Preference.objects.get_or_create(user=user)
    if pref.email != email:
        pref.email = email
        pref.save(update_fields=["email"])
        log.write(user, "notification_preference", pref, ["email"])
        if email == EmailChoice.NONE:
            Notification.objects.filter(recipient=user, mail_state=MailState.PENDING).update(
                mail_state=MailState.NONE
            )
    return pref
