from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "kafo.library"
    label = "library"
    verbose_name = _("Good-practice library")

    def ready(self) -> None:
        from kafo.library import signals  # noqa: F401  (search kept in step with each save)
