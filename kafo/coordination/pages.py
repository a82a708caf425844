"""What each analysis page shows beyond the answer: rows ranked and linked to the records
behind them (the 5W list, the needs, the funding flows, the mine action records), and the
features of its map: one `context` and one `features` function per analysis, which the
registry names; the views (kafo.coordination.views) are the same for every analysis."""

import datetime
import json
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kafo.actors.permissions import may_set_priority_weights
from kafo.analysis import duplicates as duplicates_engine
from kafo.coordination.forms import PriorityWeightsForm
from kafo.feedback import refused_or_new
from kafo.geo.models import AdminUnit
from kafo.mineaction.models import PriorityWeights
from kafo.paging import page_of
from kafo.response.catalogue import ActivityType
from kafo.response.strategies.progress import strategies_with_objectives
from kafo.vocabulary import CLASSIFICATIONS_FOR_WORK, OPEN_HAZARD, VA

CLASS_ORDER = {"no_presence": 0, "below_target": 1, "on_track": 2}
LEVELS = [1, 2, 3]
# Lists under a table, shown in part: the command line and the API give them whole.
IMPRECISE_SHOWN = 100
# A cluster's records linked on the duplications page; the others are counted.
RECORDS_SHOWN = 20
PAIRS_SHOWN = 200
CLUSTERS_PER_PAGE = 50


def drill(name: str, pcode: str, sector: str | None) -> str:
    """The list page `name` filtered to a unit (and a sector)."""
    query = {"pcode": pcode, **({"sector": sector} if sector else {})}
    return f"{reverse(name)}?{urlencode(query)}"


def _hazards_of(pcode: str) -> str:
    return f"{reverse('mineaction:list', args=['hazard'])}?pcode={pcode}"


def _need_url(row: dict, options: dict) -> str:
    """The records behind a row's need: the needs of its sector, or by activity type the
    open hazards the work answers, the accidents of the 12 months."""
    kind = row.get("activity_type")
    if kind is None:
        return drill("response:needs", row["pcode"], row["sector"])
    if kind == VA:
        until = options["end"] or datetime.date.today()
        query = {"pcode": row["pcode"], "start": (until - datetime.timedelta(days=364)),
                 "end": until}  # fmt: skip
        return f"{reverse('mineaction:list', args=['accident'])}?{urlencode(query)}"
    query = {"pcode": row["pcode"], "status": ",".join(OPEN_HAZARD)}
    if kind in CLASSIFICATIONS_FOR_WORK:
        query["classification"] = ",".join(CLASSIFICATIONS_FOR_WORK[kind])
    return f"{reverse('mineaction:list', args=['hazard'])}?{urlencode(query)}"


def _map_units(level: int):
    return AdminUnit.objects.active().filter(level=level).exclude(display_geojson="")


def shaded_features(level: int, shown: dict[str, dict]) -> list[dict]:
    """The level's units, each with the properties given for it (`shade` 0–1 colours it)."""
    return [
        {"type": "Feature", "geometry": json.loads(shape),
         "properties": {"pcode": pcode, "name": name, "shade": 0, "summary": "",
                        "url": drill("response:activities", pcode, None),
                        **shown.get(pcode, {})}}
        for pcode, name, shape in _map_units(level).values_list("pcode", "name",
                                                                 "display_geojson")
    ]  # fmt: skip


def worst_per_unit(rows: list[dict]) -> dict[str, dict]:
    """Each unit's worst row (over sectors or activity types): the unit's colour."""
    worst: dict[str, dict] = {}
    for row in rows:
        known = worst.get(row["pcode"])
        if known is None or CLASS_ORDER[row["class"]] < CLASS_ORDER[known["class"]]:
            worst[row["pcode"]] = row
    return worst


