"""Organisations, user accounts and their roles, API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .roles import Role, check_role_fits


class Organisation(models.Model):
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    type = models.ForeignKey(
        "core.Code",
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "org_type"},
    )
    region = models.ForeignKey(
        "core.Code",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "region"},
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_fr"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        lang = (get_language() or "ar")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_fr or self.name_ar


class User(AbstractUser):
    """An account. Identity data about victims never lives here."""

    preferred_language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("ar", "العربية"), ("fr", "Français"), ("en", "English")],
    )
    # Part of the session hash: rotating it ends every session of the user (logout everywhere).
    session_salt = models.CharField(max_length=32, default="", blank=True, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)
    # Wrong second-factor codes in a row. Unlike django-axes's count, a correct password does
    # not reset it: only a correct code, an unlock, or the lockout it causes (L3).
    second_factor_failures = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_session_auth_hash(self):
        return salted_hmac(
            "himaya.accounts.User.session",
            f"{self.password}|{self.session_salt}",
            algorithm="sha256",
        ).hexdigest()

    def rotate_session_salt(self):
        self.session_salt = secrets.token_hex(16)

    @property
    def display_name(self):
        return self.get_full_name() or self.username


class Membership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique"
            )
        ]
        ordering = ["organisation__name_fr", "role"]

    def __str__(self):
        return f"{self.organisation} · {self.get_role_display()}"

    def clean(self):
        # The configuration site's memberships too: a role only where it fits (issue 15).
        if not self.organisation_id or self.role not in Role.values:
            return
        before = (
            Membership.objects.filter(pk=self.pk)
            .values("role", "active", "organisation_id")
            .first()
        )
        # A role given earlier and now only ended stays as it was.
        if (
            before is None
            or (before["role"], before["organisation_id"]) != (self.role, self.organisation_id)
            or (self.active and not before["active"])
        ):
            check_role_fits(self.role, self.organisation)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        """Not revoked and not expired; a token without an end date (none is issued so any
        more) lives a year from its creation at most."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__gt=now)
            | models.Q(expires_at__isnull=True, created_at__gt=now - timedelta(days=366))
        )


class ApiToken(models.Model):
    """A token for an integration, acting as its user. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name, expires_at=None):
        raw = "hmy_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=raw[4:12], digest=hash_token(raw), expires_at=expires_at
        )
        return token, raw
