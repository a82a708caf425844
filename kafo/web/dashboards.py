"""Analysis pages: the gaps on a map and in a ranked table, every number linked to the
records behind it (the 5W list and the needs list, filtered to the unit and sector)."""

import json
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kafo.analysis.gaps import gaps
from kafo.geo.models import AdminUnit
from kafo.response.catalogue import Sector
from kafo.web.analysis import analysis_connection, gap_options

CLASS_ORDER = {"no_presence": 0, "below_target": 1, "on_track": 2}


def _drill(name: str, pcode: str, sector: str | None) -> str:
    query = {"pcode": pcode, **({"sector": sector} if sector else {})}
    return f"{reverse(name)}?{urlencode(query)}"


def gaps_page(request: HttpRequest) -> HttpResponse:
    """Need against response per admin unit and sector, worst first."""
    try:
        options = gap_options(request.GET)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    result = gaps(analysis_connection(), options)
    rows = sorted(
        result["units"],
        key=lambda u: (CLASS_ORDER[u["class"]], u["coverage"] if u["coverage"] is not None else 9,
                       u["pcode"]),
    )  # fmt: skip
    for row in rows:
        row["activities_url"] = _drill("response:activities", row["pcode"], row["sector"])
        row["needs_url"] = _drill("response:needs", row["pcode"], row["sector"])
    return render(
        request,
        "web/gaps.html",
        {
            "rows": rows,
            "imprecise": result["imprecise"],
            "options": options,
            "sectors": Sector.choices,
            "levels": [1, 2, 3],
            "query": request.GET.urlencode(),
            "counts": {name: sum(1 for r in rows if r["class"] == name) for name in CLASS_ORDER},
        },
    )


def gaps_geojson(request: HttpRequest) -> HttpResponse:
    """The level's units coloured by their worst gap class, for the map."""
    try:
        options = gap_options(request.GET)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    result = gaps(analysis_connection(), options)
    worst: dict[str, dict] = {}
    for row in result["units"]:
        known = worst.get(row["pcode"])
        if known is None or CLASS_ORDER[row["class"]] < CLASS_ORDER[known["class"]]:
            worst[row["pcode"]] = row
    units = AdminUnit.objects.filter(cod_version__is_active=True, level=options.level).exclude(
        display_geojson=""
    )
    features = []
    for pcode, name, shape in units.values_list("pcode", "name", "display_geojson"):
        row = worst.get(pcode)
        summary = ""
        if row:
            summary = _("%(sector)s: need %(need)s, reached %(reached)s") % {
                "sector": row["sector"],
                "need": "—" if row["need"] is None else number_format(row["need"], 0, True),
                "reached": number_format(row["reached"], 0, True),
            }
        features.append({
            "type": "Feature", "geometry": json.loads(shape),
            "properties": {"pcode": pcode, "name": name, "gap": row["class"] if row else None,
                           "summary": summary,
                           "url": _drill("response:activities", pcode, options.sector)},
        })  # fmt: skip
    return HttpResponse(
        json.dumps({"type": "FeatureCollection", "features": features}),
        content_type="application/geo+json",
    )
