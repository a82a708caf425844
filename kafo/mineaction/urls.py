from django.urls import path

from kafo.mineaction import views

app_name = "mineaction"
urlpatterns = [
    path("accidents/", views.accident_list, name="accidents"),
    path("accidents/export/", views.accident_export, name="accident_export"),
    path("accidents.geojson", views.accidents_geojson, name="accidents_geojson"),
    path("accidents/<str:reference>/", views.accident_detail, name="accident"),
    path("victims/<str:reference>/", views.victim_detail, name="victim"),
    path("reports/", views.report_list, name="reports"),
    path("reports/new/<str:kind>/", views.report_new, name="report_new"),
    path("reports/<str:reference>/", views.report_detail, name="report"),
    path("reports/<str:reference>/<str:action>/", views.report_action, name="report_action"),
]
