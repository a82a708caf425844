from django.contrib.auth import views as auth_views
from django.urls import path

from kafo.security import accounts, export_views, views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=accounts.LoginForm),
        name="login",
    ),
    path("logout/", accounts.clear_site_data(auth_views.LogoutView.as_view()), name="logout"),
    path("second-factor/", accounts.second_factor, name="second_factor"),
    path("second-factor/setup/", accounts.second_factor_setup, name="second_factor_setup"),
    path("security/", accounts.account_security, name="account_security"),
    path("exports/<uuid:pk>/", export_views.export_file, name="export_file"),
    path("exports/<uuid:pk>/progress/", export_views.export_progress, name="export_progress"),
    path("exports/<uuid:pk>/download/", export_views.export_download, name="export_download"),
    path("personal-data/<str:model>/<int:pk>/", views.personal_data_page, name="personal_data"),
    path(
        "personal-data/<str:model>/<int:pk>/export/",
        views.personal_data_export,
        name="personal_data_export",
    ),
    path(
        "personal-data/<str:model>/<int:pk>/anonymise/",
        views.personal_data_anonymise,
        name="personal_data_anonymise",
    ),
]
