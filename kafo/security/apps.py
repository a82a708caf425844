from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "kafo.security"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from django.apps import apps
        from django.contrib import admin
        from django.contrib.auth import user_logged_in

        # The admin is Kafo's reference data, in the user's language: not "Django
        # administration", nor the raw label "OTP_TOTP".
        admin.site.site_header = _("Kafo · reference data")
        admin.site.site_title = _("Kafo reference data")
        admin.site.index_title = _("Reference data")
        if apps.is_installed("django_otp.plugins.otp_totp"):
            apps.get_app_config("otp_totp").verbose_name = _("Authenticator applications")

        # Once the apps are loaded: the receivers and checks read every model.
        from kafo.security import audit, checks  # noqa: F401  (signal receivers, checks)
        from kafo.security.accounts import mark_login_time

        user_logged_in.connect(mark_login_time, dispatch_uid="kafo_login_time")
