"""Helpers shared by every app's actions: optimistic locking and the visibility re-check."""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone

from .errors import Conflict


def save_versioned(obj, fields, expected_version):
    """Save ``fields`` only if nobody saved the row since ``expected_version`` was read (R1)."""
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


def ensure_visible(queryset, obj, user):
    """After saving, the writer must still see what it wrote (DESIGN.md convention 4)."""
    if not queryset.visible_to(user).filter(pk=obj.pk).exists():
        raise PermissionDenied("the record would not be visible to its writer")
