"""Login with a password and a second factor, enrolment, logout (here or everywhere), language."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from himaya.audit import log

from . import twofactor
from .forms import CodeForm, EnrolForm, LanguageForm, LoginForm


def _safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return redirect(default).url


def locked_out(request, credentials=None, *args, **kwargs):
    """What django-axes shows once an account is locked (5 failures)."""
    if request.user.is_authenticated:
        auth_logout(request)
    return render(
        request,
        "accounts/locked.html",
        {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
        status=403,
    )


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(_safe_next(request))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        auth_login(request, user)  # rotates the session key
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
            log.write(user, "login", user, ["second_factor"])
            return HttpResponseRedirect(request.session.pop("next", None) or redirect("home").url)
        # A wrong code counts as a failed login: five in all lock the account.
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        log.write(user, "login_second_factor_failed", user, outcome="denied")
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
        if twofactor.confirm(device, form.cleaned_data["code"].strip()):
            otp_login(request, device)
            request.session.cycle_key()
            codes = twofactor.new_recovery_codes(user)
            log.write(user, "enrol_second_factor", user, ["totp_device", "recovery_codes"])
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
    codes = twofactor.new_recovery_codes(request.user)
    log.write(request.user, "regenerate_recovery_codes", request.user, ["recovery_codes"])
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
    user = request.user
    user.rotate_session_salt()
    user.save(update_fields=["session_salt"])
    log.write(user, "logout_everywhere", user, ["session_salt"])
    auth_logout(request)
    messages.info(request, _("Every session of your account has ended."))
    return redirect("accounts:login")


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
    if user.is_authenticated and user.is_verified() and user.preferred_language != lang:
        user.preferred_language = lang
        user.save(update_fields=["preferred_language"])
        log.write(user, "set_language", user, ["preferred_language"])
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
