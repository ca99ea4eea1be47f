"""Every write about organisations, accounts and roles: one function each, atomic, audited.

Who may do what is decided here, not only in the views (S8): a system administrator
(``is_superuser``) manages every organisation and account; an organisation admin manages the
members of the organisations where they hold ``org_admin``, and only accounts that belong to
those organisations alone. Nobody changes their own roles or account through these actions, so
nobody can escalate themselves. These actions never set ``is_superuser`` or ``is_staff``: that is
done in the configuration site (/sysadmin/) by a system administrator.
"""

from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from himaya.audit import log
from himaya.core import access
from himaya.core.access import is_system_admin
from himaya.core.actions import save_versioned
from himaya.core.trilingual import ordered_by

from . import activation, throttle, twofactor
from .models import ApiToken, Membership, Organisation, Role, User
from .roles import check_role_fits

ORG_FIELDS = ["name_ar", "name_fr", "name_en", "type", "region", "active"]
USER_FIELDS = ["first_name", "last_name", "email", "preferred_language"]


# Scope: which organisations and accounts an administrator may manage.


def managed_org_ids(user):
    """None means every organisation (a system admin); otherwise a set of ids."""
    if is_system_admin(user):
        return None
    return access.manageable_org_ids(user)


def can_manage(user) -> bool:
    return is_system_admin(user) or bool(access.manageable_org_ids(user))


def organisations_for(user):
    orgs = managed_org_ids(user)
    # By the name its reader sees (the model's own order is the French name).
    qs = ordered_by(Organisation.objects.select_related("type", "region"), "name", "pk")
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


def search_users(users, *, q="", organisation=None, role=""):
    """``users`` (a manager's scope) whose username, name, e-mail address, organisation's name
    or role's name holds every word of ``q``, with a role in ``organisation`` / of ``role``
    (both on the same membership when both are given). Each condition is a sub-select on one
    table, so the list costs one query for its rows and one for their memberships."""
    if organisation or role:
        held = Membership.objects.filter(active=True)
        if organisation:
            held = held.filter(organisation_id=organisation)
        if role:
            held = held.filter(role=role)
        users = users.filter(pk__in=held.values("user_id"))
    for word in q.split()[:8]:
        roles = [value for value, label in Role.choices if word.casefold() in str(label).casefold()]
        in_org = Membership.objects.filter(
            Q(organisation__name_ar__icontains=word)
            | Q(organisation__name_fr__icontains=word)
            | Q(organisation__name_en__icontains=word)
            | Q(role__in=roles + [word]),
            active=True,
        )
        users = users.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(pk__in=in_org.values("user_id"))
        )
    held = Membership.objects.filter(active=True).select_related("organisation")
    return users.order_by("username").prefetch_related(
        Prefetch("memberships", queryset=held, to_attr="active_memberships")
    )


def memberships_for(user):
    orgs = managed_org_ids(user)
    qs = Membership.objects.select_related("user", "organisation")
    return qs if orgs is None else qs.filter(organisation_id__in=orgs)


def _require_org(acting_user, organisation):
    orgs = managed_org_ids(acting_user)
    if orgs is not None and organisation.pk not in orgs:
        raise PermissionDenied(
            _(
                "The members of %(org)s are managed by its organisation admins and by a system "
                "administrator; you are not one of them."
            )
            % {"org": organisation}
        )


def _require_user(acting_user, target):
    if not users_for(acting_user).filter(pk=target.pk).exists():
        raise PermissionDenied(
            _(
                "This account is managed by a system administrator, or by an organisation admin "
                "of the only organisation it belongs to; ask a system administrator."
            )
        )


def _not_self(acting_user, target, message):
    if acting_user.pk == target.pk:
        raise PermissionDenied(message)


def _role(role):
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    return role


def _grantable(target, role):
    """Organisation admin is never given to a system or staff account: those are managed in the
    configuration site, and would otherwise gain a second way in."""
    if role == Role.ORG_ADMIN and (target.is_superuser or target.is_staff):
        raise PermissionDenied(_("This account cannot be given the organisation admin role."))


def _revoke_api_tokens(user):
    """End every live API token of the account; returns how many there were."""
    return ApiToken.objects.live().filter(user=user).update(revoked_at=timezone.now())


def end_sessions_and_tokens(user, changed):
    user.rotate_session_salt()
    changed.append("session_salt")
    if _revoke_api_tokens(user):
        changed.append("api_tokens")


# Organisations (system administrators only).

ORGANISATIONS_BY_SYSADMIN = gettext_lazy(
    "Organisations are created and changed by a system administrator."
)


@transaction.atomic
def create_organisation(*, acting_user, **fields):
    if not is_system_admin(acting_user):
        raise PermissionDenied(ORGANISATIONS_BY_SYSADMIN)
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
        raise PermissionDenied(ORGANISATIONS_BY_SYSADMIN)
    changed = [f for f in ORG_FIELDS if f in fields and getattr(org, f) != fields[f]]
    for f in changed:
        setattr(org, f, fields[f])
    org.full_clean()
    save_versioned(org, changed, expected_version)
    log.write(acting_user, "update_organisation", org, changed, organisation_id=org.pk)
    return org, changed


