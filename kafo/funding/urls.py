from django.urls import path

from kafo.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.transaction_list, name="transactions"),
    path("export/", views.transaction_export, name="export"),
    path("localisation/", views.localisation_page, name="localisation"),
    path("new/", views.transaction_edit, name="transaction_new"),
    path("<int:pk>/", views.transaction_detail, name="transaction"),
    path("<int:pk>/edit/", views.transaction_edit, name="transaction_edit"),
]
