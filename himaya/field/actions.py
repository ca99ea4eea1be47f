"""Every write of the field app (DESIGN.md convention 1): enrolling and revoking a device, and
recording a received submission through the screening actions, exactly as a web screening is
started and submitted (the indicator engine scores it the same way)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core.bidi import blank
from himaya.core.errors import Conflict
from himaya.screening import actions as screening_actions

from . import policies
from .models import FieldDevice, FieldSubmission, hash_token

NAME_MAX = 100


@transaction.atomic
def enrol_device(*, acting_user, user, organisation, name, days, now=None):
    """A new credential for one user's phone in one organisation: (device, token). The token
    is shown once (the settings QR code) and only its hash is kept."""
    if not policies.may_enrol_for(acting_user, user, organisation):
        raise PermissionDenied(_("You cannot enrol a device for this person here."))
    name = (name or "").strip()
    errors = {}
    if blank(name):
        errors["name"] = _("Name the device.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Keep the name under %(n)s characters.") % {"n": NAME_MAX}
    if not isinstance(days, int) or not 1 <= days <= settings.HIMAYA_FIELD_DEVICE_DAYS:
        errors["days"] = _("Choose between 1 and %(n)s days.") % {
            "n": settings.HIMAYA_FIELD_DEVICE_DAYS
        }
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    username, token = FieldDevice.new_credentials()
    device = FieldDevice.objects.create(
        user=user,
        organisation=organisation,
        name=name,
        username=username,
        token_digest=hash_token(token),
        created_at=now,
        created_by=acting_user,
        expires_at=now + timedelta(days=days),
    )
    log.write(
        acting_user,
        "enrol_field_device",
        device,
        ["user", "organisation", "name", "username", "expires_at"],
        organisation_id=organisation.pk,
    )
    return device, token


@transaction.atomic
def revoke_device(device, *, acting_user, now=None):
    locked = (
        FieldDevice.objects.select_for_update()
        .filter(policies.device_q(acting_user))
        .filter(pk=device.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied
    if locked.revoked_at is not None:
        raise ValidationError(_("This device was already revoked."))
    locked.revoked_at = now or timezone.now()
    locked.revoked_by = acting_user
    locked.save(update_fields=["revoked_at", "revoked_by"])
    log.write(
        acting_user,
        "revoke_field_device",
        locked,
        ["revoked_at", "revoked_by"],
        organisation_id=locked.organisation_id,
    )
    return locked


class Duplicate(Exception):
    """The instance was received before, with these very bytes: nothing to do."""

    def __init__(self, submission):
        super().__init__(submission.instance_id)
        self.submission = submission


def _replaced(device, received):
    if not received.deprecated_id:
        return None
    replaced = (
        FieldSubmission.objects.select_related("screening")
        .filter(instance_id=received.deprecated_id, device__organisation=device.organisation)
        .first()
    )
    if replaced is None:
        raise ValidationError(_("The submission this one edits (deprecatedID) is not known."))
    if FieldSubmission.objects.filter(replaces=replaced).exists():
        raise Conflict(_("This submission was already edited: edit the latest version."))
    return replaced


def receive_submission(device, received):
    """Record a decrypted, checked submission as a submitted screening of the device's
    organisation, screened by the device's user. Idempotent by instanceID."""
    existing = FieldSubmission.objects.filter(instance_id=received.instance_id).first()
    if existing is not None:
        if existing.digest == received.digest and existing.device_id == device.pk:
            raise Duplicate(existing)
        raise Conflict(_("A different submission with this instanceID was already received."))
    try:
        with transaction.atomic():
            return _record(device, received)
    except IntegrityError:
        # The same instance, sent twice at once: the other request recorded it.
        existing = FieldSubmission.objects.filter(instance_id=received.instance_id).first()
        if existing is not None and existing.digest == received.digest:
            raise Duplicate(existing) from None
        raise


def _record(device, received):
    replaced = _replaced(device, received)
    user = device.user
    screening = screening_actions.start_screening(
        acting_user=user,
        organisation=device.organisation,
        questionnaire=received.questionnaire,
        answers=received.answers,
        corrects=replaced.screening if replaced else None,
        accept_retired=True,
        **received.details,
    )
    screening = screening_actions.submit_screening(
        screening, acting_user=user, notes=received.notes
    )
    submission = FieldSubmission.objects.create(
        instance_id=received.instance_id,
        device=device,
        form_id=received.form_id,
        form_version=received.version,
        questionnaire=received.questionnaire,
        screening=screening,
        replaces=replaced,
        digest=received.digest,
    )
    log.write(
        user,
        "edit_field_submission" if replaced else "receive_field_submission",
        submission,
        ["instance_id", "screening", "device"] + (["replaces"] if replaced else []),
        organisation_id=device.organisation_id,
    )
    return submission
