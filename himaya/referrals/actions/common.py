"""What the referrals actions share: today's date, the refusal of a date in the future, the
moment of an event dated by its day, and refusals that say who may act (issue 15)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.core.access import explain


def today():
    return timezone.localdate()


def not_future(field, day):
    if day and day > today():
        raise ValidationError({field: _("The date cannot be in the future.")})


def moment(day):
    """The moment of an event: now when it happens now (``day`` None), else noon of its day,
    local time (a figure of the year counts it in that year whatever the time zone)."""
    if day is None:
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def local_day(value):
    return timezone.localtime(value).date() if value else None


def step_moment(field, day, after, message):
    """The moment of a referral's step dated ``day`` (None: now), neither in the future nor
    before ``after`` (the moment of the step it follows): ``message`` says which."""
    if day is None:
        return timezone.now()
    not_future(field, day)
    if after is not None and day < local_day(after):
        raise ValidationError({field: message})
    return moment(day)


def denied(what, roles, *, user, then="", org_types=None):
    """A refusal that says who may act and what to do instead (issue 15)."""
    return PermissionDenied(explain.refusal(what, roles, org_types, user=user, then=then))


def org_then(organisation):
    return _("Ask a colleague of %(org)s who holds one of these roles.") % {"org": organisation}
