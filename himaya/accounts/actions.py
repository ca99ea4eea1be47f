"""Every write about organisations, accounts and roles: one function each, atomic, audited.

Who may do what is decided here, not only in the views (S8): a system administrator
(``is_superuser``) manages every organisation and account; an organisation admin manages the
members of the organisations where they hold ``org_admin``, and only accounts that belong to
those organisations alone. Nobody changes their own roles or account through these actions, so
nobody can escalate themselves. These actions never set ``is_superuser`` or ``is_staff``: that is
done in the configuration site (/sysadmin/) by a system administrator.
"""

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from himaya.audit import log
from himaya.core import access
from himaya.core.actions import save_versioned

from .models import Membership, Organisation, Role, User

ORG_FIELDS = ["name_ar", "name_fr", "name_en", "type", "region", "active"]
USER_FIELDS = ["first_name", "last_name", "email", "preferred_language"]


# Scope: which organisations and accounts an administrator may manage.


def is_system_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def managed_org_ids(user):
    """None means every organisation (a system admin); otherwise a set of ids."""
    if is_system_admin(user):
        return None
    return access.manageable_org_ids(user)


def can_manage(user) -> bool:
    return is_system_admin(user) or bool(access.manageable_org_ids(user))


def organisations_for(user):
    orgs = managed_org_ids(user)
    qs = Organisation.objects.select_related("type", "region")
    return qs if orgs is None else qs.filter(pk__in=orgs)


def users_for(user):
    """Accounts the user may manage. An organisation admin gets the accounts that are members of
    their organisations and of no other (active) organisation, and never a system or staff
    account: an account shared with another organisation is that organisation's business too."""
    orgs = managed_org_ids(user)
    if orgs is None:
        return User.objects.all()
    if not orgs:
        return User.objects.none()
    elsewhere = Membership.objects.filter(active=True).exclude(organisation_id__in=orgs)
    return (
        User.objects.filter(memberships__organisation_id__in=orgs)
        .exclude(pk__in=elsewhere.values("user_id"))
        .exclude(Q(is_superuser=True) | Q(is_staff=True))
        .distinct()
    )


def memberships_for(user):
    orgs = managed_org_ids(user)
    qs = Membership.objects.select_related("user", "organisation")
    return qs if orgs is None else qs.filter(organisation_id__in=orgs)


def _require_org(acting_user, organisation):
    orgs = managed_org_ids(acting_user)
    if orgs is not None and organisation.pk not in orgs:
        raise PermissionDenied(_("You cannot manage this organisation."))


def _require_user(acting_user, target):
    if not users_for(acting_user).filter(pk=target.pk).exists():
        raise PermissionDenied(_("You cannot manage this account."))


def _not_self(acting_user, target, message):
    if acting_user.pk == target.pk:
        raise PermissionDenied(message)


def _role(role):
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    return role


# Organisations (system administrators only).


@transaction.atomic
def create_organisation(*, acting_user, **fields):
    if not is_system_admin(acting_user):
        raise PermissionDenied
    org = Organisation(**{f: fields[f] for f in ORG_FIELDS if f in fields})
    org.full_clean()
    org.save()
    log.write(
        acting_user,
        "create_organisation",
        org,
        [f for f in ORG_FIELDS if fields.get(f) not in (None, "")],
        organisation_id=org.pk,
    )
    return org


@transaction.atomic
def update_organisation(org, *, acting_user, expected_version, **fields):
    if not is_system_admin(acting_user):
        raise PermissionDenied
    changed = [f for f in ORG_FIELDS if f in fields and getattr(org, f) != fields[f]]
    for f in changed:
        setattr(org, f, fields[f])
    org.full_clean()
    save_versioned(org, changed, expected_version)
    log.write(acting_user, "update_organisation", org, changed, organisation_id=org.pk)
    return org, changed


# Accounts and memberships.


