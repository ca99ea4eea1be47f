"""The API's shared pieces (code fields, the acting organisation, hidden-record lookups), the
organisations endpoint, and the page where a user manages their API tokens."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from himaya.audit import log
from himaya.audit.fetch import get_visible_or_404
from himaya.core import access
from himaya.core.api import StrictModelSerializer
from himaya.core.models import Code, excluded_codes
from himaya.core.trilingual import ordered_by

from . import actions
from .actions import TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS
from .models import ApiToken, Organisation, Role

# --- shared by the apps' API modules -------------------------------------------------------


def printable(text):
    """Input echoed in an error message, with lone surrogates escaped: they cannot be encoded,
    and would turn a 400 into a 500 when the response is rendered."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class ChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data):
        if isinstance(data, str) and printable(data) != data:
            self.fail("invalid_choice", input=printable(data)[:64])
        return super().to_internal_value(data)


class CodeField(serializers.SlugRelatedField):
    """A code of one code list, exchanged as its code string ("MA", "sexual", "female")."""

    default_error_messages = {
        "does_not_exist": gettext_lazy("Unknown code “{value}” in the list “{code_list}”."),
        "excluded": gettext_lazy("“{value}” is not accepted in the list “{code_list}”."),
        "invalid": gettext_lazy("Give a code as a string."),
    }

    def __init__(self, code_list, **kwargs):
        self.code_list = code_list
        kwargs.setdefault("queryset", Code.objects.of(code_list))
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        shown = printable(data[:64]) + ("…" if len(data) > 64 else "")
        # a NUL byte is no code, and PostgreSQL refuses it in a query (a 500, not a 400)
        if shown != data or "\x00" in data:
            self.fail(
                "does_not_exist", value=shown.replace("\x00", "\\x00"), code_list=self.code_list
            )
        if data in excluded_codes(self.code_list):  # HIMAYA_EXCLUDED_COUNTRIES
            self.fail("excluded", value=shown, code_list=self.code_list)
        try:
            return self.get_queryset().get(code=data)
        except Code.DoesNotExist:
            self.fail("does_not_exist", value=shown, code_list=self.code_list)


@extend_schema_field(OpenApiTypes.STR)
class CodeOut(serializers.SlugRelatedField):
    """A code, read-only, as its code string."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", read_only=True, **kwargs)


def code_list_field(code_list, **kwargs):
    """Several codes of one list, as a JSON array of code strings."""
    return serializers.ManyRelatedField(
        child_relation=CodeField(code_list), allow_empty=True, **kwargs
    )


class ActingOrgMixin:
    # Token requests do not pass through the session middleware that names the acting
    # organisation for audit rows; name it here, for the duration of the request.

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if log.acting_org() is None:
            self._acting_org_token = log.set_acting_org(access.primary_org_id(request.user))

    def finalize_response(self, request, response, *args, **kwargs):
        token = getattr(self, "_acting_org_token", None)
        if token is not None:
            log.reset_acting_org(token)
            self._acting_org_token = None
        return super().finalize_response(request, response, *args, **kwargs)


def visible_or_404(queryset, model, pk, user, purpose="api"):
    """The API's form of core.shortcuts.get_visible_or_404: 404 for a hidden or missing
    record, the refused attempt audited with its purpose (DESIGN.md convention 3)."""
    return get_visible_or_404(
        queryset, user, pk, audit_type=model._meta.label_lower, purpose=purpose
    )


class ActingOrganisationField(serializers.IntegerField):
    """The organisation a create acts for: one of the user's victim-handling organisations.
    Optional when the user has only one."""

    def __init__(self, **kwargs):
        kwargs.setdefault("write_only", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "Id of the organisation you act for; optional when you belong to only one."
            ),
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        pk = super().to_internal_value(data)
        user = self.context["request"].user
        if pk not in access.victim_org_ids(user):  # also refuses 0, negatives, huge ids
            raise serializers.ValidationError(_("You cannot act for this organisation."))
        return Organisation.objects.get(pk=pk)


def resolve_acting_organisation(attrs, user):
    """Fill ``organisation`` when the user has exactly one; else it is required."""
    if attrs.get("organisation") is None:
        orgs = access.victim_org_ids(user)
        if len(orgs) != 1:
            raise serializers.ValidationError(
                {"organisation": _("Say which organisation you act for.")}
            )
        attrs["organisation"] = Organisation.objects.get(pk=next(iter(orgs)))
    return attrs


def require_version(serializer, attrs):
    """Updates must carry the version the client read (optimistic locking, R1)."""
    if serializer.instance is not None and attrs.get("version") is None:
        raise serializers.ValidationError(
            {"version": _("Send the version you read, to guard against lost updates.")}
        )
    return attrs


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "himaya.accounts.api_auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Bearer"
        )


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "himaya.accounts.api_auth.VerifiedSessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "A browser session that passed the second factor.",
        }


# --- organisations -------------------------------------------------------------------------


class OrganisationSerializer(StrictModelSerializer):
    type = CodeOut()
    region = CodeOut(allow_null=True)
    roles = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The roles that may be given in this organisation, by its type; others are refused."
        )
    )

    class Meta:
        model = Organisation
        fields = ["id", "name_ar", "name_fr", "name_en", "type", "region", "active", "roles"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Role.choices)))
    def get_roles(self, org):
        return access.roles_for_org_type(org.type.code)


class OrganisationViewSet(ActingOrgMixin, viewsets.ReadOnlyModelViewSet):
    """Organisations of the mechanism (not personal data: every member sees them)."""

    serializer_class = OrganisationSerializer
    lookup_value_regex = r"[0-9]{1,18}"
    queryset = Organisation.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        # By the name in the language of the answer, as the pages list them.
        return ordered_by(Organisation.objects.select_related("type", "region"), "name", "id")


# --- API tokens ----------------------------------------------------------------------------


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=gettext_lazy("What the token is for, e.g. the system that uses it."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        max_value=TOKEN_MAX_DAYS,
        initial=TOKEN_DEFAULT_DAYS,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        help_text=gettext_lazy("At most a year: a token is renewed, never left running."),
    )


def verified_login_required(view):
    """The /api/ prefix is outside the two-factor middleware; this page checks for itself.
    Like every route under /api/, it answers an anonymous request with 403 (not a redirect)."""

    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            raise PermissionDenied
        if not user.is_verified():
            has_device = user.totpdevice_set.filter(confirmed=True).exists()
            return redirect("accounts:verify" if has_device else "accounts:enrol")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@verified_login_required
@require_http_methods(["GET", "POST"])
def token_page(request):
    """The user's tokens, and a form to make one. A new token is shown once, on this
    response only; only its hash is kept."""
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = actions.issue_api_token(
            request.user,
            form.cleaned_data["name"],
            days=form.cleaned_data["days"],
            acting_user=request.user,
        )
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    now = timezone.now()
    rows = [
        {"token": t, "live": t.revoked_at is None and (t.expires_at is None or t.expires_at > now)}
        for t in tokens
    ]
    response = render(request, "accounts/api_tokens.html", {"form": form, "rows": rows, "raw": raw})
    if raw:
        response["Cache-Control"] = "no-store"
    return response


@verified_login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    actions.revoke_api_token(token, acting_user=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api:tokens")