# Accounts and memberships.


def _require_email(user):
    if not user.email:
        raise ValidationError(
            {"email": _("Give the person's e-mail address: the activation link is sent there.")}
        )


@transaction.atomic
def create_member(
    *,
    acting_user,
    organisation,
    role,
    username,
    email,
    first_name="",
    last_name="",
    preferred_language="",
):
    """A new account with one role in ``organisation``. Never a superuser or staff account.

    The account has no usable password: the person gets an activation link by e-mail and
    chooses one (H3), so the administrator can never log in as them. The e-mail is sent inside
    the transaction: if the mail server refuses it, no account is left without a way in."""
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
    _require_email(user)
    check_role_fits(_role(role), organisation)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    log.write(
        acting_user,
        "create_user",
        user,
        ["username"] + [f for f in USER_FIELDS if getattr(user, f)],
        organisation_id=organisation.pk,
    )
    log.write(
        acting_user,
        "add_membership",
        membership,
        ["user", "organisation", "role"],
        organisation_id=organisation.pk,
    )
    log.write(acting_user, "send_activation_link", user, organisation_id=organisation.pk)
    activation.send_link(user)
    return user, membership


@transaction.atomic
def add_membership(*, acting_user, organisation, user, role):
    """Give an existing account a role in ``organisation`` (or reactivate that role)."""
    _require_org(acting_user, organisation)
    _require_user(acting_user, user)
    _not_self(acting_user, user, _("You cannot change your own roles."))
    _grantable(user, _role(role))
    check_role_fits(role, organisation)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
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
    # The account must be within reach too (M5): a membership in one's organisation of an
    # account shared with another organisation, or of a system account, is not one's to change.
    _require_user(acting_user, membership.user)
    _not_self(acting_user, membership.user, _("You cannot change your own roles."))
    role = _role(role)
    if role != membership.role or (active and not membership.active):
        _grantable(membership.user, role)
        check_role_fits(role, membership.organisation)
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
    old_address = target.email
    # The address receives activation and reset links: changing it could hand the account to
    # whoever changed it (reset the password, then redirect the link). Once an account has been
    # used, only a system administrator may change it, and the old address is always told.
    used = target.last_login is not None or target.has_usable_password()
    if "email" in changed and used and not is_system_admin(acting_user):
        raise ValidationError(
            {
                "email": _(
                    "This account is in use: only a system administrator can change its "
                    "e-mail address."
                )
            }
        )
    for f in changed:
        setattr(target, f, fields[f])
    target.full_clean()
    if changed:
        target.save(update_fields=changed)
    log.write(acting_user, "update_user", target, changed)
    if "email" in changed and old_address and used:
        activation.send_address_change_notice(target, old_address)
    return target, changed


@transaction.atomic
def reset_second_factor(target, *, acting_user):
    """Remove the account's authenticator and recovery codes, and end its sessions: at the next
    login the user enrols a new authenticator."""
    _require_user(acting_user, target)
    _not_self(acting_user, target, _("Use your own security page for your own account."))
    TOTPDevice.objects.filter(user=target).delete()
    StaticDevice.objects.filter(user=target).delete()
    changed = ["totp_device", "recovery_codes"]
    end_sessions_and_tokens(target, changed)
    target.save(update_fields=["session_salt"])
    log.write(acting_user, "reset_second_factor", target, changed)
    return target


@transaction.atomic
def unlock_user(target, *, acting_user):
    """Lift a lockout after failed logins (django-axes) or wrong second-factor codes."""
    _require_user(acting_user, target)
    removed = axes_reset(username=target.get_username())
    changed = ["failed_login_attempts"] if removed else []
    if target.second_factor_failures:
        target.second_factor_failures = 0
        target.save(update_fields=["second_factor_failures"])
        changed.append("second_factor_failures")
    log.write(acting_user, "unlock_user", target, changed)
    return removed


@transaction.atomic
def deactivate_user(target, *, acting_user):
    """Close an account: no login, and every session ends now."""
    _require_user(acting_user, target)
    _not_self(acting_user, target, _("You cannot deactivate your own account."))
    if not target.is_active:
        return target
    target.is_active = False
    # An activation link sent earlier must not work again if the account is reopened.
    target.set_unusable_password()
    changed = ["is_active", "password"]
    end_sessions_and_tokens(target, changed)
    target.save(update_fields=["is_active", "password", "session_salt"])
    log.write(acting_user, "deactivate_user", target, changed)
    return target


# Passwords: set by the person only, through an activation link (H3).


def _require_mailable(target):
    if not target.is_active:
        raise ValidationError(_("This account is deactivated."))
    _require_email(target)


