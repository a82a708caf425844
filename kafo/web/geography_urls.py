from django.urls import path

from kafo.web import geography as views

app_name = "geo"
urlpatterns = [
    path("", views.index, name="index"),
    path("units.geojson", views.units_geojson, name="units_geojson"),
    path("<int:version_id>/<str:pcode>/", views.unit_detail, name="unit"),
]
