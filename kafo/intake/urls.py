from django.urls import path

from kafo.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.source_list, name="sources"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/<str:action>/", views.submission_action, name="submission_action"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("forms/hazards.csv", views.hazards_file, name="hazards_export"),
    path("forms/<str:kind>.xlsx", views.form_download, name="form"),
]