@transaction.atomic
def send_activation_link(target, *, acting_user):
    """Send the link again (lost, expired). The account gets a new unusable password, so only
    the newest link works."""
    _require_user(acting_user, target)
    _not_self(acting_user, target, _("Use your own security page for your own account."))
    if target.has_usable_password():
        raise ValidationError(
            _("This account already has a password. Use “reset password” if it is forgotten.")
        )
    _require_mailable(target)
    target.set_unusable_password()
    target.save(update_fields=["password"])
    log.write(acting_user, "send_activation_link", target, ["password"])
    activation.send_link(target)
    return target


@transaction.atomic
def reset_password(target, *, acting_user):
    """A forgotten password: the account's password stops working, its sessions end, and the
    person chooses a new one through an activation link sent to their e-mail address."""
    _require_user(acting_user, target)
    _not_self(acting_user, target, _("Use your own security page for your own account."))
    _require_mailable(target)
    target.set_unusable_password()
    target.rotate_session_salt()
    target.save(update_fields=["password", "session_salt"])
    log.write(acting_user, "reset_password", target, ["password", "session_salt"])
    activation.send_link(target)
    return target


@transaction.atomic
def activate_account(user, *, password):
    """The person chooses their password through a valid activation link (checked by the
    view). Django's validators apply; the link then stops working (the hash changed)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password() or not user.is_active:
        raise PermissionDenied(_("This link is no longer valid."))
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    log.write(user, "activate_account", user, ["password"])
    return user


# The person's own account: sessions, second factor.


@transaction.atomic
def logout_everywhere(user):
    """End every session of the account, and its API tokens (M2)."""
    changed = []
    end_sessions_and_tokens(user, changed)
    user.save(update_fields=["session_salt"])
    log.write(user, "logout_everywhere", user, changed)
    return user


@transaction.atomic
def regenerate_recovery_codes(user):
    """New recovery codes replace the old ones, and the audit row with them, or nothing."""
    codes = twofactor.new_recovery_codes(user)
    log.write(user, "regenerate_recovery_codes", user, ["recovery_codes"])
    return codes


@transaction.atomic
def second_factor_passed(user):
    if user.second_factor_failures:
        User.objects.filter(pk=user.pk).update(second_factor_failures=0)
        user.second_factor_failures = 0
    log.write(user, "login", user, ["second_factor"])


@transaction.atomic
def second_factor_failed(user):
    """Count a wrong code. Returns True when the account is now locked (L3).

    The count lives on the account, so a correct password in between does not reset it (axes
    resets its own count at every correct password). At the limit the account is locked through
    django-axes, like a password lockout: the same cool-off, the same unlock by an
    administrator; the count then starts again."""
    User.objects.filter(pk=user.pk).update(second_factor_failures=F("second_factor_failures") + 1)
    failures = User.objects.values_list("second_factor_failures", flat=True).get(pk=user.pk)
    user.second_factor_failures = failures
    if failures < settings.HIMAYA_SECOND_FACTOR_FAILURE_LIMIT:
        return False
    User.objects.filter(pk=user.pk).update(second_factor_failures=0)
    user.second_factor_failures = 0
    now = timezone.now()
    AccessAttempt.objects.update_or_create(
        username=user.get_username(),
        ip_address=None,
        user_agent=throttle.SECOND_FACTOR_AGENT,
        defaults={
            "failures_since_start": settings.AXES_FAILURE_LIMIT,
            "attempt_time": now,
            "get_data": "",
            "post_data": "",
            "http_accept": "",
            "path_info": "",
        },
    )
    log.write(user, "account_locked_second_factor", user, ["locked"], outcome="denied")
    return True


TOKEN_DEFAULT_DAYS = 90
TOKEN_MAX_DAYS = 366


@transaction.atomic
def issue_api_token(user, name, *, days=TOKEN_DEFAULT_DAYS, acting_user=None):
    """A token for an integration acting as ``user``; it always expires, within a year."""
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": _("A token is valid from 1 to %(max)s days.") % {"max": TOKEN_MAX_DAYS}}
        )
    expires_at = timezone.now() + timedelta(days=days)
    token, raw = ApiToken.issue(user, name, expires_at=expires_at)
    log.write(acting_user, "issue_api_token", token, ["name", "expires_at"])
    return token, raw


@transaction.atomic
def revoke_api_token(token, *, acting_user):
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log.write(acting_user, "revoke_api_token", token, ["revoked_at"])
    return token


# The user's own account.


@transaction.atomic
def enrol_second_factor(user, device, code):
    """Confirm the authenticator being enrolled with a code it shows, and issue recovery
    codes. Returns the recovery codes, or None when the code does not match."""
    if not twofactor.confirm(device, code):
        return None
    codes = twofactor.new_recovery_codes(user)
    log.write(user, "enrol_second_factor", user, ["totp_device", "recovery_codes"])
    return codes


@transaction.atomic
def set_preferred_language(user, language):
    if user.preferred_language == language:
        return user
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    log.write(user, "set_language", user, ["preferred_language"])
    return user
