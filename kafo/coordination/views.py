"""Analysis pages: gaps, duplications, equity, alignment and priorities, on maps and in
ranked tables, every number linked to the records behind it (the 5W list, the needs,
the funding flows, the mine action records)."""

import datetime
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kafo.actors.permissions import is_coordinator
from kafo.analysis.alignment import AlignmentOptions, alignment
from kafo.analysis.duplicates import DuplicateOptions, duplicates
from kafo.analysis.equity import equity
from kafo.analysis.gaps import HAZARD_STAGES, OPEN_HAZARDS, gaps
from kafo.analysis.priorities import PriorityOptions, priorities
from kafo.geo.models import AdminUnit
from kafo.interop.analysis_source import analysis_connection
from kafo.mineaction.models import PriorityWeights
from kafo.response.catalogue import ActivityType, Sector
from kafo.response.models import Framework
from kafo.security.disclosure import disclosed_gaps, require_rows
from kafo.security.exports import downloadable
from kafo.security.limits import heavy
from kafo.web.analysis import gap_options
from kafo.web.feedback import refused_or_new, report_form_errors
from kafo.web.forms import PriorityWeightsForm

CLASS_ORDER = {"no_presence": 0, "below_target": 1, "on_track": 2}


def _drill(name: str, pcode: str, sector: str | None) -> str:
    query = {"pcode": pcode, **({"sector": sector} if sector else {})}
    return f"{reverse(name)}?{urlencode(query)}"


def _gap_filters(request: HttpRequest):
    """The page's filters: by activity type, the sector is mine action whatever the sector
    list still shows."""
    params = request.GET.copy()
    if params.get("by") == "activity_type":
        params.pop("sector", None)
    return gap_options(params)


def _need_url(row: dict, options) -> str:
    """The records behind a row's need: the needs of its sector, or by activity type the
    open hazards of its stage, the accidents of the 12 months, the hazards near people."""
    kind = row.get("activity_type")
    if kind is None:
        return _drill("response:needs", row["pcode"], row["sector"])
    if kind == "VA":
        until = options.end or datetime.date.today()
        query = {"pcode": row["pcode"], "start": (until - datetime.timedelta(days=364)),
                 "end": until}  # fmt: skip
        return f"{reverse('mineaction:list', args=['accident'])}?{urlencode(query)}"
    query = {"pcode": row["pcode"], "status": ",".join(OPEN_HAZARDS)}
    if kind in HAZARD_STAGES:
        query["classification"] = ",".join(HAZARD_STAGES[kind])
    return f"{reverse('mineaction:list', args=['hazard'])}?{urlencode(query)}"


@heavy
def gaps_page(request: HttpRequest) -> HttpResponse:
    """Need against response per admin unit and sector (or mine action activity type),
    worst first."""
    try:
        options = _gap_filters(request)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    result = _gaps_for(request, options)
    rows = sorted(
        result["units"],
        key=lambda u: (CLASS_ORDER[u["class"]], u["coverage"] if u["coverage"] is not None else 9,
                       u["pcode"]),
    )  # fmt: skip
    types = dict(ActivityType.choices)
    for row in rows:
        query = {"pcode": row["pcode"], "sector": row["sector"]}
        if kind := row.get("activity_type"):
            query["type"] = "" if kind == "OTHER" else kind
            row["type_label"] = types.get(kind, kind)
        row["activities_url"] = f"{reverse('response:activities')}?{urlencode(query)}"
        row["needs_url"] = _need_url(row, options)
    return render(
        request,
        "web/gaps.html",
        {
            "rows": rows,
            "imprecise": result["imprecise"],
            "options": options,
            "by_type": options.by == "activity_type",
            "sectors": Sector.choices,
            "levels": [1, 2, 3],
            "query": request.GET.urlencode(),
            "counts": {name: sum(1 for r in rows if r["class"] == name) for name in CLASS_ORDER},
            "unit_counts": _unit_counts(options, _worst_per_unit(rows)),
        },
    )


def _gaps_for(request: HttpRequest, options) -> dict:
    """The gaps as this viewer may read them: donors and the public get the casualties
    they carry suppressed under five."""
    return disclosed_gaps(request.user, gaps(analysis_connection(), options))


def _worst_per_unit(rows: list[dict]) -> dict[str, dict]:
    """Each unit's worst row (over sectors or activity types): the unit's colour."""
    worst: dict[str, dict] = {}
    for row in rows:
        known = worst.get(row["pcode"])
        if known is None or CLASS_ORDER[row["class"]] < CLASS_ORDER[known["class"]]:
            worst[row["pcode"]] = row
    return worst


