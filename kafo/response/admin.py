from django.contrib import admin

from kafo.response.models import Framework, Indicator, Objective


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 1
    fields = ["code", "level", "title", "parent"]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    """The coordination maintains strategies and plans here."""

    list_display = ["name", "kind", "owner", "start_year", "end_year"]
    list_filter = ["kind"]
    inlines = [ObjectiveInline]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 1


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "level", "framework"]
    list_filter = ["framework", "level"]
    search_fields = ["code", "title"]
    inlines = [IndicatorInline]
