from django.urls import path

from kafo.web import dashboards, views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("analysis/gaps/", dashboards.gaps_page, name="gaps"),
    path("analysis/gaps.geojson", dashboards.gaps_geojson, name="gaps_geojson"),
]
