from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "kafo.interop"
    label = "interop"
    verbose_name = _("Information sharing (HXL, IATI)")
