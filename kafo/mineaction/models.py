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

from kafo.mineaction import vocabularies as v
from kafo.sensitivity import (
    NATIONAL_IM,
    PARTNERS,
    PUBLIC,
    RESTRICTED,
    PersonalData,
    Sensitivity,
    classed,
    protect,
)


class RecordKind(models.TextChoices):
    HAZARD = "hazard", _("Hazard")
    ACTIVITY = "activity", _("Land release activity")
    DEVICE = "device", _("Device found")
    ACCIDENT = "accident", _("Accident")
    VICTIM = "victim", _("Victim")
    EORE = "eore", _("Risk education session")
    ASSISTANCE = "assistance", _("Victim assistance")
    QUALITY = "quality", _("Quality management visit")


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
        _("device category"), max_length=32, choices=v.DeviceCategory.choices
    )
    accident_type = models.CharField(
        _("accident type"), max_length=16, choices=v.AccidentType.choices
    )
    activity_at_time = models.CharField(
        _("activity at the time"), max_length=32, choices=v.ActivityAtTime.choices,
        default=v.ActivityAtTime.UNKNOWN,
    )  # fmt: skip
    area_marked = models.CharField(
        _("area marked"),
        max_length=8,
        choices=v.YesNoUnknown.choices,
        default=v.YesNoUnknown.UNKNOWN,
    )
    narrative = models.TextField(_("narrative"), blank=True)

    class Meta:
        verbose_name = _("accident")
        verbose_name_plural = _("accidents")
        ordering = ["-date", "reference"]

    def get_absolute_url(self) -> str:
        return reverse("mineaction:record", args=["accident", self.reference])


def _victim_assistance(victim) -> list:
    return list(victim.assistance.all())


def _scrub_victim_reports(victim) -> None:
    # Here, not at the top: the reports module reads these models.
    from kafo.mineaction.reports import scrub_reports

    scrub_reports(RecordKind.VICTIM, victim.reference, Victim._kafo_policy.personal.erase)


