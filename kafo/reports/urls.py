from django.urls import path

from kafo.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="index"),
    path("bulletin/", views.bulletin_page, name="bulletin"),
    path("profile/", views.profile_page, name="profile"),
    path("capacity/", views.capacity, name="capacity"),
    path("minutes/<int:pk>.pdf", views.minutes, name="minutes"),
    path("minutes/<int:pk>/publish/", views.minutes_publish, name="minutes_publish"),
    path("article7/<str:treaty_code>/<int:year>/", views.article7_report, name="article7"),
    path("article7/<str:treaty_code>/<int:year>/edit/", views.article7_edit, name="article7_edit"),
    path(
        "article7/<str:treaty_code>/<int:year>/submit/",
        views.article7_submit,
        name="article7_submit",
    ),
    path(
        "article7/<str:treaty_code>/<int:year>/report.<str:kind>",
        views.article7_file,
        name="article7_file",
    ),
]
