import json

from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kafo.actors.permissions import (
    may_review_rehomed_records,
)
from kafo.geo.geometry import outlines_for_zoom
from kafo.geo.models import MAX_LEVEL, AdminUnit, CodVersion
from kafo.geo.rehoming import to_review
from kafo.security.exports import downloadable


def index(request: HttpRequest) -> HttpResponse:
    """The COD versions side by side, and the top units of each."""
    versions = CodVersion.objects.order_by("country", "-is_active", "-imported_at")
    rows = [
        (
            version,
            AdminUnit.objects.filter(cod_version=version, level=1).without_geometry(),
            dict(
                AdminUnit.objects.filter(cod_version=version)
                .values_list("level")
                .annotate(n=Count("id"))
                .order_by("level")
            ),
        )
        for version in versions
    ]
    review = to_review()
    return render(request, "geo/index.html", {
        "rows": rows,
        "review": review if may_review_rehomed_records(request.user) else {},
        "review_count": sum(len(records) for records in review.values()),
    })  # fmt: skip


def _feature(unit: dict, version_id: int, index: int, highlight: bool = False) -> str:
    population = unit["population"]
    properties = {
        "pcode": unit["pcode"],
        "name": unit["name"],
        "level": unit["level"],
        "index": index,
        "highlight": highlight,
        "url": reverse("geo:unit", args=[version_id, unit["pcode"]]),
        "population": population,
        "population_label": (
            _("Population: %s") % number_format(population, force_grouping=True)
            if population is not None
            else ""
        ),
    }
    # The geometry is stored as GeoJSON text already: no parse and re-dump per request.
    return (
        '{"type":"Feature","geometry":' + unit["display_geojson"]
        + ',"properties":' + json.dumps(properties, ensure_ascii=False) + "}"
    )  # fmt: skip


@require_GET
@downloadable("admin_units")
def units_geojson(request: HttpRequest) -> HttpResponse:
    """Simplified unit outlines as GeoJSON: ?version=ID&level=N or ?version=ID&parent=PCODE,
    and &zoom=Z for outlines no finer than a pixel at that zoom."""
    version_id = request.GET.get("version")
    try:
        if version_id:
            version = CodVersion.objects.get(pk=int(version_id))
        else:
            version = CodVersion.objects.filter(is_active=True).first()
        level = int(request.GET["level"]) if "level" in request.GET else None
        zoom = int(request.GET["zoom"]) if "zoom" in request.GET else None
    except (ValueError, CodVersion.DoesNotExist):
        return HttpResponseBadRequest(_("Unknown version, level or zoom."))
    if zoom is not None and not 0 <= zoom <= 22:
        return HttpResponseBadRequest(_("The zoom must be between 0 and 22."))
    if level is not None and not 0 <= level <= MAX_LEVEL:
        return HttpResponseBadRequest(_("The level must be between 0 and 4."))
    if version is None:
        return HttpResponse(
            '{"type":"FeatureCollection","features":[]}', content_type="application/geo+json"
        )
    units = AdminUnit.objects.filter(cod_version=version).exclude(display_geojson="")
    if parent := request.GET.get("parent"):
        units = units.filter(parent__pcode=parent)
    else:
        units = units.filter(level=1 if level is None else level)
    rows = list(
        units.order_by("pcode").values("pcode", "name", "level", "population", "display_geojson")
    )
    if zoom is not None:  # outlines no finer than a pixel of the map that asks
        shapes = outlines_for_zoom([row["display_geojson"] for row in rows], zoom)
        for row, shape in zip(rows, shapes, strict=True):
            row["display_geojson"] = shape
    body = ",".join(_feature(unit, version.pk, i) for i, unit in enumerate(rows))
    response = HttpResponse(
        '{"type":"FeatureCollection","features":[' + body + "]}",
        content_type="application/geo+json",
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


def unit_detail(request: HttpRequest, version_id: int, pcode: str) -> HttpResponse:
    """One admin unit: where it sits, its parts, its population, on a map."""
    unit = get_object_or_404(
        AdminUnit.objects.select_related("cod_version", "parent").defer("geometry"),
        cod_version_id=version_id,
        pcode=pcode.upper(),
    )
    children = unit.children.without_geometry().order_by("pcode")
    return render(
        request,
        "geo/unit.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors(),
            "children": children,
            "child_population": sum(c.population or 0 for c in children),
            "same_pcode_elsewhere": AdminUnit.objects.filter(pcode=unit.pcode)
            .exclude(cod_version_id=version_id)
            .select_related("cod_version")
            .without_geometry(),
        },
    )
