"""The 5W: activities with their places, people and participants; people in need; access
restrictions."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kafo import vocabulary
from kafo.choices import ChoiceLabels
from kafo.response.catalogue import ActivityType, Sector
from kafo.sensitivity import NATIONAL_IM, PARTNERS, PUBLIC, classed, protect


class ActivityStatus(models.TextChoices):
    PLANNED = vocabulary.PLANNED, _("Planned")
    ONGOING = vocabulary.ONGOING, _("Ongoing")
    COMPLETED = vocabulary.COMPLETED, _("Completed")
    SUSPENDED = vocabulary.SUSPENDED, _("Suspended")
    CANCELLED = vocabulary.CANCELLED, _("Cancelled")


class OrganisationRole(models.TextChoices):
    """IATI organisation roles (codes 1–4)."""

    FUNDING = "1", _("Funding")
    ACCOUNTABLE = "2", _("Accountable")
    EXTENDING = "3", _("Extending")
    IMPLEMENTING = "4", _("Implementing")


PEOPLE = [f"{stage}_{group}" for stage in ("targeted", "reached")
          for group in ("girls", "boys", "women", "men", "unknown", "pwd", "displaced",
                        "host")]  # fmt: skip

TITLE_LENGTH = 1000

# Amounts keep 15 significant digits, what SQLite's floating-point storage of decimals holds
# exactly (beyond it a value reads back changed, or fails): 13 digits before the point.
AMOUNT_LIMIT = Decimal("1e13")

# Sex and age groups that add up to a total ("unknown": people a total counts whose sex and
# age the source does not say).
TOTAL_GROUPS = ("girls", "boys", "women", "men", "unknown")


@protect(
    owner="organisation_id",
    fields={
        **classed(
            PUBLIC,
            "id organisation title description sector activity_type status planned_start "
            "planned_end actual_start actual_end budget currency source_id locations "
            "record_references iati " + " ".join(PEOPLE),
        ),
        # Exact places of work in a conflict setting: partners only.
        **classed(PARTNERS, "points"),
        **classed(NATIONAL_IM, "created_by"),
    },
)
class Activity(ChoiceLabels, models.Model):
    """One activity of one implementing organisation (the 5W row)."""

    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="activities",
        verbose_name=_("implementing organisation"),
    )  # fmt: skip
    # Long enough for the titles IATI publishers write: a title is never cut.
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    description = models.TextField(_("description"), blank=True)
    sector = models.CharField(_("sector"), max_length=8, choices=Sector.choices)
    activity_type = models.CharField(
        _("activity type"), max_length=8, choices=ActivityType.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    locations = models.ManyToManyField(
        "geo.AdminUnit", related_name="+", verbose_name=_("admin units")
    )
    points = models.JSONField(_("points (longitude, latitude)"), default=list, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)),
                    MaxValueValidator(AMOUNT_LIMIT - Decimal("0.01"))],
    )  # fmt: skip
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    source_id = models.CharField(
        _("source identifier"), max_length=200, blank=True, db_index=True,
        help_text=_("HXL row id or IATI activity identifier, for imports and updates."),
    )  # fmt: skip
    iati = models.JSONField(
        _("IATI details"), default=dict, blank=True,
        help_text=_("What an IATI file says beyond the 5W: sectors with vocabularies and "
                    "percentages, recipient countries and regions, locations, budgets, "
                    "humanitarian scopes, other identifiers."),
    )  # fmt: skip
    record_references = models.JSONField(
        _("mine action records produced"), default=list, blank=True,
        help_text=_("References of sessions, land release or assistance records."),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )  # fmt: skip
    # People by sex × age (girls and boys under 18), with disabilities, displaced or host.
    targeted_girls = models.PositiveIntegerField(_("girls targeted"), default=0)
    targeted_boys = models.PositiveIntegerField(_("boys targeted"), default=0)
    targeted_women = models.PositiveIntegerField(_("women targeted"), default=0)
    targeted_men = models.PositiveIntegerField(_("men targeted"), default=0)
    targeted_unknown = models.PositiveIntegerField(
        _("targeted, sex and age unknown"), default=0,
        help_text=_("The part of a total that the source does not break down by sex and age."),
    )  # fmt: skip
    targeted_pwd = models.PositiveIntegerField(_("persons with disabilities targeted"), default=0)
    targeted_displaced = models.PositiveIntegerField(_("displaced people targeted"), default=0)
    targeted_host = models.PositiveIntegerField(_("host community targeted"), default=0)
    reached_girls = models.PositiveIntegerField(_("girls reached"), default=0)
    reached_boys = models.PositiveIntegerField(_("boys reached"), default=0)
    reached_women = models.PositiveIntegerField(_("women reached"), default=0)
    reached_men = models.PositiveIntegerField(_("men reached"), default=0)
    reached_unknown = models.PositiveIntegerField(
        _("reached, sex and age unknown"), default=0,
        help_text=_("The part of a total that the source does not break down by sex and age."),
    )  # fmt: skip
    reached_pwd = models.PositiveIntegerField(_("persons with disabilities reached"), default=0)
    reached_displaced = models.PositiveIntegerField(_("displaced people reached"), default=0)
    reached_host = models.PositiveIntegerField(_("host community reached"), default=0)

    class Meta:
        verbose_name = _("activity (5W)")
        verbose_name_plural = _("activities (5W)")
        ordering = ["-planned_start", "title"]
        # The lists' and the API's default order, read from the index, not sorted each time.
        indexes = [models.Index(fields=["-planned_start", "title"], name="activity_list_order")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("response:activity", args=[self.pk])

    @property
    def reached_total(self) -> int:
        return self.people("reached")

    def people(self, stage: str) -> int:
        """People targeted or reached: girls, boys, women, men, and those of unknown sex
        and age."""
        return sum(getattr(self, f"{stage}_{group}") for group in TOTAL_GROUPS)


@protect(
    owner="activity__organisation_id",
    fields=classed(PUBLIC, "id activity organisation role"),
)
class ActivityParticipant(models.Model):
    """An organisation's IATI role in an activity (funding, accountable, extending)."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="participants", verbose_name=_("activity")
    )
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=1, choices=OrganisationRole.choices)

    class Meta:
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation", "role"], name="one_role_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


