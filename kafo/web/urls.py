from django.urls import path

from kafo.web import overviews, views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("response/", overviews.overview, name="overview"),
    path("response/organisation/", overviews.organisation_work, name="my_organisation"),
    path("response/organisation/<int:pk>/", overviews.organisation_work, name="organisation_work"),
]
