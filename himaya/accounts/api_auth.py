"""API authentication: hashed bearer tokens for integrations, or a browser session that passed
the second factor. A token acts with exactly its user's memberships."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions

from himaya.core import access

from .models import ApiToken, hash_token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if not parts:  # only whitespace: no credentials at all
            return None
        if parts[0] not in (self.keyword, "Token"):
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed authorisation header."))
        token = (
            ApiToken.objects.live()
            .select_related("user")
            .filter(digest=hash_token(parts[1]))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        token.user.is_verified = lambda: True  # a token is its own second factor
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser session, only once the second factor is done."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, auth = result
        if not getattr(user, "is_verified", lambda: False)():
            return None
        return user, auth


class IsMember(permissions.BasePermission):
    """Authenticated, with at least one active membership."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and access._memberships(user))
