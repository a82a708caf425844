"""Field intake: the versions of Kafo's own forms given out, so that a submission names
a form Kafo knows."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FormVersion(models.Model):
    """A version of one of Kafo's XLSForms, recorded when it was first written out
    (`kafo xlsform`, or its download on the imports page)."""

    kind = models.CharField(_("form"), max_length=16)
    form_id = models.CharField(_("form id"), max_length=64)
    version = models.CharField(_("version"), max_length=64)
    written_at = models.DateTimeField(_("first written"), default=timezone.now)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        constraints = [
            models.UniqueConstraint(fields=["form_id", "version"], name="intake_form_version")
        ]
        ordering = ["kind", "-written_at"]

    def __str__(self) -> str:
        return f"{self.form_id} {self.version}"
