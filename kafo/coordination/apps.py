from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    """The Django side of the engines: the analyses (their registry, pages, API answers
    and `kafo analyse`), the joint plans and the data the engines read."""

    name = "kafo.coordination"
    verbose_name = _("Coordination")
