from django.urls import path

from kafo.mineaction import views

app_name = "mineaction"
urlpatterns = [
    path("", views.mine_action_index, name="index"),
    path("reports/", views.report_list, name="reports"),
    path("reports/new/<str:kind>/", views.report_new, name="report_new"),
    path("reports/indication/", views.quick_hazard, name="quick_hazard"),
    path("reports/<str:reference>/", views.report_detail, name="report"),
    path("reports/<str:reference>/<str:action>/", views.report_action, name="report_action"),
    path("layers/<str:kind>.geojson", views.layer, name="layer"),
    path("<str:kind>/", views.record_list, name="list"),
    path("<str:kind>/export/", views.record_export, name="export"),
    path("<str:kind>/<str:reference>/", views.record_detail, name="record"),
]
