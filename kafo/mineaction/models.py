"""Mine action records, kept the IMSMA way.

Nothing is typed into a record directly: every change arrives as a `FieldReport`
(who, which organisation, date of information, source), goes through the workflow
submitted → verified → accepted → validated, and the record's current view is
recomputed from its validated reports in date-of-information order. The record
tables (`Accident`, `Victim`, ...) hold that validated current view, which feeds the
official figures; the reports hold the whole history.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kafo.mineaction.vocabularies import (
    AccidentType,
    ActivityAtTime,
    DeviceCategory,
    DisabilityOutcome,
    Displacement,
    Outcome,
    Sex,
    VictimStatus,
    YesNoUnknown,
)  # fmt: skip
from kafo.security.sensitivity import (
    NATIONAL_IM,
    PARTNERS,
    RESTRICTED,
    PersonalData,
    Sensitivity,
    classed,
    protect,
)  # fmt: skip


class RecordKind(models.TextChoices):
    ACCIDENT = "accident", _("Accident")
    VICTIM = "victim", _("Victim")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified by the organisation")
    ACCEPTED = "accepted", _("Accepted")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")


@protect(
    owner="organisation_id",
    rows=Sensitivity.PARTNERS,
    fields={
        **classed(
            PARTNERS,
            "id reference kind record_reference organisation status date_of_information "
            "submitted_at warnings verified_at accepted_at validated_at rejected_reason",
        ),
        **classed(NATIONAL_IM, "source submitted_by verified_by accepted_by validated_by"),
        # Holds the reported values; each key is shown by the class of its record field.
        "data": RESTRICTED,
    },
)
class FieldReport(models.Model):
    """One report about one record: a creation or a correction, never overwritten."""

    # Given once saved: "FR-" and the row number, so no two reports can collide.
    reference = models.CharField(_("reference"), max_length=32, unique=True, null=True)  # noqa: DJ001
    kind = models.CharField(_("record type"), max_length=16, choices=RecordKind.choices)
    record_reference = models.CharField(_("record"), max_length=32, db_index=True, blank=True)
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="field_reports",
        verbose_name=_("reporting organisation"),
    )  # fmt: skip
    date_of_information = models.DateField(_("date of information"))
    source = models.CharField(_("source"), max_length=255, blank=True)
    data = models.JSONField(_("reported values"), default=dict)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("submitted by"),
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("verified by"),
    )  # fmt: skip
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("accepted by"),
    )  # fmt: skip
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("validated by"),
    )  # fmt: skip
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    rejected_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("field report")
        verbose_name_plural = _("field reports")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["kind", "record_reference", "status"])]

    def __str__(self) -> str:
        return self.reference or f"FR-{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("mineaction:report", args=[self.reference])

    def audit_label(self) -> str:
        return f"{self.reference} ({self.kind} {self.record_reference})"


class Record(models.Model):
    """What every record has: a stable reference and the organisation that reported it."""

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("reporting organisation"),
    )  # fmt: skip
    validated_at = models.DateTimeField(_("last validated"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference

    def audit_label(self) -> str:
        return self.reference


@protect(
    owner="organisation_id",
    rows=Sensitivity.PARTNERS,
    fields={
        **classed(
            PARTNERS,
            "id reference organisation validated_at date admin_unit device_category "
            "accident_type activity_at_time area_marked",
        ),
        # Exact places can get people killed: national IM and the reporting partner only.
        **classed(NATIONAL_IM, "longitude latitude place_description narrative"),
    },
    generalised_by={"longitude": "admin_unit", "latitude": "admin_unit"},
)
class Accident(Record):
    date = models.DateField(_("date of the accident"))
    longitude = models.FloatField(_("longitude"))
    latitude = models.FloatField(_("latitude"))
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("admin unit"),
    )  # fmt: skip
    place_description = models.CharField(_("place"), max_length=255, blank=True)
    device_category = models.CharField(
        _("device category"), max_length=32, choices=DeviceCategory.choices
    )
    accident_type = models.CharField(
        _("accident type"), max_length=16, choices=AccidentType.choices
    )
    activity_at_time = models.CharField(
        _("activity at the time"), max_length=32, choices=ActivityAtTime.choices,
        default=ActivityAtTime.UNKNOWN,
    )  # fmt: skip
    area_marked = models.CharField(
        _("area marked"), max_length=8, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    narrative = models.TextField(_("narrative"), blank=True)

    class Meta:
        verbose_name = _("accident")
        verbose_name_plural = _("accidents")
        ordering = ["-date", "reference"]

    def get_absolute_url(self) -> str:
        return reverse("mineaction:accident", args=[self.reference])


def _victim_assistance(victim) -> list:
    return []


def _scrub_victim_reports(victim) -> None:
    from kafo.mineaction.reports import scrub_reports

    scrub_reports(RecordKind.VICTIM, victim.reference, Victim._kafo_policy.personal.erase)


@protect(
    owner="organisation_id",
    rows=Sensitivity.PARTNERS,
    fields={
        **classed(
            PARTNERS,
            "id reference organisation validated_at accident outcome sex age status "
            "disability_outcome displacement risk_education_before",
        ),
        **classed(NATIONAL_IM, "injuries anonymised_at"),
        **classed(RESTRICTED, "name id_number phone address"),
    },
    personal=PersonalData(
        erase=("name", "id_number", "phone", "address", "injuries"),
        retention_date="accident__date",
        related=_victim_assistance,
        scrub=_scrub_victim_reports,
    ),
)
class Victim(Record):
    accident = models.ForeignKey(
        Accident, on_delete=models.PROTECT, related_name="victims", verbose_name=_("accident")
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    age = models.PositiveSmallIntegerField(
        _("age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    status = models.CharField(
        _("civilian or military"), max_length=16, choices=VictimStatus.choices,
        default=VictimStatus.CIVILIAN,
    )  # fmt: skip
    injuries = models.CharField(_("injuries"), max_length=255, blank=True)
    disability_outcome = models.CharField(
        _("disability outcome"), max_length=32, choices=DisabilityOutcome.choices,
        default=DisabilityOutcome.UNKNOWN,
    )  # fmt: skip
    displacement = models.CharField(
        _("displacement status"), max_length=16, choices=Displacement.choices,
        default=Displacement.UNKNOWN,
    )  # fmt: skip
    risk_education_before = models.CharField(
        _("risk education received before"), max_length=8, choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200, blank=True)
    id_number = models.CharField(_("ID number"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("victim")
        verbose_name_plural = _("victims")
        ordering = ["reference"]

    def get_absolute_url(self) -> str:
        return reverse("mineaction:victim", args=[self.reference])

    @property
    def is_child(self) -> bool | None:
        return None if self.age is None else self.age < 18