@protect(
    owner="organisation_id",
    fields=classed(
        PUBLIC, "id admin_unit sector year population in_need targeted source organisation"
    ),
)
class Need(models.Model):
    """People living in, in need in and targeted in an admin unit, for a sector and a year
    (OCHA's humanitarian needs overview; a blank sector is the whole population)."""

    admin_unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("admin unit")
    )
    sector = models.CharField(_("sector"), max_length=8, choices=Sector.choices, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    in_need = models.PositiveIntegerField(_("people in need"), null=True, blank=True)
    targeted = models.PositiveIntegerField(_("people targeted"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("reported by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("needs and population figure")
        verbose_name_plural = _("needs and population")
        ordering = ["-year", "admin_unit__pcode", "sector"]
        constraints = [
            models.UniqueConstraint(
                fields=["admin_unit", "sector", "year"], name="one_need_per_unit_sector_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.admin_unit_id} {self.sector or '*'} {self.year}"


class AccessLevel(models.TextChoices):
    ESCORT = vocabulary.ESCORT, _("Accessible with escort only")
    NO_ACCESS = vocabulary.NO_ACCESS, _("Not accessible")


ACCESS_DIFFICULTY = vocabulary.ACCESS_DIFFICULTY


@protect(
    owner="organisation_id",
    fields=classed(PARTNERS, "id admin_unit level start end reason source organisation updated_at"),
    rows=PARTNERS,
)
class AccessRestriction(models.Model):
    """An admin unit that cannot be reached, or only with an escort, over a period (the
    coordination's access monitoring; it lowers the unit's priority and bounds the plans).
    It covers the units under it too."""

    admin_unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("admin unit")
    )
    level = models.CharField(_("access"), max_length=10, choices=AccessLevel.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True,
                           help_text=_("Leave empty while the restriction holds."))  # fmt: skip
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("recorded by"),
    )  # fmt: skip
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("access restriction")
        verbose_name_plural = _("access restrictions")
        ordering = ["-start", "admin_unit__pcode"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="access_restriction_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.admin_unit_id} {self.level} {self.start}"

    @property
    def difficulty(self) -> float:
        return ACCESS_DIFFICULTY[AccessLevel(self.level)]

    def in_force(self, day) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    def in_force_between(self, first, last) -> bool:
        """Whether the restriction holds on any day from `first` to `last`."""
        return self.start <= last and (self.end is None or self.end >= first)
