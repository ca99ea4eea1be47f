"""What the referrals actions share: today's date, the refusal of a date in the future, and
refusals that say who may act (issue 15)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.core.access import explain


def today():
    return timezone.localdate()


def not_future(field, day):
    if day and day > today():
        raise ValidationError({field: _("The date cannot be in the future.")})


def denied(what, roles, *, user, then="", org_types=None):
    """A refusal that says who may act and what to do instead (issue 15)."""
    return PermissionDenied(explain.refusal(what, roles, org_types, user=user, then=then))


def org_then(organisation):
    return _("Ask a colleague of %(org)s who holds one of these roles.") % {"org": organisation}
