from django.contrib import admin

from kafo.reports.models import TreatyReport, TreatyReportEdit


class EditInline(admin.TabularInline):
    model = TreatyReportEdit
    extra = 0
    readonly_fields = ["form", "text", "edited_by", "edited_at"]


@admin.register(TreatyReport)
class TreatyReportAdmin(admin.ModelAdmin):
    """Drafted and submitted on their page (Situation → Treaty reports); here to read."""

    list_display = ["treaty", "year", "status", "submitted_at", "submitted_by"]
    readonly_fields = ["frozen", "submitted_at", "submitted_by"]
    inlines = [EditInline]