def gaps_context(request: HttpRequest, answer: dict, options: dict) -> dict:
    rows = sorted(
        answer["units"],
        key=lambda u: (CLASS_ORDER[u["class"]], u["coverage"] if u["coverage"] is not None else 9,
                       u["pcode"]),
    )  # fmt: skip
    pager = page_of(request, rows)
    types = dict(ActivityType.choices)
    for row in pager["page"]:  # only the page's rows are shown, and linked
        query = {"pcode": row["pcode"], "sector": row["sector"]}
        if kind := row.get("activity_type"):
            query["type"] = "" if kind == "OTHER" else kind
            row["type_label"] = types.get(kind, kind)
        row["activities_url"] = f"{reverse('response:activities')}?{urlencode(query)}"
        row["needs_url"] = _need_url(row, options)
    worst = worst_per_unit(rows)
    unit_counts = dict.fromkeys([*CLASS_ORDER, "no_data"], 0)
    for pcode in _map_units(options["level"]).values_list("pcode", flat=True):
        unit_counts[worst[pcode]["class"] if pcode in worst else "no_data"] += 1
    return {
        **pager, "imprecise": answer["imprecise"][:IMPRECISE_SHOWN],
        "imprecise_count": answer.get("imprecise_count", len(answer["imprecise"])),
        "by_type": options["by"] == "activity_type", "levels": LEVELS,
        "counts": {name: sum(1 for r in rows if r["class"] == name) for name in CLASS_ORDER},
        "unit_counts": unit_counts,
    }  # fmt: skip


def _head(answer: dict, key: str, shown: int) -> dict:
    # The engine may itself list only the head of a list, and count it whole.
    count = answer.get(f"{key}_count", len(answer[key]))
    return {**answer, key: answer[key][:shown], f"{key}_count": count}


def gaps_share(answer: dict) -> dict:
    """The gaps page's share of an answer: the imprecise activities' head and count."""
    return _head(answer, "imprecise", IMPRECISE_SHOWN)


def duplicates_share(answer: dict) -> dict:
    """The duplications page's share of an answer: the double reporting's head and count
    (pairs grow as the square of the overlapping records)."""
    return _head(answer, "double_reporting", PAIRS_SHOWN)


def gaps_features(answer: dict, options: dict) -> list[dict]:
    worst = worst_per_unit(answer["units"])
    features = []
    for pcode, name, shape in _map_units(options["level"]).values_list(
        "pcode", "name", "display_geojson"
    ):
        row = worst.get(pcode)
        summary = ""
        if row:
            need = row["need"]
            summary = _("%(sector)s: need %(need)s, reached %(reached)s") % {
                "sector": row.get("activity_type") or row["sector"],
                "need": "—" if need is None else need if isinstance(need, str)
                else number_format(need, 0, True),
                "reached": number_format(row["reached"], 0, True),
            }  # fmt: skip
        features.append({
            "type": "Feature", "geometry": json.loads(shape),
            "properties": {"pcode": pcode, "name": name, "gap": row["class"] if row else None,
                           "summary": summary,
                           "url": drill("response:activities", pcode, options["sector"])},
        })  # fmt: skip
    return features


def duplicates_context(request: HttpRequest, answer: dict, options: dict) -> dict:
    clusters = answer["clusters"]
    pager = page_of(request, clusters, CLUSTERS_PER_PAGE)
    for cluster in pager["page"]:
        cluster["period"] = {  # ISO in the engine's output; dates, shown localised, here
            end: datetime.date.fromisoformat(day) if day else None
            for end, day in cluster["period"].items()
        }
        shown = zip(cluster["records"][:RECORDS_SHOWN], cluster["ids"], strict=False)
        cluster["links"] = [(record, reverse("response:activity", args=[pk]))
                            for record, pk in shown]  # fmt: skip
        cluster["more"] = len(cluster["records"]) - len(cluster["links"])
    return {
        **pager, "count": len(clusters),
        "likely": sum(1 for c in clusters if c["kind"] == "likely_duplicate"),
        "double_reporting": answer["double_reporting"][:PAIRS_SHOWN],
        "double_reporting_count": answer.get("double_reporting_count",
                                             len(answer["double_reporting"])),
        "double_reporting_kept": duplicates_engine.DOUBLE_REPORTING_KEPT,
        "radius": options["radius"],
    }  # fmt: skip


