from django.urls import path

from kafo.web import dashboards, views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("analysis/gaps/", dashboards.gaps_page, name="gaps"),
    path("analysis/gaps.geojson", dashboards.gaps_geojson, name="gaps_geojson"),
    path("analysis/duplicates/", dashboards.duplicates_page, name="duplicates"),
    path("analysis/equity/", dashboards.equity_page, name="equity"),
    path("analysis/equity.geojson", dashboards.equity_geojson, name="equity_geojson"),
    path("analysis/alignment/", dashboards.alignment_page, name="alignment"),
    path("analysis/priorities/", dashboards.priorities_page, name="priorities"),
    path("analysis/priorities.geojson", dashboards.priorities_geojson, name="priorities_geojson"),
    path("analysis/priorities/weights/", dashboards.priority_weights, name="priority_weights"),
]
