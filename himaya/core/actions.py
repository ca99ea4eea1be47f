"""Helpers shared by every app's actions: optimistic locking and the visibility re-check."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import Conflict


def save_versioned(obj, fields, expected_version):
    """Save ``fields`` only if nobody saved the row since ``expected_version`` was read (R1).
    Returns the names of the fields saved, for the audit row: an action logs what it saved,
    never a list typed apart (tests/test_audit_fields.py)."""
    if expected_version is None:
        raise Conflict()
    model = type(obj)
    values = {f: getattr(obj, f) for f in fields}
    if hasattr(obj, "updated_at"):
        values["updated_at"] = timezone.now()
    # QuerySet.update runs each field's get_prep_value, so encrypted fields stay encrypted.
    updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if not updated:
        raise Conflict()
    obj.version = expected_version + 1
    if "updated_at" in values:
        obj.updated_at = values["updated_at"]
    return list(fields)


def ensure_visible(queryset, obj, user):
    """After saving, the writer must still see what it wrote (DESIGN.md convention 4)."""
    if not queryset.visible_to(user).filter(pk=obj.pk).exists():
        # The 403 page shows a refusal's reason: it is the user's, in the user's language.
        raise PermissionDenied(
            _(
                "This would leave the record out of your organisation's sight, so it was not "
                "saved: ask the organisation that should hold it to record it."
            )
        )


@transaction.atomic
def link_records(duplicate, record):
    """Record that ``duplicate`` is another record of the same person as ``record`` (persons or
    suspects: any model with ``same_as`` and ``version``); figures then count them once. The
    link points at the record that is not itself a duplicate (no chains): the duplicate's own
    duplicates follow it. The rows are locked and read again, so two links made at once cannot
    build a chain. Returns the record linked to. Permission checks are the callers'."""
    model = type(duplicate)
    rows = model.objects.select_for_update(of=("self",))
    locked = {r.pk: r for r in rows.filter(pk__in=[duplicate.pk, record.pk])}
    if set(locked) != {duplicate.pk, record.pk}:
        raise ValidationError(_("A record cannot be linked to itself."))
    target = locked[record.pk]
    if target.same_as_id is not None:  # link to the record it already points at
        target = rows.get(pk=target.same_as_id)
    if target.same_as_id is not None or target.pk == duplicate.pk:
        raise ValidationError(_("A record cannot be linked to itself."))
    moved = list(rows.filter(same_as=duplicate).values_list("pk", flat=True))
    # the version moves with the link: the figures' data version changes with it
    bump = {"version": F("version") + 1, "updated_at": timezone.now()}
    model.objects.filter(pk__in=moved).update(same_as=target, **bump)
    model.objects.filter(pk=duplicate.pk).update(same_as=target, **bump)
    duplicate.same_as = target
    return target


def unlink_record(duplicate):
    type(duplicate).objects.filter(pk=duplicate.pk).update(
        same_as=None, version=F("version") + 1, updated_at=timezone.now()
    )
    duplicate.same_as = None
