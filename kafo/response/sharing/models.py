"""Pooled resources: teams and assets offered for sharing, their calendars and loans, and
where each organisation will (or will not) work."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kafo import vocabulary
from kafo.choices import ChoiceLabels
from kafo.sensitivity import NATIONAL_IM, PARTNERS, PUBLIC, classed, protect


class ResourceKind(models.TextChoices):
    EORE_TEAM = vocabulary.EORE_TEAM, _("Risk education team")
    NTS_TEAM = vocabulary.NTS_TEAM, _("Non-technical survey team")
    TS_TEAM = vocabulary.TS_TEAM, _("Technical survey team")
    CLEARANCE_TEAM = vocabulary.CLEARANCE_TEAM, _("Clearance team")
    EOD_TEAM = vocabulary.EOD_TEAM, _("EOD team")
    VA_TEAM = vocabulary.VA_TEAM, _("Victim assistance mobile team")
    VEHICLE = "vehicle", _("Vehicle")
    DETECTOR = "detector", _("Detector")
    MECHANICAL = "mechanical", _("Mechanical asset")
    TRAINING_ROOM = "training_room", _("Training room")
    WAREHOUSE = "warehouse", _("Warehouse")
    TRAINER = "trainer", _("Trainer")
    IM_OFFICER = "im_officer", _("IM officer")
    MEDICAL = "medical", _("Medical staff")


TEAMS = set(vocabulary.TEAMS)


@protect(
    owner="organisation_id",
    fields={
        **classed(
            PUBLIC,
            "id organisation kind name base capacity capacity_unit accreditation "
            "accredited_until offered sharing_conditions",
        ),
        **classed(PARTNERS, "longitude latitude max_travel_km monthly_cost_usd"),
    },
)
class Resource(ChoiceLabels, models.Model):
    """A team, an asset or a person with a skill that an organisation could lend."""

    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="resources",
        verbose_name=_("owner"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=16, choices=ResourceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    base = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("base")
    )
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    capacity = models.DecimalField(
        _("capacity"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    capacity_unit = models.CharField(
        _("capacity unit"), max_length=40, blank=True,
        help_text=_("For example m²/day, sessions/week, persons."),
    )  # fmt: skip
    max_travel_km = models.PositiveIntegerField(
        _("farthest travel from the base (km by road)"), null=True, blank=True,
        help_text=_("Used by the joint plans; 400 km when empty."),
    )  # fmt: skip
    monthly_cost_usd = models.DecimalField(
        _("cost per month (USD)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Used by the joint plans to respect budgets."),
    )  # fmt: skip
    accreditation = models.CharField(_("accreditation"), max_length=200, blank=True)
    accredited_until = models.DateField(_("accredited until"), null=True, blank=True)
    offered = models.BooleanField(_("offered for sharing"), default=False)
    sharing_conditions = models.TextField(_("conditions of sharing"), blank=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["organisation__name", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.acronym or self.organisation.name})"

    def get_absolute_url(self) -> str:
        return reverse("response:resource", args=[self.pk])


@protect(owner="resource__organisation_id", fields=classed(PUBLIC, "id resource start end note"))
class Availability(models.Model):
    """A period when the resource is free (its owner's calendar)."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="availability", verbose_name=_("resource")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.resource}: {self.start} – {self.end}"


class LoanStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


@protect(
    owner="borrower_id",
    fields={
        **classed(PUBLIC, "id resource borrower start end status purpose decided_at"),
        **classed(NATIONAL_IM, "requested_by decided_by"),
    },
)
class Loan(models.Model):
    """A request to borrow a resource, and what became of it."""

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="loans", verbose_name=_("resource")
    )
    borrower = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="loans",
        verbose_name=_("borrowing organisation"),
    )  # fmt: skip
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=16, choices=LoanStatus.choices, default=LoanStatus.REQUESTED
    )
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("requested by"),
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-start"]

    def __str__(self) -> str:
        return f"{self.resource} → {self.borrower} ({self.start} – {self.end})"


@protect(owner="organisation_id",
         fields=classed(PARTNERS, "id organisation admin_unit operates note"))  # fmt: skip
class OperatingArea(models.Model):
    """Where an organisation will work, or will not (the joint plans respect both: an
    organisation with areas where it will work goes nowhere else)."""

    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.CASCADE, related_name="operating_areas",
        verbose_name=_("organisation"),
    )  # fmt: skip
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("admin unit")
    )
    operates = models.BooleanField(_("works there"), default=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("operating area")
        verbose_name_plural = _("operating areas")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "admin_unit"], name="one_operating_area_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.admin_unit_id} {self.operates}"
