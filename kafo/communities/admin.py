from django.contrib import admin

from kafo.communities.models import Alert, Campaign, Consent, FocalPoint, KeyMessage


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 1
    fields = ["given_on", "scope", "withdrawn_on", "note"]


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    """Staff maintain focal points here until their pages come (restricted data)."""

    list_display = ["role", "admin_unit", "organisation", "shared", "active"]
    list_filter = ["role", "shared", "active"]
    inlines = [ConsentInline]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["kind", "reported_at", "admin_unit", "status", "field_report"]
    list_filter = ["kind", "status"]


admin.site.register(KeyMessage)
admin.site.register(Campaign)
