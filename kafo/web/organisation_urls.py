from django.urls import path

from kafo.web import accreditations
from kafo.web import organisations as views

app_name = "actors"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("export/", views.organisation_export, name="export"),
    path("new/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="organisation"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("accreditations/", accreditations.register, name="accreditations"),
    path("accreditations/new/", accreditations.accreditation_edit, name="accreditation_new"),
    path(
        "accreditations/<int:pk>/edit/",
        accreditations.accreditation_edit,
        name="accreditation_edit",
    ),
]
