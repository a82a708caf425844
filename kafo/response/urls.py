"""The 5W, the sharing board and the strategies."""

from django.urls import path

from kafo.response.activities import views as activities
from kafo.response.sharing import views as sharing
from kafo.response.strategies import views as strategies

app_name = "response"
urlpatterns = [
    path("activities/", activities.activity_list, name="activities"),
    path("activities/export/", activities.activity_export, name="activity_export"),
    path("activities.geojson", activities.activities_geojson, name="activities_geojson"),
    path("activities/new/", activities.activity_edit, name="activity_new"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("needs/", activities.need_list, name="needs"),
    path("needs/export/", activities.need_export, name="need_export"),
    path("access/", activities.access_list, name="access"),
    path("access/new/", activities.access_edit, name="access_new"),
    path("access/<int:pk>/edit/", activities.access_edit, name="access_edit"),
    path("resources/", sharing.sharing_board, name="sharing_board"),
    path("resources.geojson", sharing.resources_geojson, name="resources_geojson"),
    path("resources/new/", sharing.resource_edit, name="resource_new"),
    path("resources/<int:pk>/", sharing.resource_detail, name="resource"),
    path("resources/<int:pk>/edit/", sharing.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/request/", sharing.loan_request, name="loan_request"),
    path("loans/<int:pk>/<str:action>/", sharing.loan_decide, name="loan_decide"),
    path("strategies/", strategies.framework_list, name="frameworks"),
    path("strategies/new/", strategies.framework_new, name="framework_new"),
    path("strategies/<int:pk>/", strategies.framework_detail, name="framework"),
    path("strategies/<int:pk>/add/<str:part>/", strategies.framework_add, name="framework_add"),
]
