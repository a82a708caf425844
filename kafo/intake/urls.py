from django.urls import path

from kafo.intake import views

app_name = "intake"
urlpatterns = [
    path("forms/hazards.csv", views.hazards_file, name="hazards"),
    path("forms/<str:kind>.xlsx", views.form_download, name="form"),
]
