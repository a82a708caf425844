from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponseConfig(AppConfig):
    name = "kafo.response"
    label = "response"
    verbose_name = _("Response (5W, resources, strategies)")

    def ready(self) -> None:
        # Here, not at the top: the models are ready only now.
        from kafo.response.activities.exports import activity_export_table, activity_layer_export
        from kafo.security.exports import register_export, register_layer_export

        # The 5W's Excel workbook and its map's GeoPackage, past KAFO_EXPORT_ROWS_IN_REQUEST
        # rows, are written by a task.
        register_export("5w", activity_export_table)
        register_layer_export("activities", activity_layer_export)
