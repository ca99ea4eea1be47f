"""The configuration site (/sysadmin/): code lists. Superusers only; the site asks for the second
factor (OTPAdminSite). Every change is audited in the admin's own transaction."""

from django.contrib import admin

from himaya.audit import log

from .models import Code


class SuperuserOnlyMixin:
    """The configuration site is for system administrators, not for every staff account."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdminMixin:
    """Writes through the admin leave an audit row, like every other write."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = f"admin_{'change' if change else 'add'}_{obj._meta.model_name}"
        fields = [f for f in form.changed_data if not f.startswith("password")]
        if "password1" in form.changed_data or "password" in form.changed_data:
            fields.append("password")  # the field's name only, never a value
        log.write(request.user, action, obj, fields)


@admin.register(Code)
class CodeAdmin(SuperuserOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "list", "label_ar", "label_fr", "label_en", "htcds", "active"]
    list_editable = ["label_ar", "label_fr", "label_en", "htcds", "active"]
    list_filter = ["list", "active"]
    search_fields = ["code", "label_ar", "label_fr", "label_en", "htcds"]
    ordering = ["list", "sort", "code"]
    list_per_page = 100
    raw_id_fields = ["parent"]
