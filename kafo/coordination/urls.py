"""The coordination's pages: every analysis of the registry (its page and, when it has
one, its map), the priority weights and the joint plans."""

from django.urls import path

from kafo.coordination import plan_views, views
from kafo.coordination.registry import ANALYSES

urlpatterns = [
    *(path(a.path, views.analysis_page, {"name": a.name}, name=a.page)
      for a in ANALYSES.values()),
    *(path(a.path.rstrip("/") + ".geojson", views.analysis_map, {"name": a.name},
           name=f"{a.page}_geojson")
      for a in ANALYSES.values() if a.features),
    path("analysis/priorities/weights/", views.priority_weights, name="priority_weights"),
    path("response/plans/", plan_views.plan_list, name="plans"),
    path("response/plans/new/", plan_views.plan_new, name="plan_new"),
    path("response/plans/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("response/plans/<int:pk>/progress/", plan_views.plan_progress, name="plan_progress"),
    path("response/plans/<int:pk>/map.geojson", plan_views.plan_geojson, name="plan_geojson"),
    path("response/plans/<int:pk>/export/", plan_views.plan_export, name="plan_export"),
    path("response/plans/<int:pk>/<str:action>/", plan_views.plan_status, name="plan_status"),
    path("response/plans/assignments/<int:pk>/<str:action>/", plan_views.plan_answer,
         name="plan_answer"),
]  # fmt: skip
