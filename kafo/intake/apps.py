from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "kafo.intake"
    label = "intake"
    verbose_name = _("Field intake (KoBoToolbox, ODK Central)")

    def ready(self) -> None:
        # Here, not at the top: the models are ready only now.
        from django.db.models.signals import post_save

        from kafo.intake.signals import outcome_written_back
        from kafo.mineaction.models import FieldReport

        post_save.connect(outcome_written_back, sender=FieldReport,
                          dispatch_uid="intake-write-back")  # fmt: skip
