from django.contrib import admin

from kafo.security.models import AuditEvent, RetentionRule


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log can be searched and read, never changed."""

    list_display = ["at", "action", "username", "organisation", "object_type", "object_label", "ip"]
    list_filter = ["action", "object_type", "role"]
    search_fields = ["username", "object_label", "object_id", "ip", "path"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["model", "keep_days", "action", "note"]
