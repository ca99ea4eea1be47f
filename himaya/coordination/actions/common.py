"""Checks shared by the coordination actions. Every action takes plain keyword arguments (the
API and the demo loader call the same functions as the pages), validates its input itself and
raises ``ValidationError`` keyed by field name, runs in a transaction and writes its audit row
with the fields it changed; versioned records are saved only against the version the writer
read (R1)."""

import datetime
import decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.core import hooks
from himaya.core.bidi import blank

from .. import policies

YEAR_MIN, YEAR_MAX = 2000, 2100


def today(on=None):
    if on is None:
        return timezone.localdate()
    if isinstance(on, datetime.datetime):
        return timezone.localdate(on)
    return on


def text(field, value, limit, *, required=False):
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        raise ValidationError({field: _("Enter text.")})
    if required and blank(value):
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError(
            {field: _("This text holds at most %(n)s characters.") % {"n": f"{limit:,}"}}
        )
    return value


def titles(values, limit, *, field="title"):
    """The three languages of a title; at least one is needed."""
    out = {}
    for lang in ("ar", "fr", "en"):
        out[f"{field}_{lang}"] = text(f"{field}_{lang}", values.get(f"{field}_{lang}"), limit)
    if all(blank(v) for v in out.values()):
        raise ValidationError({f"{field}_fr": _("Give the text in at least one language.")})
    return out


def date(field, value, *, required=True, not_after=None, after=None, after_label=""):
    if value is None and not required:
        return None
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValidationError({field: _("Enter a valid date.")})
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValidationError(
            {field: _("Enter a date between %(a)s and %(b)s.") % {"a": YEAR_MIN, "b": YEAR_MAX}}
        )
    if not_after is not None and value > not_after:
        raise ValidationError({field: _("This date is in the future.")})
    if after is not None and value < after:
        raise ValidationError(
            {
                field: _("This date is before %(what)s (%(date)s).")
                % {"what": after_label, "date": after.isoformat()}
            }
        )
    return value


def year(field, value):
    if not isinstance(value, int) or isinstance(value, bool) or not YEAR_MIN <= value <= YEAR_MAX:
        raise ValidationError(
            {field: _("Enter a year between %(a)s and %(b)s.") % {"a": YEAR_MIN, "b": YEAR_MAX}}
        )
    return value


def number(field, value, *, required=False, maximum=10**12):
    if value is None or value == "":
        if required:
            raise ValidationError({field: _("This field is required.")})
        return None
    try:
        value = decimal.Decimal(str(value))
    except (decimal.InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not value.is_finite() or value < 0 or value >= maximum:
        raise ValidationError({field: _("Enter a number from 0 up to %(n)s.") % {"n": maximum}})
    return value.quantize(decimal.Decimal("0.01"))


def count(field, value, *, maximum=100000):
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= maximum:
        raise ValidationError(
            {field: _("Enter a whole number from 0 up to %(n)s.") % {"n": maximum}}
        )
    return value


def organisation(field, org, *, required=True):
    if org is None:
        if required:
            raise ValidationError({field: _("This field is required.")})
        return None
    if not getattr(org, "active", False):
        raise ValidationError({field: _("Choose an active organisation.")})
    return org


def organisations(field, orgs):
    orgs = list(orgs or ())
    for org in orgs:
        organisation(field, org)
    return orgs


def code(field, value, code_list, *, required=False):
    if value is None:
        if required:
            raise ValidationError({field: _("This field is required.")})
        return None
    if getattr(value, "list", None) != code_list or not value.active:
        raise ValidationError({field: _("Choose a value from the list.")})
    return value


def choice(field, value, choices):
    if value not in choices.values:
        raise ValidationError({field: _("Choose a value from the list.")})
    return value


def commission_org(user):
    """The commission organisation the user writes for; refused for anyone else."""
    orgs = policies.commission_org_ids(user)
    if not orgs:
        raise PermissionDenied(_("Only the national commission may do this."))
    return min(orgs)


def changed(obj, values):
    """Set ``values`` on ``obj``; the names of the fields whose value changed."""
    out = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            out.append(name)
    return out


def figure_catalogue():
    """{key: label} of the statistics' figures an indicator may be computed from."""
    return hooks.call("figure_catalogue", default={}) or {}
