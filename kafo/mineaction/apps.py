from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MineActionConfig(AppConfig):
    name = "kafo.mineaction"
    label = "mineaction"
    verbose_name = _("Mine action")

    def ready(self) -> None:
        # Here, not at the top: the models are ready only now.
        import functools

        from kafo.mineaction.kinds import KINDS
        from kafo.mineaction.views import record_layer_export
        from kafo.security.exports import register_layer_export

        # Each kind's map layer as a GeoPackage, past KAFO_EXPORT_ROWS_IN_REQUEST records,
        # is written by a task.
        for code in KINDS:
            register_layer_export(code, functools.partial(record_layer_export, code=code))
