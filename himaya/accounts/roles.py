"""The roles a member may hold, and which of them fit an organisation (issue 15), for the
organisation pages, the API and the configuration site. The table itself is
``core.access.ROLE_ORG_TYPES``, beside the role constants the access rules use. ``Role`` lives
here, below the models that use it, so that the models can check a role without an import
circle."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from himaya.core import access
from himaya.core.models import Code
from himaya.core.punctuation import join_alternatives, join_words


class Role(models.TextChoices):
    HOTLINE_OPERATOR = "hotline_operator", gettext_lazy("hotline operator")
    INVESTIGATOR = "investigator", gettext_lazy("investigator")
    PROSECUTOR = "prosecutor", gettext_lazy("prosecutor")
    CASEWORKER = "caseworker", gettext_lazy("caseworker")
    SHELTER_MANAGER = "shelter_manager", gettext_lazy("shelter manager")
    ANALYST = "analyst", gettext_lazy("analyst")
    ORG_ADMIN = "org_admin", gettext_lazy("organisation admin")
    LINKAGE_OFFICER = "linkage_officer", gettext_lazy("linkage officer")
    # Reports on the national action plan for their organisation (coordination).
    FOCAL_POINT = "focal_point", gettext_lazy("focal point")


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
                "types": join_alternatives(where),
                "org": organisation.name,
                "type": organisation.type.label,
                "roles": join_words(here),
            }
        }
    )
