"""The audit trail in the configuration site: readable by system administrators, never
writable (it is append-only; the database refuses changes too)."""

from django.contrib import admin

from .models import AccessEvent, AuditEvent


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
