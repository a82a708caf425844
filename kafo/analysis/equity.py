"""Equity: is the response shared out as the need is?

For each unit of level L (one sector, or every sector together, where each unit's
largest sector figure counts, so that nobody is counted twice): its share of the
people in need against its share of the people reached. Across the units with need, the
concentration of coverage (Gini; Theil). The most under-served units: the largest need
share not matched by response. Headline: the share of the national territory (area of
the level's units with an activity present) and of the people in need (in units with an
activity present) that is covered.
"""

import math
from dataclasses import replace
from typing import Any

import duckdb

from kafo.analysis.gaps import GapOptions, gaps


def gini(values: list[float]) -> float | None:
    """Gini index of non-negative values (0: all equal, towards 1: concentrated)."""
    if not values or sum(values) == 0:
        return None
    ordered = sorted(values)
    n = len(ordered)
    weighted = sum((index + 1) * value for index, value in enumerate(ordered))
    return (2 * weighted) / (n * sum(ordered)) - (n + 1) / n


def theil(values: list[float]) -> float | None:
    """Theil T index (0: all equal; log of the number of units: all in one)."""
    if not values or sum(values) == 0:
        return None
    mean = sum(values) / len(values)
    return sum((v / mean) * math.log(v / mean) for v in values if v > 0) / len(values)


def equity(
    con: duckdb.DuckDBPyConnection,
    options: GapOptions | None = None,
    top: int = 10,
    gaps_result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`{"level", "sector", "units": [...], "gini", "theil", "underserved",
    "territory_covered", "people_in_need_covered"}`; `gaps_result`: the gaps already
    computed with the same options (the whole analysis computes them once)."""
    # Shares of the people in need: the gaps by sector (by activity type, need is not
    # always counted in people).
    options = replace(options or GapOptions(), by="sector")
    result = gaps_result if gaps_result is not None else gaps(con, options)
    by_unit: dict[str, dict[str, Any]] = {}
    for row in result["units"]:
        unit = by_unit.setdefault(
            row["pcode"], {"pcode": row["pcode"], "name": row["name"], "need": 0, "reached": 0,
                           "present": False},
        )  # fmt: skip
        # Across sectors a person is counted once: the unit's largest sector figure.
        unit["need"] = max(unit["need"], row["need"] or 0)
        unit["reached"] = max(unit["reached"], row["reached"])
        unit["present"] = unit["present"] or bool(row["activities"])
    total_need = sum(u["need"] for u in by_unit.values())
    total_reached = sum(u["reached"] for u in by_unit.values())
    units = []
    for unit in sorted(by_unit.values(), key=lambda u: u["pcode"]):
        need_share = unit["need"] / total_need if total_need else None
        response_share = unit["reached"] / total_reached if total_reached else None
        units.append({
            **unit,
            "coverage": round(unit["reached"] / unit["need"], 4) if unit["need"] else None,
            "need_share": None if need_share is None else round(need_share, 4),
            "response_share": None if response_share is None else round(response_share, 4),
            "gap": None if need_share is None else round(need_share - (response_share or 0), 4),
        })  # fmt: skip
    coverages = [min(u["reached"] / u["need"], 1.0) for u in units if u["need"]]
    underserved = sorted(
        (u for u in units if u["gap"] is not None and u["gap"] > 0), key=lambda u: -u["gap"]
    )[:top]
    areas = dict(
        con.execute(
            "SELECT pcode, coalesce(area_km2, 0) FROM units WHERE level = $level",
            {"level": options.level},
        ).fetchall()
    )
    total_area = sum(areas.values())
    present_area = sum(areas.get(u["pcode"], 0) for u in units if u["present"])
    need_present = sum(u["need"] for u in units if u["present"])
    return {
        "level": options.level,
        "sector": options.sector,
        "units": units,
        "gini": None if (g := gini(coverages)) is None else round(g, 4),
        "theil": None if (t := theil(coverages)) is None else round(t, 4),
        "underserved": [
            {"pcode": u["pcode"], "name": u["name"], "gap": u["gap"]} for u in underserved
        ],
        "territory_covered": round(present_area / total_area, 4) if total_area else None,
        "people_in_need_covered": round(need_present / total_need, 4) if total_need else None,
    }
