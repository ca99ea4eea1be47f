"""Code lists, organisations and accounts in the configuration site (/sysadmin/, superusers
only; the site asks for the second factor: OTPAdminSite). Every change is audited in the
admin's own transaction."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from himaya.audit import log
from himaya.audit.admin import AuditedAdminMixin, SuperuserOnlyMixin
from himaya.core.models import Code
from himaya.core.shortcuts import parse_id

from . import actions
from .models import Membership, Organisation, User


@admin.register(Code)
class CodeAdmin(SuperuserOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "list", "label_ar", "label_fr", "label_en", "htcds", "active"]
    list_editable = ["label_ar", "label_fr", "label_en", "htcds", "active"]
    list_filter = ["list", "active"]
    search_fields = ["code", "label_ar", "label_fr", "label_en", "htcds"]
    ordering = ["list", "sort", "code"]
    list_per_page = 100
    raw_id_fields = ["parent"]


@admin.register(Organisation)
class OrganisationAdmin(SuperuserOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name_fr", "name_ar", "name_en", "type", "region", "active"]
    list_filter = ["active", "type", "region"]
    search_fields = ["name_ar", "name_fr", "name_en"]
    readonly_fields = ["created_at", "version"]

    def save_model(self, request, obj, form, change):
        if change:
            # Editors holding the old version in the organisation pages now get a conflict.
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db(fields=["version"])


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["organisation", "role", "active", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["organisation"]

    def has_delete_permission(self, request, obj=None):
        return False  # end a role by deactivating it: the history stays


class HimayaUserChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].help_text = _(
                "Only the account's owner chooses its password. To replace a forgotten one, use "
                "“Reset password” on the account's page under Organisations: a link is e-mailed "
                "to the owner."
            )


@admin.register(User)
class UserAdmin(SuperuserOnlyMixin, AuditedAdminMixin, DjangoUserAdmin):
    """Accounts are created and their passwords reset from the organisation pages, which
    e-mail an activation link to the owner: nobody but the owner ever knows a password, a
    system administrator included, so none is typed here."""

    def has_add_permission(self, request):
        return False

    form = HimayaUserChangeForm
    inlines = [MembershipInline]
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "is_superuser",
        "last_login",
    ]
    list_filter = ["is_active", "is_superuser", "is_staff", "memberships__organisation"]
    readonly_fields = ["last_login", "date_joined", "is_demo"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Himaya"), {"fields": ["preferred_language", "is_demo"]}),
    )

    def save_model(self, request, obj, form, change):
        if change and {"is_active", "is_superuser", "is_staff", "password"} & set(
            form.changed_data
        ):
            # A changed privilege or a closed account: sessions and API tokens end, as with
            # the organisation pages' actions.
            actions.end_sessions_and_tokens(obj, [])
            if "is_active" in form.changed_data and not obj.is_active:
                obj.set_unusable_password()  # no older activation link may reopen it
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for membership in formset.new_objects:
            log.write(
                request.user,
                "admin_add_membership",
                membership,
                ["user", "organisation", "role", "active"],
                organisation_id=membership.organisation_id,
            )
        for membership, fields in formset.changed_objects:
            log.write(
                request.user,
                "admin_change_membership",
                membership,
                fields,
                organisation_id=membership.organisation_id,
            )

    def user_change_password(self, request, id, form_url=""):
        if not (self.has_change_permission(request) and parse_id(id)):
            raise Http404
        messages.info(
            request,
            _("Passwords are reset by e-mailing an activation link to the account's owner."),
        )
        return redirect("orgs:user_detail", pk=int(id))
