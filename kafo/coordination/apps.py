from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    """The Django side of the engines: the analyses (their registry, pages, API answers
    and `kafo analyse`), the joint plans and the data the engines read."""

    name = "kafo.coordination"
    verbose_name = _("Coordination")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_install_triggers, sender=self)


def _install_triggers(sender, using: str = "default", **kwargs) -> None:
    # After every migrate: a rebuilt table (SQLite) lost its triggers; data may have moved.
    from kafo.coordination.cache import install_triggers

    install_triggers(using)
