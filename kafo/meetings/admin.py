from django.contrib import admin

from kafo.meetings.models import ActionPoint, Attendance, CoordinationBody, Decision, Meeting


@admin.register(CoordinationBody)
class CoordinationBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "lead", "active"]
    list_filter = ["kind", "level", "active"]
    search_fields = ["name", "acronym"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "starts_at"]
    list_filter = ["body"]
    inlines = [AttendanceInline]


admin.site.register(Decision)


@admin.register(ActionPoint)
class ActionPointAdmin(admin.ModelAdmin):
    list_display = ["text", "owner", "deadline", "status"]
    list_filter = ["status"]