def equity_context(request: HttpRequest, answer: dict, options: dict) -> dict:
    rows = sorted(answer["units"], key=lambda u: (-(u["gap"] or 0), u["pcode"]))
    for row in rows:
        row["activities_url"] = drill("response:activities", row["pcode"], options["sector"])
        row["needs_url"] = drill("response:needs", row["pcode"], options["sector"])
    return {"result": answer, "rows": rows, "levels": LEVELS}


def equity_features(answer: dict, options: dict) -> list[dict]:
    largest = max((u["gap"] or 0 for u in answer["units"]), default=0) or 1
    shown = {
        u["pcode"]: {
            "shade": max(u["gap"] or 0, 0) / largest,
            "summary": _("%(need)s %% of the need, %(reached)s %% of the people reached") % {
                "need": number_format(100 * (u["need_share"] or 0), 1),
                "reached": number_format(100 * (u["response_share"] or 0), 1)},
            "url": drill("response:activities", u["pcode"], options["sector"]),
        }
        for u in answer["units"]
    }  # fmt: skip
    return shaded_features(options["level"], shown)


def alignment_context(request: HttpRequest, answer: dict | None, options: dict) -> dict:
    framework = strategies_with_objectives().filter(pk=options["framework"]).first()
    if answer is not None:
        for flow in answer["unaligned"]:
            flow["url"] = reverse("funding:transaction", args=[flow["id"]])
            # ISO in the engine's answer; a date, shown localised, here.
            flow["date"] = datetime.date.fromisoformat(flow["date"]) if flow["date"] else None
        answer["unaligned"] = answer["unaligned"][:100]
    return {"result": answer, "framework": framework, "frameworks": strategies_with_objectives()}


def priorities_context(request: HttpRequest, answer: dict, options: dict) -> dict:
    weights = PriorityWeights.current()
    form = refused_or_new(request, PriorityWeightsForm, instance=PriorityWeights(**{
        name: getattr(weights, name) for name in (*weights.as_dict(), "radius_km")}))  # fmt: skip
    for hazard in answer["hazards"]:
        hazard["url"] = reverse("mineaction:record", args=["hazard", hazard["reference"]])
    for unit in answer["units"]:
        unit["url"] = _hazards_of(unit["pcode"])
    label = {name: PriorityWeights._meta.get_field(name).verbose_name
             for name in weights.as_dict()}  # fmt: skip
    return {
        "result": answer, "hazards": answer["hazards"][:100], "units": answer["units"][:100],
        "criteria": list(label.values()),
        "weights": [(label[name], value) for name, value in answer["weights"].items()],
        "form": form, "can_edit_weights": may_set_priority_weights(request.user), "levels": LEVELS,
    }  # fmt: skip


def priorities_features(answer: dict, options: dict) -> list[dict]:
    top = max((u["score"] for u in answer["units"]), default=0) or 1
    shown = {
        u["pcode"]: {"shade": u["score"] / top,
                     "summary": _("Priority %(rank)s, score %(score)s") % {
                         "rank": u["rank"], "score": number_format(u["score"], 3)},
                     "url": _hazards_of(u["pcode"])}
        for u in answer["units"]
    }  # fmt: skip
    return shaded_features(options["level"], shown)


def community_context(request: HttpRequest, answer: dict, options: dict) -> dict:
    return {"result": answer}


def community_features(answer: dict, options: dict) -> list[dict]:
    uncovered = {u["pcode"] for u in answer["uncovered"]}
    without = {u["pcode"] for u in answer["hazards_without_leader"]}
    shown = {}
    for pcode in uncovered | without:
        shown[pcode] = {
            "shade": 1.0 if pcode in uncovered else 0.5, "url": "",
            "summary": _("Priority unit without a consenting focal point") if pcode in uncovered
            else _("No leader engaged in 12 months"),
        }  # fmt: skip
    features = shaded_features(answer["level"], shown)
    for feature in features:
        if feature["properties"]["pcode"] not in shown:
            feature["properties"]["url"] = ""
    return features
