"""The audit trail in the configuration site: readable by system administrators, never
writable (it is append-only; the database refuses changes too). And the two mixins every other
admin of the configuration site uses: superusers only, every write audited."""

from django.contrib import admin

from . import log
from .models import AccessEvent, AuditEvent


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


class ReadOnlyAdmin(admin.ModelAdmin):
    list_per_page = 100
    date_hierarchy = "at"

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}  # no bulk delete


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "outcome",
        "request_id",
    ]
    list_filter = ["action", "outcome", "object_type"]
    search_fields = ["request_id", "actor_username"]


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "actor_username",
        "purpose",
        "object_type",
        "object_id",
        "outcome",
        "request_id",
    ]
    list_filter = ["purpose", "outcome", "object_type"]
    search_fields = ["request_id", "actor_username"]
