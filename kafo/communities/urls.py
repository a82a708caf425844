from django.urls import path

from kafo.communities import views

app_name = "communities"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.focal_point_edit, name="focal_point_new"),
    path("<int:pk>/", views.focal_point_detail, name="focal_point"),
    path("<int:pk>/edit/", views.focal_point_edit, name="focal_point_edit"),
    path("<int:pk>/merge/", views.focal_point_merge, name="focal_point_merge"),
    path("<int:pk>/add/<str:part>/", views.focal_point_add, name="focal_point_add"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/outcome/", views.alert_outcome, name="alert_outcome"),
    path("messages/", views.library, name="library"),
    path("messages/new/", views.message_add, name="message_add"),
    path("messages/<int:pk>/approve/", views.message_approve, name="message_approve"),
    path("messages/<int:pk>/audio/", views.message_audio, name="message_audio"),
    path("campaigns/new/", views.campaign_add, name="campaign_add"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/send/", views.campaign_send, name="campaign_send"),
    path("deliveries/<int:pk>/feedback/", views.delivery_feedback, name="delivery_feedback"),
]
