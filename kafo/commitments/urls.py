from django.urls import path

from kafo.commitments import views

app_name = "commitments"
urlpatterns = [
    path("", views.framework_list, name="frameworks"),
    path("import/", views.import_document, name="import"),
    path("<int:pk>/", views.framework_detail, name="framework"),
    path("<int:pk>/drafts/", views.drafts, name="drafts"),
    path("<int:pk>/export/", views.export, name="export"),
    path("commitment/<int:pk>/", views.commitment_detail, name="commitment"),
    path("commitment/<int:pk>/assess/", views.assess, name="assess"),
    path("commitment/<int:pk>/review/", views.review, name="review"),
    path("assessment/<int:pk>/validate/", views.validate, name="validate"),
    path("party/<int:pk>/", views.party, name="party"),
]