@transaction.atomic
def create_member(
    *,
    acting_user,
    organisation,
    role,
    username,
    password,
    first_name="",
    last_name="",
    email="",
    preferred_language="",
):
    """A new account with one role in ``organisation``. Never a superuser or staff account."""
    _require_org(acting_user, organisation)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        preferred_language=preferred_language,
        is_superuser=False,
        is_staff=False,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, role=_role(role))
    log.write(
        acting_user,
        "create_user",
        user,
        ["username", "password"] + [f for f in USER_FIELDS if getattr(user, f)],
        organisation_id=organisation.pk,
    )
    log.write(
        acting_user,
        "add_membership",
        membership,
        ["user", "organisation", "role"],
        organisation_id=organisation.pk,
    )
    return user, membership


@transaction.atomic
def add_membership(*, acting_user, organisation, user, role):
    """Give an existing account a role in ``organisation`` (or reactivate that role)."""
    _require_org(acting_user, organisation)
    _require_user(acting_user, user)
    _not_self(acting_user, user, _("You cannot change your own roles."))
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=_role(role)
    )
    if created:
        changed = ["user", "organisation", "role"]
    elif not membership.active:
        membership.active = True
        membership.save(update_fields=["active"])
        changed = ["active"]
    else:
        raise ValidationError(_("This account already has this role here."))
    log.write(acting_user, "add_membership", membership, changed, organisation_id=organisation.pk)
    access.forget(user)
    return membership


@transaction.atomic
def update_membership(membership, *, acting_user, role, active):
    """Change the role or the active flag of a membership; its organisation never changes."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _require_org(acting_user, membership.organisation)
    _not_self(acting_user, membership.user, _("You cannot change your own roles."))
    role = _role(role)
    changed = []
    if role != membership.role:
        clash = Membership.objects.filter(
            user_id=membership.user_id, organisation_id=membership.organisation_id, role=role
        )
        if clash.exists():
            raise ValidationError({"role": _("This account already has this role here.")})
        membership.role = role
        changed.append("role")
    if bool(active) != membership.active:
        membership.active = bool(active)
        changed.append("active")
    if changed:
        membership.save(update_fields=changed)
        log.write(
            acting_user,
            "update_membership",
            membership,
            changed,
            organisation_id=membership.organisation_id,
        )
    return membership, changed


@transaction.atomic
def deactivate_membership(membership, *, acting_user):
    return update_membership(
        membership, acting_user=acting_user, role=membership.role, active=False
    )


@transaction.atomic
def update_user(target, *, acting_user, **fields):
    _require_user(acting_user, target)
    changed = [f for f in USER_FIELDS if f in fields and getattr(target, f) != fields[f]]
    for f in changed:
        setattr(target, f, fields[f])
    target.full_clean()
    if changed:
        target.save(update_fields=changed)
    log.write(acting_user, "update_user", target, changed)
    return target, changed


@transaction.atomic
def reset_second_factor(target, *, acting_user):
    """Remove the account's authenticator and recovery codes, and end its sessions: at the next
    login the user enrols a new authenticator."""
    _require_user(acting_user, target)
    _not_self(acting_user, target, _("Use your own security page for your own account."))
    TOTPDevice.objects.filter(user=target).delete()
    StaticDevice.objects.filter(user=target).delete()
    target.rotate_session_salt()
    target.save(update_fields=["session_salt"])
    log.write(
        acting_user,
        "reset_second_factor",
        target,
        ["totp_device", "recovery_codes", "session_salt"],
    )
    return target


@transaction.atomic
def unlock_user(target, *, acting_user):
    """Lift a lockout after failed logins (django-axes)."""
    _require_user(acting_user, target)
    removed = axes_reset(username=target.get_username())
    log.write(acting_user, "unlock_user", target, ["failed_login_attempts"] if removed else [])
    return removed


@transaction.atomic
def deactivate_user(target, *, acting_user):
    """Close an account: no login, and every session ends now."""
    _require_user(acting_user, target)
    _not_self(acting_user, target, _("You cannot deactivate your own account."))
    if not target.is_active:
        return target
    target.is_active = False
    target.rotate_session_salt()
    target.save(update_fields=["is_active", "session_salt"])
    log.write(acting_user, "deactivate_user", target, ["is_active", "session_salt"])
    return target
