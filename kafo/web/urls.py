from django.urls import path

from kafo.web import offline, overviews, views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("offline/", offline.offline, name="offline"),
    path("response/", overviews.overview, name="overview"),
    path("response/organisation/", overviews.organisation_work, name="my_organisation"),
    path("response/organisation/<int:pk>/", overviews.organisation_work, name="organisation_work"),
]
