"""Why a user may not import a register for an organisation, in words a clerk can act on.

Whether they may is decided by core.access alone (``exchange_org_ids`` for the justice
registers, ``casework_import_org_ids`` for the casework of past years); this module only
explains a refusal, from the same role and type sets, so the message can never grant anything
the rule does not."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from himaya.accounts.models import Membership, Role
from himaya.core import access
from himaya.core.punctuation import join_words

JUSTICE, CASEWORK = "justice", "casework"


def allowed_org_ids(user, register):
    if register == CASEWORK:
        return access.casework_import_org_ids(user)
    return access.exchange_org_ids(user)


def _roles(codes):
    return join_words(Role(c).label for c in Role.values if c in codes)


def refusal(user, organisation, register):
    """``None`` when ``user`` may import ``register`` for ``organisation``, else the reason."""
    if organisation is not None and organisation.pk in allowed_org_ids(user, register):
        return None
    if organisation is None:
        return _("This organisation does not exist.")
    name = organisation.name
    if user is None or not user.is_active:
        return _("This account is inactive.")
    if not organisation.active:
        return _("The organisation “%(org)s” is inactive: nothing is imported for it.") % {
            "org": name
        }
    memberships = list(Membership.objects.filter(user=user, organisation=organisation))
    if not memberships:
        return _("You are not a member of “%(org)s”.") % {"org": name}
    active = [m for m in memberships if m.active]
    if not active:
        return _("Your membership of “%(org)s” is inactive.") % {"org": name}
    org_type = organisation.type.code if organisation.type_id else ""
    if register == JUSTICE and org_type not in access.EXCHANGE_ORG_TYPES:
        return _(
            "“%(org)s” keeps no justice register: they are imported by police, gendarmerie, "
            "prosecution offices, courts and labour inspectorates."
        ) % {"org": name}
    wanted = access.JUSTICE_ROLES if register == JUSTICE else access.VICTIM_ROLES
    if any(m.role in wanted for m in active):  # the rule changed under us: say no more
        return _("You cannot import for this organisation.")
    held = join_words(sorted(str(m.get_role_display()) for m in active))
    what = _("justice registers") if register == JUSTICE else _("the casework of past years")
    return _(
        "Your role in “%(org)s” (%(held)s) does not import %(what)s: these roles do: %(roles)s."
    ) % {"org": name, "held": held, "what": what, "roles": _roles(wanted)}


def check(user, organisation, register):
    """Raise PermissionDenied with the reason when the import is not allowed."""
    reason = refusal(user, organisation, register)
    if reason is not None:
        raise PermissionDenied(reason)
