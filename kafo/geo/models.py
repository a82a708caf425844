"""Administrative geography: COD versions side by side, and their admin units.

P-codes are unique only within one COD version (Mali's ML0101 is Kayes in 2015 and
Bafoulabé in 2021), so every unit belongs to a version and every record that points
at a unit keeps that version.
"""

import shapely
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kafo.sensitivity import PUBLIC, classed, protect

MAX_LEVEL = 4


@protect(fields=classed(PUBLIC, "id country name source is_active is_demo imported_at"))
class CodVersion(models.Model):
    """One edition of a country's common operational dataset of boundaries."""

    country = models.CharField(_("country (ISO3)"), max_length=3)
    name = models.CharField(_("version"), max_length=64)
    source = models.CharField(_("source"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=False)
    is_demo = models.BooleanField(
        _("demo"), default=False, help_text=_("Approximate boundaries generated for the demo.")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("COD version")
        verbose_name_plural = _("COD versions")
        ordering = ["country", "-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="cod_version_unique_name"),
            models.UniqueConstraint(
                fields=["country"], condition=Q(is_active=True), name="one_active_cod_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.name}"

    def activate(self):
        """Make this the country's active version, and the others inactive; the records
        placed in the others' units follow (kafo.geo.rehoming). Returns its report."""
        # Here, not at the top: the rehoming reads these models.
        from kafo.geo.rehoming import rehome

        CodVersion.objects.filter(country=self.country, is_active=True).exclude(pk=self.pk).update(
            is_active=False
        )
        CodVersion.objects.filter(pk=self.pk).update(is_active=True)
        self.is_active = True
        return rehome(self)


class ActiveQuerySet(models.QuerySet):
    def active(self):
        """The rows of the active COD version (units or settlements)."""
        return self.filter(cod_version__is_active=True)


class AdminUnitQuerySet(ActiveQuerySet):
    def without_geometry(self) -> "AdminUnitQuerySet":
        return self.defer("geometry", "display_geojson")


@protect(
    fields=classed(
        PUBLIC,
        "id cod_version level pcode name alt_names parent geometry display_geojson min_lon "
        "min_lat max_lon max_lat label_lon label_lat area_km2 population population_year "
        "population_source",
    )
)
class AdminUnit(models.Model):
    """A country, region, cercle, commune... of one COD version."""

    cod_version = models.ForeignKey(
        CodVersion, on_delete=models.CASCADE, related_name="units", verbose_name=_("COD version")
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=[MaxValueValidator(MAX_LEVEL)])
    pcode = models.CharField(_("p-code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    alt_names = models.JSONField(_("alternative names"), default=list, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Full geometry as WKB in EPSG:4326, for analysis; a simplified GeoJSON for maps.
    geometry = models.BinaryField(_("geometry"), null=True, editable=False)
    display_geojson = models.TextField(_("simplified geometry"), blank=True, editable=False)
    min_lon = models.FloatField(null=True, editable=False)
    min_lat = models.FloatField(null=True, editable=False)
    max_lon = models.FloatField(null=True, editable=False)
    max_lat = models.FloatField(null=True, editable=False)
    label_lon = models.FloatField(null=True, editable=False)
    label_lat = models.FloatField(null=True, editable=False)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    population_source = models.CharField(_("population source"), max_length=300, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("admin unit")
        verbose_name_plural = _("admin units")
        ordering = ["cod_version", "level", "pcode"]
        constraints = [
            models.UniqueConstraint(
                fields=["cod_version", "pcode"], name="pcode_unique_in_version"
            ),
            models.CheckConstraint(condition=Q(level__lte=MAX_LEVEL), name="admin_level_0_to_4"),
        ]
        indexes = [models.Index(fields=["cod_version", "level"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.pcode})"

    def get_absolute_url(self) -> str:
        return reverse("geo:unit", args=[self.cod_version_id, self.pcode])

    @property
    def country(self) -> str:
        return self.cod_version.country

    @property
    def shape(self) -> shapely.Geometry | None:
        return shapely.from_wkb(bytes(self.geometry)) if self.geometry else None

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if self.min_lon is None:
            return None
        return (self.min_lon, self.min_lat, self.max_lon, self.max_lat)

    def ancestors(self) -> list["AdminUnit"]:
        """From the country down to this unit's parent."""
        chain = []
        unit = self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain[::-1]


@protect(
    fields=classed(
        PUBLIC,
        "id cod_version pcode name admin_unit point_admin_unit longitude latitude place_class "
        "population",
    ),
)
class Settlement(models.Model):
    """A populated place (COD settlements: village, town), for the analysis of who lives
    near a hazard."""

    cod_version = models.ForeignKey(
        CodVersion, on_delete=models.CASCADE, related_name="settlements",
        verbose_name=_("COD version"),
    )  # fmt: skip
    pcode = models.CharField(_("p-code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    admin_unit = models.ForeignKey(
        AdminUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="settlements",
        verbose_name=_("admin unit"),
    )  # fmt: skip
    # Where its point lies, when that is another unit than the file's p-code says.
    point_admin_unit = models.ForeignKey(
        AdminUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("admin unit of its point, when another"),
    )  # fmt: skip
    longitude = models.FloatField(_("longitude"))
    latitude = models.FloatField(_("latitude"))
    place_class = models.CharField(_("class"), max_length=40, blank=True)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["pcode"]
        constraints = [
            models.UniqueConstraint(
                fields=["cod_version", "pcode"], name="settlement_pcode_unique_in_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.pcode})"
