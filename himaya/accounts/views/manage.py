"""Organisation and account pages for system administrators and organisation admins.

Thin views: parse, find the record within the actor's scope (anything else is a 404, so a page out
of reach looks exactly like a missing one), call one action, respond. These pages show accounts
and organisations only, never a person or a dossier.
"""

from functools import wraps

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from himaya.audit import log
from himaya.audit.models import Outcome
from himaya.core import access
from himaya.core.errors import Conflict
from himaya.core.shortcuts import add_action_errors

from .. import actions, throttle
from ..activation import MailError
from ..manage_forms import (
    ExistingMemberForm,
    MembershipForm,
    NewMemberForm,
    OrganisationEditForm,
    OrganisationForm,
    UserForm,
    UserSearchForm,
)
from ..models import Organisation

T = "accounts/manage/"


def manager_required(view):
    """Deny by default: only system admins and organisation admins, everyone else a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not actions.can_manage(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return require_http_methods(["GET", "POST"])(wrapper)


def system_admin_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.is_system_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return require_http_methods(["GET", "POST"])(wrapper)


def _in_scope(request, queryset, pk):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        log.denied(request.user, (queryset.model._meta.label_lower, str(pk)), "manage")
        raise Http404
    return obj


def _form_error(form, exc):
    if isinstance(exc, ValidationError):
        add_action_errors(form, exc)
    else:
        form.add_error(None, str(exc.args[0]) if exc.args else _("This is not allowed."))


MAIL_FAILED = gettext_lazy(
    "The e-mail with the activation link could not be sent, so nothing was changed. "
    "Try again later, or ask the system administrator to check the e-mail settings."
)


def _link_sent(user):
    return _(
        "An activation link was sent to %(email)s. It works once, within %(hours)s hours: the "
        "person chooses their password, then sets up their authenticator at the first login."
    ) % {"email": user.email, "hours": settings.HIMAYA_ACTIVATION_HOURS}


def _refused(request, action, obj, exc):
    """A write the action refused: nothing was saved; the attempt is audited."""
    log.write(request.user, action, obj, outcome=Outcome.DENIED)
    messages.error(request, str(exc.args[0]) if exc.args else _("This is not allowed."))


@manager_required
def org_list(request):
    orgs = actions.organisations_for(request.user)
    form = UserSearchForm(request.GET or None, organisations=orgs)
    users = actions.search_users(actions.users_for(request.user), **form.valid_data())
    context = {
        "organisations": orgs,
        "is_system_admin": access.is_system_admin(request.user),
        "search": form,
        "searched": any(form.valid_data().values()),
        "users": Paginator(users, 50).get_page(request.GET.get("page")),
    }
    return render(request, T + "list.html", context)


@system_admin_required
def org_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = actions.create_organisation(acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            _form_error(form, e)
        else:
            messages.success(request, _("Organisation created."))
            return redirect("orgs:detail", pk=org.pk)
    return render(request, T + "org_form.html", {"form": form})


@manager_required
def org_detail(request, pk):
    org = _in_scope(request, actions.organisations_for(request.user), pk)
    members = org.memberships.select_related("user").order_by("user__username", "role")
    return render(
        request,
        T + "org_detail.html",
        {
            "org": org,
            "members": members,
            "is_system_admin": access.is_system_admin(request.user),
        },
    )


@system_admin_required
def org_edit(request, pk):
    org = get_object_or_404(Organisation, pk=pk)
    form = OrganisationEditForm(request.POST or None, initial=OrganisationEditForm.initial_for(org))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            actions.update_organisation(
                org, acting_user=request.user, expected_version=version, **data
            )
        except (Conflict, ValidationError) as e:
            _form_error(form, e)
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("orgs:detail", pk=org.pk)
    return render(request, T + "org_form.html", {"form": form, "org": org})


@manager_required
def member_add(request, pk):
    org = _in_scope(request, actions.organisations_for(request.user), pk)
    users = actions.users_for(request.user).exclude(pk=request.user.pk)
    mode = request.POST.get("mode") if request.method == "POST" else None
    new_form = NewMemberForm(
        request.POST if mode == "new" else None, prefix="new", organisation=org
    )
    existing_form = ExistingMemberForm(
        request.POST if mode == "existing" else None,
        users=users,
        prefix="existing",
        organisation=org,
    )
    form = {"new": new_form, "existing": existing_form}.get(mode)
    if form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if mode == "new":
                user, _membership = actions.create_member(
                    acting_user=request.user,
                    organisation=org,
                    **data,
                )
            else:
                actions.add_membership(
                    acting_user=request.user,
                    organisation=org,
                    user=data["username"],
                    role=data["role"],
                )
        except (ValidationError, PermissionDenied) as e:
            _form_error(form, e)
        except MailError:
            form.add_error(None, MAIL_FAILED)
        else:
            if mode == "new":
                messages.success(request, _("Account created.") + " " + _link_sent(user))
                return redirect("orgs:user_detail", pk=user.pk)
            messages.success(request, _("Member added."))
            return redirect("orgs:detail", pk=org.pk)
    return render(
        request,
        T + "member_add.html",
        {"org": org, "new_form": new_form, "existing_form": existing_form},
    )


@manager_required
def member_edit(request, pk):
    membership = _in_scope(request, actions.memberships_for(request.user), pk)
    form = MembershipForm(
        request.POST or None,
        initial={"role": membership.role, "active": membership.active},
        organisation=membership.organisation,
        keep=membership.role,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_membership(membership, acting_user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            _form_error(form, e)
        else:
            messages.success(request, _("Role saved."))
            return redirect("orgs:detail", pk=membership.organisation_id)
    return render(request, T + "member_form.html", {"form": form, "membership": membership})


@manager_required
def member_remove(request, pk):
    membership = _in_scope(request, actions.memberships_for(request.user), pk)
    if request.method == "POST":
        try:
            actions.deactivate_membership(membership, acting_user=request.user)
        except PermissionDenied as e:
            _refused(request, "update_membership", membership, e)
        else:
            messages.success(request, _("Role ended."))
        return redirect("orgs:detail", pk=membership.organisation_id)
    return render(
        request,
        T + "confirm.html",
        {
            "title": _("End this role?"),
            "subject": membership,
            "back": redirect("orgs:detail", pk=membership.organisation_id).url,
        },
    )


def _user_in_scope(request, pk):
    return _in_scope(request, actions.users_for(request.user), pk)


@manager_required
def user_detail(request, pk):
    target = _user_in_scope(request, pk)
    failures = sum(
        AccessAttempt.objects.filter(username=target.username).values_list(
            "failures_since_start", flat=True
        )
    )
    return render(
        request,
        T + "user_detail.html",
        {
            "target": target,
            "memberships": actions.memberships_for(request.user).filter(user=target),
            "has_authenticator": target.totpdevice_set.filter(confirmed=True).exists(),
            "has_password": target.has_usable_password(),
            "failures": failures,
            # Locked from at least one address (or everywhere, after wrong codes).
            "locked": throttle.locked_somewhere(target.username),
            "is_self": target.pk == request.user.pk,
        },
    )


@manager_required
def user_edit(request, pk):
    target = _user_in_scope(request, pk)
    form = UserForm(request.POST or None, initial=UserForm.initial_for(target))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_user(target, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            _form_error(form, e)
        except MailError:
            form.add_error(
                None,
                _(
                    "The notice to the previous address could not be sent: "
                    "nothing was changed. Try again later."
                ),
            )
        else:
            messages.success(request, _("Account saved."))
            return redirect("orgs:user_detail", pk=target.pk)
    return render(request, T + "user_form.html", {"form": form, "target": target})


def _user_action(request, pk, action, name, title, done, **kwargs):
    target = _user_in_scope(request, pk)
    if request.method == "POST":
        try:
            action(target, acting_user=request.user, **kwargs)
        except PermissionDenied as e:
            _refused(request, name, target, e)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        except MailError:
            messages.error(request, MAIL_FAILED)
        else:
            messages.success(request, done(target) if callable(done) else done)
        return redirect("orgs:user_detail", pk=target.pk)
    return render(
        request,
        T + "confirm.html",
        {
            "title": title,
            "subject": target.display_name,
            "back": redirect("orgs:user_detail", pk=target.pk).url,
        },
    )


@manager_required
def user_reset_2fa(request, pk):
    return _user_action(
        request,
        pk,
        actions.reset_second_factor,
        "reset_second_factor",
        _(
            "Reset the second factor of this account? Its sessions end now, and the user sets up "
            "a new authenticator at the next login."
        ),
        _("Second factor reset. The user sets up a new authenticator at the next login."),
    )


@manager_required
def user_unlock(request, pk):
    return _user_action(
        request,
        pk,
        actions.unlock_user,
        "unlock_user",
        _("Unlock this account after failed logins?"),
        _("Account unlocked."),
    )


@manager_required
def user_deactivate(request, pk):
    return _user_action(
        request,
        pk,
        actions.deactivate_user,
        "deactivate_user",
        _("Deactivate this account? The user can no longer log in, and every session ends now."),
        _("Account deactivated."),
    )


@manager_required
def user_send_activation(request, pk):
    return _user_action(
        request,
        pk,
        actions.send_activation_link,
        "send_activation_link",
        _(
            "Send the activation link again? Earlier links stop working; the new one goes to "
            "the account's e-mail address."
        ),
        _link_sent,
    )


@manager_required
def user_reset_password(request, pk):
    return _user_action(
        request,
        pk,
        actions.reset_password,
        "reset_password",
        _(
            "Reset the password of this account? It stops working and every session ends now; "
            "the person chooses a new one through a link sent to the account's e-mail address."
        ),
        _link_sent,
    )
