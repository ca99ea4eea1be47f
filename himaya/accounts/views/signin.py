"""Login with a password and a second factor, enrolment, logout (here or everywhere), language."""

import datetime
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from himaya.audit import log
from himaya.audit.models import AuditEvent

from .. import actions, activation, throttle, twofactor
from ..forms import ActivationForm, CodeForm, EnrolForm, LanguageForm, LoginForm
from ..middleware import SESSION_STARTED_KEY
from ..signals import SECOND_FACTOR_SENDER


def _safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return redirect(default).url


def locked_out(request, *args, everywhere=False, **kwargs):
    """What django-axes shows once an account is locked from this address (5 failures), and
    what wrong second-factor codes lead to (locked from every address: ``everywhere``)."""
    if request.user.is_authenticated:
        auth_logout(request)
    return render(
        request,
        "accounts/locked.html",
        {
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "everywhere": everywhere,
        },
        status=403,
    )


SLOWED_AUDIT_SECONDS = 60


def _slowed(request, username, wait):
    """Too many failures on this account, or from this connection: wait, then try again. The
    password was not checked and nothing is counted; what was typed as the name stays."""
    User = get_user_model()
    user = User._default_manager.filter(username=username).first() if username else None
    # One row per account and minute: a flood of the login form is slowed, and must not grow
    # the audit trail by a row per attempt (an unknown name counts as one account).
    target = str(user.pk) if user else ""
    since = timezone.now() - datetime.timedelta(seconds=SLOWED_AUDIT_SECONDS)
    if not AuditEvent.objects.filter(
        action="login_slowed", object_type="accounts.user", object_id=target, at__gte=since
    ).exists():
        log.write(None, "login_slowed", ("accounts.user", target), outcome="denied")
    message = ngettext(
        "Too many failed logins on this account or from this connection. Wait %(count)s "
        "second, then try again.",
        "Too many failed logins on this account or from this connection. Wait %(count)s "
        "seconds, then try again.",
        wait,
    ) % {"count": wait}
    response = render(
        request,
        "accounts/login.html",
        {
            "form": LoginForm(request, initial={"username": username}),
            "next": request.POST.get("next", ""),
            "slowed": message,
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(_safe_next(request))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        username = request.POST.get("username", "")
        if throttle.second_factor_locked(request, username):
            return locked_out(request, everywhere=True)
        wait = throttle.seconds_to_wait(request, username)
        if wait:
            return _slowed(request, username, wait)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        auth_login(request, user)  # rotates the session key
        request.session[SESSION_STARTED_KEY] = int(time.time())
        request.session["next"] = _safe_next(request)
        if user.preferred_language:
            request.session["language"] = user.preferred_language
        has_device = user.totpdevice_set.filter(confirmed=True).exists()
        return redirect("accounts:verify" if has_device else "accounts:enrol")
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_http_methods(["GET", "POST"])
def verify_view(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user.is_verified():
        return redirect("home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()
            actions.second_factor_passed(user)
            return HttpResponseRedirect(request.session.pop("next", None) or redirect("home").url)
        # A wrong code counts as a failed login: five within one login lock the account (axes),
        # and five in a row across logins too (a correct password resets axes's count).
        user_login_failed.send(
            sender=SECOND_FACTOR_SENDER,
            credentials={"username": user.get_username()},
            request=request,
        )
        log.write(user, "login_second_factor_failed", user, outcome="denied")
        if actions.second_factor_failed(user):
            return locked_out(request, everywhere=True)
        form.add_error("code", _("This code is not valid, or it was already used."))
    return render(request, "accounts/verify.html", {"form": form})


@require_http_methods(["GET", "POST"])
def enrol_view(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user.is_verified() or user.totpdevice_set.filter(confirmed=True).exists():
        return redirect("accounts:verify" if not user.is_verified() else "home")
    device = twofactor.pending_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = actions.enrol_second_factor(user, device, form.cleaned_data["code"].strip())
        if codes is not None:
            otp_login(request, device)
            request.session.cycle_key()
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error(
            "code",
            _("This code does not match. Check the time on your phone and try the next code."),
        )
    uri = twofactor.provisioning_uri(device)
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr": twofactor.qr_svg_data_uri(uri),
            "secret": twofactor.secret_base32(device),
        },
    )


@login_required
@require_POST
def recovery_codes_view(request):
    codes = actions.regenerate_recovery_codes(request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        log.write(request.user, "logout", request.user)
    auth_logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("accounts:login")


@login_required
@require_POST
def logout_everywhere_view(request):
    actions.logout_everywhere(request.user)
    auth_logout(request)
    messages.info(request, _("Every session of your account and its API tokens have ended."))
    return redirect("accounts:login")


def _refused_link(request):
    request.session.pop(activation.SESSION_KEY, None)
    return render(request, "accounts/activate_invalid.html", status=400)


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def activate_view(request, uidb64, token):
    """A person chooses their password through the link an administrator had sent them (H3).
    Like Django's password reset: the token moves from the address into the session at once,
    then the form is served at an address without it."""
    user = activation.user_for(uidb64)
    if token != activation.SESSION_TOKEN:
        if user is None or not activation.tokens.check_token(user, token):
            return _refused_link(request)
        if request.user.is_authenticated:
            auth_logout(request)  # another account's session must not carry on
        request.session[activation.SESSION_KEY] = token
        return redirect("accounts:activate", uidb64=uidb64, token=activation.SESSION_TOKEN)
    kept = request.session.get(activation.SESSION_KEY, "")
    if user is None or not activation.tokens.check_token(user, kept):
        return _refused_link(request)
    form = ActivationForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.activate_account(user, password=form.cleaned_data["new_password1"])
        except ValidationError as e:
            form.add_error("new_password1", e)
        except PermissionDenied:
            return _refused_link(request)
        else:
            request.session.pop(activation.SESSION_KEY, None)
            messages.success(
                request,
                _(
                    "Your password is set. Log in with it; you will then set up the "
                    "authenticator app on your phone."
                ),
            )
            return redirect("accounts:login")
    return render(request, "accounts/activate.html", {"form": form, "target": user})


@login_required
def security_view(request):
    return render(
        request,
        "accounts/security.html",
        {
            "recovery_left": sum(d.token_set.count() for d in request.user.staticdevice_set.all()),
        },
    )


@require_POST
def set_language_view(request):
    form = LanguageForm(request.POST)
    target = _safe_next(request)
    if not form.is_valid():
        return redirect(target)
    lang = form.cleaned_data["language"]
    request.session["language"] = lang
    user = request.user
    if user.is_authenticated and user.is_verified():
        actions.set_preferred_language(user, lang)
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        lang,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
