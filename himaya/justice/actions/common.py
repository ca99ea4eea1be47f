"""The checks every justice action shares: dates, code list values, external references, texts
and amounts; and ``touch``, which moves a proceeding's latest event forward."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.core.models import excluded_codes

from ..models import EXTERNAL_REF_MAX

MAX_MAD = Decimal("9999999999.99")


def check_date(field, value, *, after=None, after_label="", warn=None):
    """A date is given, not in the future, and not before ``after`` when given.

    ``warn``: for an order that real registers do record (an arrest in flagrante, a suspect
    named in a complaint, a prosecution seized directly: all before the investigation's
    recorded opening), a callable ``warn(field, message)``: the date is accepted and the caller
    told (an import lists it for the clerk to confirm). Without it the date is refused, as on
    the pages. What cannot be (a date in the future, a verdict before its prosecution) never
    takes ``warn``."""
    if not isinstance(value, datetime.date):
        raise ValidationError({field: _("Enter a valid date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    if after is not None and value < after:
        message = _("This date is before %(what)s (%(date)s).") % {
            "what": after_label,
            "date": after.isoformat(),
        }
        if warn is None:
            raise ValidationError({field: message})
        warn(field, message)
    return value


def check_code(field, code, code_list, *, required=False):
    if code is None:
        if required:
            raise ValidationError({field: _("This field is required.")})
        return None
    if (
        getattr(code, "list", None) != code_list
        or not code.active
        or code.code in excluded_codes(code_list)
    ):
        raise ValidationError({field: _("Choose a value from the list.")})
    return code


def check_external_ref(model, org_field, org_id, value, *, exclude_pk=None):
    value = (value or "").strip()
    if len(value) > EXTERNAL_REF_MAX:
        raise ValidationError(
            {
                "external_ref": _("The external reference holds at most %(n)s characters.")
                % {"n": EXTERNAL_REF_MAX}
            }
        )
    if value:
        clash = model.objects.filter(**{org_field: org_id, "external_ref": value})
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            raise ValidationError(
                {"external_ref": _("Another record of this organisation has this reference.")}
            )
    return value


def touch(proceeding, on):
    """Move a proceeding's latest event forward to ``on`` (never back)."""
    if on > proceeding.last_event_on:
        type(proceeding).objects.filter(pk=proceeding.pk).update(last_event_on=on)
        proceeding.last_event_on = on


def check_text(field, value, limit):
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(
            {field: _("This text holds at most %(n)s characters.") % {"n": f"{limit:,}"}}
        )
    return value


def check_amount(field, value):
    if value in (None, ""):
        return None
    try:
        value = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: _("Enter an amount in dirhams.")}) from None
    if value < 0 or value > MAX_MAD or value.as_tuple().exponent < -2:
        raise ValidationError({field: _("Enter an amount in dirhams.")})
    return value
