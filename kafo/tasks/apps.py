from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "kafo.tasks"
    label = "kafo_tasks"
    verbose_name = _("Background work")
