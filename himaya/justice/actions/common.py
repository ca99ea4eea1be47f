"""The checks every justice action shares: dates, code list values, external references, texts
and amounts; ``touch``, which moves a proceeding's latest event forward; and
``order_confirmed``, which runs an action for a page or the API as an import runs it."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.core.models import excluded_codes

from ..confirmations import OrderWarning, asked
from ..models import EXTERNAL_REF_MAX
from . import run

MAX_MAD = Decimal("9999999999.99")


def check_date(field, value, *, after=None, after_label="", warn=None):
    """A date is given, not in the future, and not before ``after`` when given.

    ``warn``: for an order that real registers do record (an arrest in flagrante, a suspect
    named in a complaint, a prosecution seized directly: all before the investigation's
    recorded opening), a callable ``warn(field, message)``: the date is accepted and the caller
    told (an import lists it for the clerk to confirm; a page or the API asks its user through
    ``order_confirmed``). Without it the date is refused. What cannot be (a date in the future,
    a verdict before its prosecution) never takes ``warn``."""
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
        # The key: the date it is before (what that date is follows from the action and field).
        warn(field, OrderWarning(message, f"before {after.isoformat()}"))
    return value


CONFIRM_ORDER = "confirm_order"
# The warnings a page's confirmation box was shown with (``order_warned``), rendered beside it.
ORDER_WARNED = "order_warned"


class _Unconfirmed(Exception):
    """The action would write an order of dates the user has not confirmed yet."""


def order_warned(warnings, values):
    """What a confirmation of an order of dates binds to (``confirmations.asked``): each
    warned field, the value it was given and what the warning says in no language (the date it
    is before: ``OrderWarning.key``), so that the same question read in another language is
    confirmed by the same tick."""
    return asked(
        *sorted(
            f"{field}\t{_iso(values.get(field))}\t{getattr(message, 'key', message)}"
            for field, message in warnings
        )
    )


def _iso(value):
    return value.isoformat() if isinstance(value, datetime.date) else str(value or "")


def order_confirmed(action, *args, confirm_order=False, **kwargs):
    """Run ``action`` (one that takes ``warn``, see ``check_date``) for a page or the API, as an
    import runs it: the orders of dates it only warns of are recorded once the user confirmed
    them. Not confirmed, the action runs in a savepoint rolled back, as an import's dry run,
    so that the answer names every error of the input at once: each warning beside its date,
    and the question under ``confirm_order``; nothing is written.

    ``confirm_order``: True (an API client sends what it means: the order as sent), or the
    ``order_warned`` of the warnings a page showed with its box, which confirms those warnings
    only, as an import's confirmation names the warnings it listed: a date changed since, to
    another out-of-order date, is asked again. The question carries the new ``order_warned``
    (its ``params``), for the page to render with the box."""
    warnings = []

    def warn(field, message):
        warnings.append((field, message))  # an OrderWarning keeps its key

    def confirmed():
        if confirm_order is True:
            return True
        return bool(confirm_order) and confirm_order == order_warned(warnings, kwargs)

    try:
        with transaction.atomic():
            result = action(*args, warn=warn, **kwargs)
            if warnings and not confirmed():
                raise _Unconfirmed
    except _Unconfirmed:
        raise ValidationError(_with_question({}, warnings, kwargs)) from None
    except ValidationError as exc:
        if not warnings or confirmed():
            raise
        errors = getattr(exc, "error_dict", None) or {NON_FIELD_ERRORS: exc.error_list}
        raise ValidationError(_with_question(errors, warnings, kwargs)) from None
    return result


def _with_question(errors, warnings, values):
    errors = {field: list(found) for field, found in errors.items()}
    for field, message in warnings:
        errors.setdefault(field, []).append(ValidationError(message, code="order"))
    errors[CONFIRM_ORDER] = [
        ValidationError(
            _(
                "Registers do record this order of dates (an arrest in flagrante, a suspect "
                "named in a complaint, a prosecution seized directly): confirm it if the "
                "register records it so."
            ),
            code="confirm_order",
            params={ORDER_WARNED: order_warned(warnings, values)},
        )
    ]
    return errors


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
    if not value:
        return value
    # An import's row: the file's references were read with its records (run.Memo).
    memo = run.active() if not exclude_pk else None
    taken = memo.ref_taken(model, org_field, org_id, value) if memo is not None else None
    if taken is None:
        clash = model.objects.filter(**{org_field: org_id, "external_ref": value})
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        taken = clash.exists()
    if taken:
        raise ValidationError(
            {"external_ref": _("Another record of this organisation has this reference.")}
        )
    if memo is not None:
        memo.ref_given(model, org_field, org_id, value)
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
