from django.urls import path

from kafo.response import views

app_name = "response"
urlpatterns = [
    path("activities/", views.activity_list, name="activities"),
    path("activities/export/", views.activity_export, name="activity_export"),
    path("activities.geojson", views.activities_geojson, name="activities_geojson"),
    path("activities/new/", views.activity_edit, name="activity_new"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("needs/", views.need_list, name="needs"),
    path("needs/export/", views.need_export, name="need_export"),
    path("access/", views.access_list, name="access"),
    path("access/new/", views.access_edit, name="access_new"),
    path("access/<int:pk>/edit/", views.access_edit, name="access_edit"),
    path("resources/", views.sharing_board, name="sharing_board"),
    path("resources.geojson", views.resources_geojson, name="resources_geojson"),
    path("resources/new/", views.resource_edit, name="resource_new"),
    path("resources/<int:pk>/", views.resource_detail, name="resource"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/request/", views.loan_request, name="loan_request"),
    path("loans/<int:pk>/<str:action>/", views.loan_decide, name="loan_decide"),
    path("strategies/", views.framework_list, name="frameworks"),
    path("strategies/new/", views.framework_new, name="framework_new"),
    path("strategies/<int:pk>/", views.framework_detail, name="framework"),
    path("strategies/<int:pk>/add/<str:part>/", views.framework_add, name="framework_add"),
]