@protect(
    owner="organisation_id",
    rows=Sensitivity.PARTNERS,
    fields={
        **classed(
            PARTNERS,
            "id reference organisation validated_at accident outcome sex age status "
            "risk_education_before",
        ),
        # Being displaced, with the accident's place and date, can point at a person.
        **classed(NATIONAL_IM, "anonymised_at displacement"),
        # Health data (injuries, disability) is a person's most sensitive data: like the
        # name, only the owning organisation's editors and the national IM team read it,
        # not viewers.
        **classed(RESTRICTED, "name id_number phone address injuries disability_outcome"),
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
    outcome = models.CharField(_("outcome"), max_length=8, choices=v.Outcome.choices)
    sex = models.CharField(_("sex"), max_length=8, choices=v.Sex.choices)
    age = models.PositiveSmallIntegerField(
        _("age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    status = models.CharField(
        _("civilian or military"), max_length=16, choices=v.VictimStatus.choices,
        default=v.VictimStatus.CIVILIAN,
    )  # fmt: skip
    injuries = models.CharField(_("injuries"), max_length=255, blank=True)
    disability_outcome = models.CharField(
        _("disability outcome"), max_length=32, choices=v.DisabilityOutcome.choices,
        default=v.DisabilityOutcome.UNKNOWN,
    )  # fmt: skip
    displacement = models.CharField(
        _("displacement status"), max_length=16, choices=v.Displacement.choices,
        default=v.Displacement.UNKNOWN,
    )  # fmt: skip
    risk_education_before = models.CharField(
        _("risk education received before"), max_length=8, choices=v.YesNoUnknown.choices,
        default=v.YesNoUnknown.UNKNOWN,
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
        return reverse("mineaction:record", args=["victim", self.reference])


_AREA = "id reference organisation validated_at admin_unit"


@protect(
    owner="organisation_id",
    rows=Sensitivity.PARTNERS,
    fields=classed(
        PARTNERS,
        f"{_AREA} name classification status geometry longitude latitude min_lon min_lat "
        "max_lon max_lat estimated_area_m2 remaining_area_m2 evidence_type evidence "
        "contamination blockages women men girls boys description",
    ),
)
class Hazard(Record):
    """A hazardous area (indication, SHA, CHA...). Areas in m²; geometry in GeoJSON."""

    name = models.CharField(_("local name"), max_length=200, blank=True)
    classification = models.CharField(
        _("classification"), max_length=24, choices=v.HazardClassification.choices
    )
    status = models.CharField(
        _("status"), max_length=16, choices=v.HazardStatus.choices, default=v.HazardStatus.OPEN
    )
    geometry = models.TextField(_("polygon (GeoJSON)"), blank=True)
    longitude = models.FloatField(_("longitude"))
    latitude = models.FloatField(_("latitude"))
    min_lon = models.FloatField(null=True, editable=False)
    min_lat = models.FloatField(null=True, editable=False)
    max_lon = models.FloatField(null=True, editable=False)
    max_lat = models.FloatField(null=True, editable=False)
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("admin unit"),
    )  # fmt: skip
    estimated_area_m2 = models.FloatField(_("estimated area (m²)"), null=True, blank=True)
    remaining_area_m2 = models.FloatField(_("remaining area (m²)"), null=True, blank=True)
    evidence_type = models.CharField(_("evidence"), max_length=16, choices=v.EvidenceType.choices)
    evidence = models.JSONField(_("evidence seen"), default=list, blank=True)
    contamination = models.JSONField(_("contamination"), default=list)
    blockages = models.JSONField(_("blockages"), default=list, blank=True)
    women = models.PositiveIntegerField(_("women beneficiaries"), default=0)
    men = models.PositiveIntegerField(_("men beneficiaries"), default=0)
    girls = models.PositiveIntegerField(_("girls beneficiaries"), default=0)
    boys = models.PositiveIntegerField(_("boys beneficiaries"), default=0)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["reference"]

    def get_absolute_url(self) -> str:
        return reverse("mineaction:record", args=["hazard", self.reference])


@protect(
    owner="organisation_id",
    rows=Sensitivity.PARTNERS,
    fields=classed(
        PARTNERS,
        "id reference organisation validated_at hazard type status start_date end_date "
        "area_cancelled_m2 area_reduced_m2 area_cleared_m2 notes",
    ),
)
class LandReleaseActivity(Record):
    """Survey, clearance or an EOD task on one hazard, by the reporting organisation."""

    hazard = models.ForeignKey(
        Hazard, on_delete=models.PROTECT, related_name="activities", verbose_name=_("hazard")
    )
    type = models.CharField(_("activity type"), max_length=24, choices=v.ActivityType.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=v.ActivityStatus.choices,
        default=v.ActivityStatus.ONGOING,
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    area_cancelled_m2 = models.FloatField(_("area cancelled by NTS (m²)"), default=0)
    area_reduced_m2 = models.FloatField(_("area reduced by TS (m²)"), default=0)
    area_cleared_m2 = models.FloatField(_("area cleared (m²)"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("land release activity")
        verbose_name_plural = _("land release activities")
        ordering = ["-start_date", "reference"]

    def get_absolute_url(self) -> str:
        return reverse("mineaction:record", args=["activity", self.reference])

    @property
    def released_m2(self) -> float:
        return self.area_cancelled_m2 + self.area_reduced_m2 + self.area_cleared_m2


@protect(
    owner="organisation_id",
    rows=Sensitivity.PARTNERS,
    fields=classed(
        PARTNERS,
        "id reference organisation validated_at activity category model quantity depth_cm "
        "condition destruction_method",
    ),
)
class DeviceFound(Record):
    activity = models.ForeignKey(
        LandReleaseActivity, on_delete=models.PROTECT, related_name="devices",
        verbose_name=_("activity"),
    )  # fmt: skip
    category = models.CharField(
        _("device category"), max_length=32, choices=v.DeviceCategory.choices
    )
    model = models.CharField(_("model"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    depth_cm = models.PositiveIntegerField(_("depth (cm)"), null=True, blank=True)
    condition = models.CharField(
        _("condition"), max_length=16, choices=v.DeviceCondition.choices,
        default=v.DeviceCondition.UNKNOWN,
    )  # fmt: skip
    destruction_method = models.CharField(
        _("destruction method"), max_length=16, choices=v.DestructionMethod.choices,
        default=v.DestructionMethod.UNKNOWN,
    )  # fmt: skip

    class Meta:
        verbose_name = _("device found")
        verbose_name_plural = _("devices found")
        ordering = ["reference"]

    def get_absolute_url(self) -> str:
        return reverse("mineaction:record", args=["device", self.reference])


@protect(
    owner="organisation_id",
    rows=Sensitivity.PARTNERS,
    fields={
        **classed(
            PARTNERS,
            "id reference organisation validated_at date admin_unit method language girls_5_12 "
            "boys_5_12 girls_13_17 boys_13_17 women men persons_with_disabilities first_time",
        ),
        **classed(NATIONAL_IM, "place"),
    },
)
class EoreSession(Record):
    """Explosive ordnance risk education: who was reached, how, in which language."""

    date = models.DateField(_("date"))
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("admin unit")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=16, choices=v.EoreMethod.choices)
    language = models.CharField(_("language"), max_length=8, choices=v.Language.choices)
    girls_5_12 = models.PositiveIntegerField(_("girls 5–12"), default=0)
    boys_5_12 = models.PositiveIntegerField(_("boys 5–12"), default=0)
    girls_13_17 = models.PositiveIntegerField(_("girls 13–17"), default=0)
    boys_13_17 = models.PositiveIntegerField(_("boys 13–17"), default=0)
    women = models.PositiveIntegerField(_("women 18+"), default=0)
    men = models.PositiveIntegerField(_("men 18+"), default=0)
    persons_with_disabilities = models.PositiveIntegerField(
        _("persons with disabilities"), default=0
    )
    first_time = models.PositiveIntegerField(_("first-time beneficiaries"), default=0)

    class Meta:
        verbose_name = _("risk education session")
        verbose_name_plural = _("risk education sessions")
        ordering = ["-date", "reference"]

    def get_absolute_url(self) -> str:
        return reverse("mineaction:record", args=["eore", self.reference])

    @property
    def total(self) -> int:
        return (
            self.girls_5_12 + self.boys_5_12 + self.girls_13_17 + self.boys_13_17
            + self.women + self.men
        )  # fmt: skip


@protect(
    owner="organisation_id",
    rows=Sensitivity.PARTNERS,
    fields={
        **classed(PARTNERS, "id reference organisation validated_at service date referral_status"),
        **classed(NATIONAL_IM, "victim"),
        **classed(RESTRICTED, "household"),
    },
)
class Assistance(Record):
    """A service given to a victim (or to their household), by the reporting provider."""

    victim = models.ForeignKey(
        Victim, on_delete=models.PROTECT, related_name="assistance", null=True, blank=True,
        verbose_name=_("victim"),
    )  # fmt: skip
    household = models.CharField(
        _("household (if not a recorded victim)"), max_length=200, blank=True
    )
    service = models.CharField(_("service"), max_length=24, choices=v.AssistanceService.choices)
    date = models.DateField(_("date"))
    referral_status = models.CharField(
        _("referral status"), max_length=16, choices=v.ReferralStatus.choices,
        default=v.ReferralStatus.RECEIVED,
    )  # fmt: skip

    class Meta:
        verbose_name = _("victim assistance")
        verbose_name_plural = _("victim assistance")
        ordering = ["-date", "reference"]

    def get_absolute_url(self) -> str:
        return reverse("mineaction:record", args=["assistance", self.reference])


@protect(
    owner="organisation_id",
    rows=Sensitivity.PARTNERS,
    fields=classed(
        PARTNERS,
        "id reference organisation validated_at activity inspected_organisation date "
        "non_conformities",
    ),
)
class QualityVisit(Record):
    """A quality management visit of an activity; non-conformities with their severity."""

    activity = models.ForeignKey(
        LandReleaseActivity, on_delete=models.PROTECT, related_name="quality_visits",
        verbose_name=_("activity inspected"),
    )  # fmt: skip
    inspected_organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation inspected"),
    )  # fmt: skip
    date = models.DateField(_("date"))
    non_conformities = models.JSONField(
        _("non-conformities"), default=list, blank=True,
        help_text=_("Each with its severity and corrective action."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("quality management visit")
        verbose_name_plural = _("quality management visits")
        ordering = ["-date", "reference"]

    def get_absolute_url(self) -> str:
        return reverse("mineaction:record", args=["quality", self.reference])


@protect(
    fields=classed(
        PUBLIC, "id casualties population settlements blockages access radius_km updated_at"
    ),
)
class PriorityWeights(models.Model):
    """The national authority's weights of the priority criteria (the latest row holds)."""

    casualties = models.FloatField(_("casualties in the last 12 months"), default=0.35)
    population = models.FloatField(_("population"), default=0.2)
    settlements = models.FloatField(_("settlements nearby"), default=0.2)
    blockages = models.FloatField(_("blocked services"), default=0.15)
    access = models.FloatField(_("access and security"), default=0.1)
    radius_km = models.FloatField(_("distance counted as nearby (km)"), default=5.0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("priority weights")
        verbose_name_plural = _("priority weights")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(casualties__gte=0, population__gte=0, settlements__gte=0,
                                   blockages__gte=0, access__gte=0, radius_km__gt=0),
                name="priority_weights_positive",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "PriorityWeights":
        """The weights in force (the defaults until the authority sets its own)."""
        return cls.objects.order_by("-updated_at", "-pk").first() or cls()

    # The criteria of kafo.analysis.priorities, in its order.
    CRITERIA = ("casualties", "population", "settlements", "blockages", "access")

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in self.CRITERIA}
