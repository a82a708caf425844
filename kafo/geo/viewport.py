"""Map layers that stay small whatever the number of records: what part of the map a
layer is asked for (`?bbox=west,south,east,north&zoom=z`, as Leaflet gives them), and
counts per admin unit where there would be more points than a map can show.

A layer answers its records one by one when they are at most `KAFO_MAP_FEATURES` in the
view and the map is zoomed in to a cercle or closer (`DETAIL_ZOOM`); else one point per
admin unit with the number of records there, at the level the zoom reads best (regions
for the country, cercles for a region, the deepest level closer).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from kafo.data_version import counted, rows_once_per_version
from kafo.geo.models import AdminUnit

# From this zoom on (a cercle fills the map), records are shown one by one if few enough.
DETAIL_ZOOM = 8
# The admin level whose units a zoom shows as counts: up to 5 the country (regions),
# up to 7 a region (cercles), closer the deepest level.
LEVEL_BY_ZOOM = ((5, 1), (7, 2))


class ViewportError(ValueError):
    """A bbox or zoom that cannot be read (the page says which and why)."""


@dataclass(frozen=True)
class Viewport:
    """The part of the map asked for: a box in degrees (None: everywhere) and a zoom
    (None: not given, as for a download or a first drawing)."""

    bbox: tuple[float, float, float, float] | None = None
    zoom: int | None = None

    @classmethod
    def of(cls, request: HttpRequest) -> "Viewport":
        """The viewport of `?bbox=west,south,east,north&zoom=z`; ViewportError if unreadable."""
        bbox = None
        if text := request.GET.get("bbox", "").strip():
            try:
                west, south, east, north = (float(part) for part in text.split(","))
            except ValueError:
                raise ViewportError(
                    _("bbox %(bbox)s is not four numbers west,south,east,north.") % {"bbox": text}
                ) from None
            if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
                raise ViewportError(
                    _("bbox %(bbox)s is outside longitudes -180…180 and latitudes -90…90, "
                      "or its south is above its north.") % {"bbox": text}
                )  # fmt: skip
            bbox = (west, south, east, north)
        zoom = None
        if text := request.GET.get("zoom", "").strip():
            if not text.isdigit() or int(text) > 30:
                raise ViewportError(_("zoom %(zoom)s is not a whole number from 0 to 30.")
                                    % {"zoom": text})  # fmt: skip
            zoom = int(text)
        return cls(bbox, zoom)

    def units(self) -> QuerySet:
        """The active admin units whose extent meets the box (all without a box)."""
        units = AdminUnit.objects.active()
        if self.bbox is None:
            return units
        west, south, east, north = self.bbox
        meets = Q(min_lat__lte=north, max_lat__gte=south)
        if west <= east:
            meets &= Q(min_lon__lte=east, max_lon__gte=west)
        else:  # across the antimeridian
            meets &= Q(min_lon__lte=east) | Q(max_lon__gte=west)
        return units.filter(meets)

    def contains(self, lon: float, lat: float) -> bool:
        if self.bbox is None:
            return True
        west, south, east, north = self.bbox
        inside_lon = west <= lon <= east if west <= east else (lon >= west or lon <= east)
        return inside_lon and south <= lat <= north

    def holds(self, feature: dict) -> bool:
        """Whether a point feature is in view (other shapes: their unit already was)."""
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "Point":
            return True
        lon, lat = geometry["coordinates"][:2]
        return self.contains(lon, lat)

    def level(self) -> int:
        """The admin level shown as counts at this zoom (the deepest there is, at most)."""
        deepest = (
            AdminUnit.objects.active().order_by("-level").values_list("level", flat=True).first()
        ) or 1
        for highest_zoom, level in LEVEL_BY_ZOOM:
            if self.zoom is None or self.zoom <= highest_zoom:
                return min(level, deepest)
        return deepest

    def one_by_one(self, count: int) -> bool:
        """Whether `count` records in the view are shown one by one."""
        close = self.zoom is not None and self.zoom >= DETAIL_ZOOM
        return count <= settings.KAFO_MAP_FEATURES and (close or count <= FEW)


# So few records that they are shown one by one at any zoom (a small country's demo).
FEW = 300


def located_in(queryset: QuerySet, through, unit_field: str, record_field: str,
               units: QuerySet) -> QuerySet:  # fmt: skip
    """The records of `queryset` linked (by the `through` table) to one of `units`: a
    subquery, never a list of ids."""
    linked = through.objects.filter(**{f"{unit_field}__in": units.values("pk")})
    return queryset.filter(pk__in=linked.values(record_field))


def areas(level: int) -> dict[int, AdminUnit]:
    """Each active unit's area at `level`: itself at or above that level, else its ancestor
    there. Read once per call from the units (a few thousand), never per record."""
    units = {
        unit.pk: unit
        for unit in AdminUnit.objects.active()
        .without_geometry()
        .only("pk", "parent_id", "level", "pcode", "name", "label_lon", "label_lat")
    }
    found: dict[int, AdminUnit] = {}
    for pk, unit in units.items():
        area = unit
        while area.level > level and area.parent_id in units:
            area = units[area.parent_id]
        found[pk] = area
    return found


def counts_by_area(links: QuerySet, unit_field: str, record_field: str, level: int,
                   units: QuerySet | None = None) -> dict[AdminUnit, int]:  # fmt: skip
    """How many distinct records each area of `level` holds, counted in the database from
    `links` (rows linking a record to a unit): a record in two communes of one cercle
    counts once there. With `units`, only the links to those units count."""
    area_of = areas(level)
    by_area: dict[int, list[int]] = {}
    for pk, area in area_of.items():
        by_area.setdefault(area.pk, []).append(pk)
    if units is not None:
        links = links.filter(**{f"{unit_field}__in": units.values("pk")})
    rows = (
        links.annotate(kafo_area=Case(
            *[When(**{f"{unit_field}__in": members}, then=Value(area))
              for area, members in by_area.items()],
            default=Value(None), output_field=IntegerField(),
        ))
        .exclude(kafo_area=None)
        .order_by()
        .values("kafo_area")
        .annotate(records=Count(record_field, distinct=True))
    )  # fmt: skip
    units_by_pk = {area.pk: area for area in area_of.values()}
    return {units_by_pk[row["kafo_area"]]: row["records"] for row in rows_once_per_version(rows)}


def count_features(counts: dict[AdminUnit, int], label: str) -> list[dict]:
    """One point per admin unit, at its centre, with the number of records there."""
    return [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(unit.label_lon or 0, 6), round(unit.label_lat or 0, 6)],
            },
            "properties": {
                "name": unit.name,
                "pcode": unit.pcode,
                "count": count,
                "label": label,
                "generalised": True,
                "aggregated": True,
            },
        }
        for unit, count in sorted(counts.items(), key=lambda item: item[0].pcode)
        if count and unit.label_lon is not None
    ]


def bounded_layer(
    request: HttpRequest,
    records: QuerySet,
    unit_field: str,
    features: Callable[[QuerySet], Iterable[dict]],
    label: str,
    links: QuerySet | None = None,
    record_field: str = "pk",
) -> HttpResponse:
    """A map layer's answer for the part of the map asked for: `features(records)` one by
    one where few enough, else one count per admin unit (see the module's docstring).

    `unit_field` leads from a record (or, with `links`, from a row of the table linking
    records to their units, `record_field` naming the record there) to its admin unit. A
    record with no unit is in every view, and counted in no unit's point."""
    try:
        viewport = Viewport.of(request)
    except ViewportError as error:
        return JsonResponse({"error": str(error)}, status=400)
    shown = records
    units = viewport.units() if viewport.bbox is not None else None
    if units is not None:
        if links is None:
            shown = records.filter(Q(**{f"{unit_field}__in": units.values("pk")})
                                   | Q(**{unit_field: None}))  # fmt: skip
        else:
            shown = located_in(records, links.model, unit_field, record_field, units)
    count = counted(shown)
    if viewport.one_by_one(count):
        found = [feature for feature in features(shown) if viewport.holds(feature)]
    else:
        if links is None:
            links = records
        else:
            links = links.filter(**{f"{record_field}__in": records.order_by().values("pk")})
        counts = counts_by_area(links, unit_field, record_field, viewport.level(), units)
        found = count_features(counts, label)
    return JsonResponse({"type": "FeatureCollection", "features": found,
                         "kafo_shown": {"records": count, "features": len(found)}},
                        content_type="application/geo+json")  # fmt: skip
