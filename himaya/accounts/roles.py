"""Which roles fit an organisation (issue 15), for the organisation pages, the API and the
configuration site. The table itself is ``core.access.ROLE_ORG_TYPES``, beside the role constants
the access rules use."""

from django.core.exceptions import ValidationError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from himaya.core import access
from himaya.core.models import Code

from .models import Role


def _join(words):
    """ "a, b or c" in the active language (Django's own words for "or")."""
    return get_text_list([str(w) for w in words])


def role_labels(roles):
    """The labels of ``roles``, in the order of ``Role``."""
    return [label for value, label in Role.choices if value in set(roles)]


def org_type_labels(codes):
    if codes is None:
        return []
    return [c.label for c in Code.objects.of("org_type").filter(code__in=list(codes))]


def role_choices(org_type_code):
    """(value, label) of the roles that fit an organisation type, for a form's select."""
    fitting = set(access.roles_for_org_type(org_type_code))
    return [(value, label) for value, label in Role.choices if value in fitting]


def check_role_fits(role, organisation):
    """Refuse a role that does not fit the organisation's type, saying where it fits and which
    roles fit here."""
    type_code = organisation.type.code
    if access.role_fits(role, type_code):
        return
    where = org_type_labels(access.org_types_for_role(role))
    here = role_labels(access.roles_for_org_type(type_code))
    raise ValidationError(
        {
            "role": _(
                "The role “%(role)s” is held only in an organisation of type %(types)s; "
                "%(org)s is of type %(type)s. Roles that fit it: %(roles)s."
            )
            % {
                "role": Role(role).label if role in Role.values else role,
                "types": _join(where),
                "org": organisation.name,
                "type": organisation.type.label,
                "roles": ", ".join(str(r) for r in here),
            }
        }
    )
