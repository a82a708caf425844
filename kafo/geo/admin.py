from django.contrib import admin

from kafo.geo.models import AdminUnit, CodVersion


@admin.register(CodVersion)
class CodVersionAdmin(admin.ModelAdmin):
    list_display = ["country", "name", "is_active", "is_demo", "imported_at"]
    list_filter = ["country", "is_active", "is_demo"]
    readonly_fields = ["imported_at"]


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["pcode", "name", "level", "cod_version", "population", "area_km2"]
    list_filter = ["cod_version", "level"]
    search_fields = ["pcode", "name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["area_km2"]
    exclude = ["display_geojson"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("geometry", "display_geojson")
