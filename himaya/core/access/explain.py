"""Who may do what, in words: the sentences a refusal gives so that the user knows why, and who
to turn to. Built from the same role and organisation-type sets the rules use (never typed
apart), so a message can never name someone the rule refuses; the rules decide, this module
only explains them. Names roles and types by their code lists, as the rest of the package
imports no app."""

from django.utils.translation import gettext as _

from himaya.core.punctuation import join_alternatives, join_clauses

from . import base
from .base import _memberships, model


def either(labels):
    """ "a, b or c" in the user's language."""
    return join_alternatives(labels)


def role_labels(roles):
    """The labels of these role codes, in the order of the role list."""
    choices = model("accounts.Membership")._meta.get_field("role").choices
    return [label for value, label in choices if value in roles]


def org_type_labels(types):
    codes = model("core.Code").objects.of("org_type").filter(code__in=types)
    return [c.label for c in codes]


def who_may(roles, org_types=None):
    """ "investigator or prosecutor, in a police or prosecution organisation"."""
    fits = getattr(base, "ROLE_ORG_TYPES", None)  # which roles an organisation type may hold
    if fits and org_types:  # only the roles that exist in such organisations
        roles = {r for r in roles if fits.get(r) is None or fits[r] & set(org_types)} or roles
    roles_text = either(role_labels(roles))
    if not org_types:
        return roles_text
    return _("%(roles)s, in an organisation of type %(types)s") % {
        "roles": roles_text,
        "types": either(org_type_labels(org_types)),
    }


def held(user):
    """What the user holds: "caseworker at NGO A; analyst at …", or that they hold nothing."""
    rows = _memberships(user)
    if not rows:
        return _("you hold no active role in an organisation")
    labels = dict(model("accounts.Membership")._meta.get_field("role").choices)
    orgs = model("accounts.Organisation").objects.filter(pk__in={org for org, _r, _t in rows})
    names = {o.pk: o.name for o in orgs}
    return join_clauses(
        _("%(role)s at %(org)s") % {"role": labels.get(role, role), "org": names[org]}
        for org, role, _t in sorted(rows)
    )


def refusal(what, roles, org_types=None, *, user=None, then=""):
    """ "<what> is done by <who may>. You are <held>. <then>": one refusal, with its reason and
    what to do instead."""
    text = _("%(what)s is for: %(who)s.") % {"what": what, "who": who_may(roles, org_types)}
    if user is not None:
        text += " " + _("Your role: %(held)s.") % {"held": held(user)}
    if then:
        text += " " + str(then)
    return text
