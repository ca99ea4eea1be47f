"""Language per user, acting organisation, and mandatory two-factor authentication."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django.utils import translation
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access

# When the password step of this session happened (epoch seconds): sessions end after
# HIMAYA_SESSION_MAX_HOURS whatever the activity, as well as after 30 idle minutes.
SESSION_STARTED_KEY = "himaya_started"

# Routes reachable without a login at all (S1 allow-list).
PUBLIC_URL_NAMES = {
    "accounts:login",
    "accounts:activate",
    "accounts:set_language",
    "health",
    # The public tip form and its follow-up with a receipt code (hotline).
    "tips:report",
    "tips:follow_up",
    "public_stats:index",  # the published statistics (protected tables), /statistics/
}
# Routes for a user who gave a password but no second factor yet.
HALF_LOGGED_URL_NAMES = PUBLIC_URL_NAMES | {
    "accounts:verify",
    "accounts:enrol",
    "accounts:logout",
}


def url_name(request):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


class UserLanguageMiddleware:
    """A logged-in user's remembered language wins over the cookie and the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lang = request.session.get("language") if hasattr(request, "session") else None
        if lang in dict(settings.LANGUAGES):
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = lang
        return self.get_response(request)


# When the session's expiry was last pushed forward (epoch seconds).
SESSION_TOUCHED_KEY = "himaya_touched"
TOUCH_EVERY_SECONDS = 60


class SessionTouchMiddleware:
    """The idle timeout without a session write on every page (issue 17): the session's
    expiry (now + the idle limit) is pushed forward at most once a minute, by marking the
    session changed; between two touches nothing is written. A session therefore ends at most
    a minute before the idle limit after the last request, never after it (S12)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        touched = session.get(SESSION_TOUCHED_KEY)
        if (
            session.modified
            or not isinstance(touched, int)
            or not 0 <= now - touched < TOUCH_EVERY_SECONDS
        ):
            session[SESSION_TOUCHED_KEY] = now
        return response


class TwoFactorRequiredMiddleware:
    """Deny by default: every page needs a user verified with a second factor, except the
    public allow-list. The API authenticates on its own (tokens, verified sessions), and so do
    the OpenRosa endpoints (field devices' credentials, himaya.field.openrosa)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and self._expired(request):
            log.write(user, "session_expired", user)
            logout(request)
            messages.info(request, _("Your session has ended: please log in again."))
            user = request.user
        token = None
        if user.is_authenticated and user.is_verified():
            token = log.set_acting_org(access.primary_org_id(user))
            translation.activate(user.preferred_language or translation.get_language())
            request.LANGUAGE_CODE = translation.get_language()
        try:
            return self._gate(request) or self.get_response(request)
        finally:
            if token is not None:
                log.reset_acting_org(token)

    @staticmethod
    def _expired(request):
        started = request.session.get(SESSION_STARTED_KEY)
        limit = settings.HIMAYA_SESSION_MAX_HOURS * 3600
        return not isinstance(started, int) or time.time() - started > limit

    def _gate(self, request):
        path = request.path_info
        if path.startswith((settings.STATIC_URL, "/api/", "/openrosa/")):
            return None
        name = url_name(request)
        if name is None:
            return None  # 404 comes from the resolver
        user = request.user
        if name in PUBLIC_URL_NAMES:
            return None
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.is_verified():
            return None
        if name in HALF_LOGGED_URL_NAMES:
            return None
        has_device = user.totpdevice_set.filter(confirmed=True).exists()
        return redirect("accounts:verify" if has_device else "accounts:enrol")
