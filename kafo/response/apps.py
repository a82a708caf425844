from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponseConfig(AppConfig):
    name = "kafo.response"
    label = "response"
    verbose_name = _("Response (5W, resources, strategies)")