def _unit_counts(options, worst: dict[str, dict]) -> dict[str, int]:
    """How many units of the map are in each colour (units with no row are no_data)."""
    units = AdminUnit.objects.filter(cod_version__is_active=True, level=options.level).exclude(
        display_geojson=""
    )
    counts = dict.fromkeys([*CLASS_ORDER, "no_data"], 0)
    for pcode in units.values_list("pcode", flat=True):
        counts[worst[pcode]["class"] if pcode in worst else "no_data"] += 1
    return counts


@downloadable("gaps")
@heavy
def gaps_geojson(request: HttpRequest) -> HttpResponse:
    """The level's units coloured by their worst gap class, for the map."""
    try:
        options = _gap_filters(request)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    result = _gaps_for(request, options)
    worst = _worst_per_unit(result["units"])
    units = AdminUnit.objects.filter(cod_version__is_active=True, level=options.level).exclude(
        display_geojson=""
    )
    features = []
    for pcode, name, shape in units.values_list("pcode", "name", "display_geojson"):
        row = worst.get(pcode)
        summary = ""
        if row:
            summary = _("%(sector)s: need %(need)s, reached %(reached)s") % {
                "sector": row.get("activity_type") or row["sector"],
                "need": "—"
                if row["need"] is None
                else row["need"]
                if isinstance(row["need"], str)
                else number_format(row["need"], 0, True),
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


def _record_level(request: HttpRequest) -> None:
    """Duplicates and priorities name records: not for donors and the public."""
    require_rows(request.user, _("Donors and the public see aggregated analyses only."))


def _units_geojson(level: int, shown: dict[str, dict]) -> HttpResponse:
    """The level's units, each with the properties given for it (`shade` 0–1 colours it)."""
    units = AdminUnit.objects.filter(cod_version__is_active=True, level=level).exclude(
        display_geojson=""
    )
    features = [
        {"type": "Feature", "geometry": json.loads(shape),
         "properties": {"pcode": pcode, "name": name, "shade": 0, "summary": "",
                        "url": _drill("response:activities", pcode, None),
                        **shown.get(pcode, {})}}
        for pcode, name, shape in units.values_list("pcode", "name", "display_geojson")
    ]  # fmt: skip
    return HttpResponse(
        json.dumps({"type": "FeatureCollection", "features": features}),
        content_type="application/geo+json",
    )


def _radius(params) -> float:
    try:
        radius = float(params.get("radius") or 5)
    except ValueError:
        radius = -1
    if not 0 < radius <= 100:
        raise ValueError(_("The distance is a number of km between 0 and 100."))
    return radius


@heavy
def duplicates_page(request: HttpRequest) -> HttpResponse:
    """Activity records that overlap (same type, places that meet, periods that overlap),
    grouped into clusters, the likeliest duplicates first."""
    _record_level(request)
    try:
        options = gap_options(request.GET)
        radius = _radius(request.GET)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    result = duplicates(analysis_connection(), DuplicateOptions(
        radius_km=radius, start=options.start, end=options.end, sector=options.sector))  # fmt: skip
    clusters = result["clusters"]
    for cluster in clusters[:200]:
        cluster["period"] = {  # ISO in the engine's output; dates, shown localised, here
            end: datetime.date.fromisoformat(day) if day else None
            for end, day in cluster["period"].items()
        }
        cluster["links"] = [
            (record, reverse("response:activity", args=[pk]))
            for record, pk in zip(cluster["records"], cluster["ids"], strict=False)
        ]
    return render(request, "web/duplicates.html", {
        "clusters": clusters[:200], "count": len(clusters),
        "likely": sum(1 for c in clusters if c["kind"] == "likely_duplicate"),
        "double_reporting": result["double_reporting"][:200],
        "options": options, "radius": radius, "sectors": Sector.choices,
    })  # fmt: skip


@heavy
def equity_page(request: HttpRequest) -> HttpResponse:
    """Each unit's share of the need against its share of the response, the concentration
    of coverage and the share of the territory and of the people in need covered."""
    try:
        options = gap_options(request.GET)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    result = equity(analysis_connection(), options)
    rows = sorted(result["units"], key=lambda u: (-(u["gap"] or 0), u["pcode"]))
    for row in rows:
        row["activities_url"] = _drill("response:activities", row["pcode"], options.sector)
        row["needs_url"] = _drill("response:needs", row["pcode"], options.sector)
    return render(request, "web/equity.html", {
        "result": result, "rows": rows, "options": options, "sectors": Sector.choices,
        "levels": [1, 2, 3], "query": request.GET.urlencode(),
    })  # fmt: skip


@downloadable("equity")
@heavy
def equity_geojson(request: HttpRequest) -> HttpResponse:
    """Units shaded by how far their share of the response falls short of their need."""
    try:
        options = gap_options(request.GET)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    result = equity(analysis_connection(), options)
    largest = max((u["gap"] or 0 for u in result["units"]), default=0) or 1
    shown = {
        u["pcode"]: {
            "shade": max(u["gap"] or 0, 0) / largest,
            "summary": _("%(need)s %% of the need, %(reached)s %% of the people reached") % {
                "need": number_format(100 * (u["need_share"] or 0), 1),
                "reached": number_format(100 * (u["response_share"] or 0), 1)},
            "url": _drill("response:activities", u["pcode"], options.sector),
        }
        for u in result["units"]
    }  # fmt: skip
    return _units_geojson(options.level, shown)


@heavy
def alignment_page(request: HttpRequest) -> HttpResponse:
    """How much of the activities and of the funding serves a national strategy, by
    pillar against its budget targets, and the funding that serves none."""
    try:
        options = gap_options(request.GET)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    frameworks = Framework.objects.filter(objectives__isnull=False).distinct().order_by(
        "-end_year", "name")  # fmt: skip
    chosen = request.GET.get("framework", "")
    framework = (frameworks.filter(pk=chosen).first() if chosen.isdigit() else None) or (
        frameworks.filter(kind="mine_action_strategy").first() or frameworks.first()
    )
    result = None
    if framework is not None:
        result = alignment(analysis_connection(), AlignmentOptions(
            framework_id=framework.pk, start=options.start, end=options.end))  # fmt: skip
        for flow in result["unaligned"]:
            flow["url"] = reverse("funding:transaction", args=[flow["id"]])
        result["unaligned"] = result["unaligned"][:100]
    return render(request, "web/alignment.html", {
        "result": result, "framework": framework, "frameworks": frameworks, "options": options,
    })  # fmt: skip


@heavy
def priorities_page(request: HttpRequest) -> HttpResponse:
    """The hazards and admin units ranked by the national authority's weighted criteria,
    each criterion's contribution shown; the authority edits the weights here."""
    _record_level(request)
    try:
        options = gap_options(request.GET)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    weights = PriorityWeights.current()
    form = refused_or_new(request, PriorityWeightsForm, instance=PriorityWeights(**{
        name: getattr(weights, name) for name in (*weights.as_dict(), "radius_km")}))  # fmt: skip
    result = _priorities(options.level, weights)
    for hazard in result["hazards"]:
        hazard["url"] = reverse("mineaction:record", args=["hazard", hazard["reference"]])
    for unit in result["units"]:
        unit["url"] = f"{reverse('mineaction:list', args=['hazard'])}?pcode={unit['pcode']}"
    return render(request, "web/priorities.html", {
        "result": result, "hazards": result["hazards"][:100], "units": result["units"][:100],
        "criteria": [PriorityWeights._meta.get_field(name).verbose_name
                     for name in weights.as_dict()],
        "weights": [(PriorityWeights._meta.get_field(name).verbose_name, value)
                    for name, value in result["weights"].items()],
        "form": form, "options": options,
        "can_edit_weights": is_coordinator(request.user), "levels": [1, 2, 3],
        "query": request.GET.urlencode(),
    })  # fmt: skip


def _priorities(level: int, weights: PriorityWeights) -> dict:
    return priorities(analysis_connection(), PriorityOptions(
        weights=weights.as_dict(), radius_km=weights.radius_km, level=level))  # fmt: skip


@downloadable("priorities")
@heavy
def priorities_geojson(request: HttpRequest) -> HttpResponse:
    """Units shaded by their priority score."""
    _record_level(request)
    try:
        options = gap_options(request.GET)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    result = _priorities(options.level, PriorityWeights.current())
    top = max((u["score"] for u in result["units"]), default=0) or 1
    shown = {
        u["pcode"]: {"shade": u["score"] / top,
                     "summary": _("Priority %(rank)s, score %(score)s") % {
                         "rank": u["rank"], "score": number_format(u["score"], 3)},
                     "url": f"{reverse('mineaction:list', args=['hazard'])}?pcode={u['pcode']}"}
        for u in result["units"]
    }  # fmt: skip
    return _units_geojson(options.level, shown)


@require_POST
def priority_weights(request: HttpRequest) -> HttpResponse:
    """The national authority sets the weights of the priority criteria."""
    if not is_coordinator(request.user):
        raise PermissionDenied(_("Only the national authority sets the priority weights."))
    form = PriorityWeightsForm(request.POST, instance=PriorityWeights())
    if form.is_valid():
        form.save()
        messages.success(request, _("The new weights are in force."))
    else:
        report_form_errors(request, form)
    return redirect("priorities")
