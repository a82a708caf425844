from django.urls import path

from kafo.communities import views

app_name = "communities"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.focal_point_edit, name="focal_point_new"),
    path("<int:pk>/", views.focal_point_detail, name="focal_point"),
    path("<int:pk>/edit/", views.focal_point_edit, name="focal_point_edit"),
    path("<int:pk>/add/<str:part>/", views.focal_point_add, name="focal_point_add"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/outcome/", views.alert_outcome, name="alert_outcome"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage.geojson", views.coverage_geojson, name="coverage_geojson"),
]
