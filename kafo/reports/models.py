"""Treaty reports a national authority sends: the Article 7 transparency reports of the
Ottawa Convention (APMBC) and of the Convention on Cluster Munitions (CCM), drafted from
the validated records, with the forms Kafo holds nothing for written on the page. A
draft is versioned (each edit kept, with who and when) and frozen when submitted."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kafo.sensitivity import NATIONAL_IM, Sensitivity, classed, protect


class Treaty(models.TextChoices):
    APMBC = "apmbc", _("Anti-Personnel Mine Ban Convention (Ottawa)")
    CCM = "ccm", _("Convention on Cluster Munitions")


class TreatyReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted (frozen)")


@protect(rows=Sensitivity.NATIONAL_IM,
         fields=classed(NATIONAL_IM, "id treaty year status texts frozen created_at "
                                     "submitted_at submitted_by"))  # fmt: skip
class TreatyReport(models.Model):
    """One treaty's Article 7 report for a calendar year: the texts of the forms Kafo
    holds nothing for, and once submitted, every form as it was sent (`frozen`)."""

    treaty = models.CharField(_("treaty"), max_length=8, choices=Treaty.choices)
    year = models.PositiveSmallIntegerField(_("year covered"))
    status = models.CharField(_("status"), max_length=10, choices=TreatyReportStatus.choices,
                              default=TreatyReportStatus.DRAFT)  # fmt: skip
    # Form code → the text written on the page (the latest version of each).
    texts = models.JSONField(_("texts of the forms"), default=dict, blank=True)
    # The forms as submitted (figures, rows, texts): what was sent, whatever the records
    # become after.
    frozen = models.JSONField(_("forms as submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("submitted by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("treaty report")
        verbose_name_plural = _("treaty reports")
        ordering = ["treaty", "-year"]
        constraints = [models.UniqueConstraint(fields=["treaty", "year"], name="one_report_a_year")]

    def __str__(self) -> str:
        return f"{self.get_treaty_display()} {self.year}"


@protect(rows=Sensitivity.NATIONAL_IM,
         fields=classed(NATIONAL_IM, "id report form text edited_by edited_at"))  # fmt: skip
class TreatyReportEdit(models.Model):
    """A version of one form's text: who wrote what, and when."""

    report = models.ForeignKey(TreatyReport, on_delete=models.CASCADE, related_name="edits",
                               verbose_name=_("report"))  # fmt: skip
    form = models.CharField(_("form"), max_length=16)  # a form's code, or "contact"
    text = models.TextField(_("text"), blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("edited by"),
    )  # fmt: skip
    edited_at = models.DateTimeField(_("edited at"), default=timezone.now)

    class Meta:
        verbose_name = _("version of a form's text")
        verbose_name_plural = _("versions of the forms' texts")
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report} {self.form} {self.edited_at:%Y-%m-%d %H:%M}"
