from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "kafo.security"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from django.contrib.auth import user_logged_in

        from kafo.security import audit, checks  # noqa: F401  (signal receivers, checks)
        from kafo.security.accounts import mark_login_time

        user_logged_in.connect(mark_login_time, dispatch_uid="kafo_login_time")
