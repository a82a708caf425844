"""Gaps: need against response per admin unit of one level × sector, over a period.

Definitions (README, "Coordination analysis"):
- An activity is *present* in a unit of level L when it is located in that unit or in one
  of its descendants. An activity located only at coarser levels is listed as
  *imprecise* and is not presence.
- Need: people in need from the imported needs, summed from finer units up to level L,
  the latest year within the period for each unit and sector. For mine action (PRO-MIN)
  also the mine action need of the unit: people of the settlements within R km of its
  open hazards (a settlement's own population, else its share of its admin unit's, in
  whole people),
  casualties of the 12 months before the period's end, remaining contaminated area and
  blocked services. A unit with any of these has a need, even without a figure of people
  in need (coverage is then unknown).
- Response: the activities present and running during the period; their people
  targeted and reached are shared equally among the level-L units they are present in.
- Coverage = reached ÷ need (current gap), and targeted ÷ need (projected gap).
- Class: `no_presence` (need > 0, no activity present), `below_target` (present,
  coverage under the threshold), `on_track` otherwise.
"""

import datetime
from dataclasses import dataclass

import duckdb

from kafo.analysis.engine import around_cells, build_ancestors, grid_cell, in_cells, km

MINE_ACTION = "PRO-MIN"
OPEN_HAZARDS = ("open", "worked_on")


@dataclass(frozen=True)
class GapOptions:
    level: int = 2
    sector: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    threshold: float = 0.5
    # Mine action need: settlements within this distance of an open hazard.
    radius_km: float = 5.0


def gaps(con: duckdb.DuckDBPyConnection, options: GapOptions = GapOptions()) -> dict:
    """The gap of every unit of the level with need or presence, and the imprecise
    activities, as `{"level", "units": [...], "imprecise": [...]}`."""
    build_ancestors(con)
    params = {
        "level": options.level,
        "sector": options.sector,
        "start": options.start,
        "end": options.end,
        "threshold": options.threshold,
    }
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE running AS
        SELECT * FROM activities
        WHERE ($sector IS NULL OR sector = $sector)
          AND ($end IS NULL OR start IS NULL OR start <= $end::DATE)
          AND ($start IS NULL OR "end" IS NULL OR "end" >= $start::DATE)
        """,
        {k: params[k] for k in ("sector", "start", "end")},
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE presence AS
        SELECT DISTINCT au.activity_id, a.ancestor AS unit
        FROM activity_units au JOIN ancestors a ON a.pcode = au.pcode
        WHERE a.ancestor_level = $level AND au.activity_id IN (SELECT id FROM running)
        """,
        {"level": options.level},
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE response AS
        WITH shares AS (
            SELECT p.unit, r.sector, r.id, r.organisation,
                   r.targeted / count(*) OVER (PARTITION BY r.id) AS targeted,
                   r.reached / count(*) OVER (PARTITION BY r.id) AS reached
            FROM presence p JOIN running r ON r.id = p.activity_id
        )
        SELECT unit, sector, count(DISTINCT id) AS activities,
               list(DISTINCT organisation ORDER BY organisation) AS organisations,
               list(DISTINCT id ORDER BY id) AS activity_ids,
               sum(targeted) AS targeted, sum(reached) AS reached
        FROM shares GROUP BY unit, sector
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE need AS
        WITH placed AS (
            SELECT a.ancestor AS unit, n.sector, n.year, n.in_need
            FROM needs n JOIN ancestors a ON a.pcode = n.pcode
            WHERE a.ancestor_level = $level AND n.sector <> '' AND n.in_need IS NOT NULL
              AND ($sector IS NULL OR n.sector = $sector)
              AND ($start IS NULL OR n.year >= year($start::DATE))
              AND ($end IS NULL OR n.year <= year($end::DATE))
        ),
        latest AS (SELECT unit, sector, max(year) AS year FROM placed GROUP BY unit, sector)
        SELECT p.unit, p.sector, p.year, sum(p.in_need) AS need
        FROM placed p JOIN latest l USING (unit, sector, year)
        GROUP BY p.unit, p.sector, p.year
        """,
        {k: params[k] for k in ("level", "sector", "start", "end")},
    )
    _mine_action_need(con, options)
    rows = con.execute(
        """
        WITH keys AS (
            SELECT unit, sector FROM need UNION SELECT unit, sector FROM response
            UNION SELECT unit, $mine_action FROM mine_action_need
        )
        SELECT k.unit AS pcode, u.name, k.sector, n.need, coalesce(r.targeted, 0),
               coalesce(r.reached, 0), coalesce(r.activities, 0),
               coalesce(r.organisations, []), coalesce(r.activity_ids, []),
               m.people_near_hazards, m.casualties, m.remaining_m2, m.blocked_services
        FROM keys k JOIN units u ON u.pcode = k.unit
        LEFT JOIN need n ON n.unit = k.unit AND n.sector = k.sector
        LEFT JOIN response r ON r.unit = k.unit AND r.sector = k.sector
        LEFT JOIN mine_action_need m ON m.unit = k.unit AND k.sector = $mine_action
        ORDER BY k.unit, k.sector
        """,
        {"mine_action": MINE_ACTION},
    ).fetchall()
    units = []
    for (pcode, name, sector, need, targeted, reached, count, organisations, ids, near,
         casualties, remaining, blocked) in rows:  # fmt: skip
        coverage = reached / need if need else None
        projected = targeted / need if need else None
        mine_action = None
        if sector == MINE_ACTION:
            mine_action = {"people_near_hazards": round(near or 0),
                           "casualties_12_months": casualties or 0,
                           "remaining_m2": round(remaining or 0),
                           "blocked_services": blocked or 0}  # fmt: skip
        in_need = bool(need) or bool(mine_action and any(mine_action.values()))
        units.append({
            "pcode": pcode, "name": name, "sector": sector, "need": need,
            "targeted": round(targeted), "reached": round(reached),
            "coverage": None if coverage is None else round(coverage, 4),
            "targeted_coverage": None if projected is None else round(projected, 4),
            "organisations": list(organisations), "activities": list(ids),
            "mine_action": mine_action,
            "class": _class(in_need, count, coverage, options.threshold),
            "projected_class": _class(in_need, count, projected, options.threshold),
        })  # fmt: skip
    return {"level": options.level, "units": units, "imprecise": _imprecise(con, options.level)}


def _mine_action_need(con: duckdb.DuckDBPyConnection, options: GapOptions) -> None:
    """`mine_action_need(unit, people_near_hazards, casualties, remaining_m2,
    blocked_services)` for the level's units (empty unless mine action is analysed)."""
    wanted = options.sector in (None, MINE_ACTION)
    until = options.end or datetime.date.today()
    cell = grid_cell(con, options.radius_km, "hazards", "settlements")
    distance = km("h", "s")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE mine_action_need AS
        WITH open_hazards AS (
            SELECT h.*, a.ancestor AS unit FROM hazards h
            JOIN ancestors a ON a.pcode = h.pcode AND a.ancestor_level = $level
            WHERE $wanted AND h.status IN {OPEN_HAZARDS}
        ),
        settled AS (  -- each settlement's people: its own count, else its unit's share
            SELECT s.*, coalesce(s.population,
                floor(u.population / count(*) OVER (PARTITION BY s.unit)))::BIGINT AS people
            FROM settlements s LEFT JOIN units u ON u.pcode = s.unit
        ),
        near AS (
            SELECT DISTINCT h.unit, s.pcode, s.people
            FROM {around_cells("open_hazards", cell)} h JOIN {in_cells("settled", cell)} s
              ON s.cx = h.cx AND s.cy = h.cy
            WHERE {distance} <= $radius
        ),
        near_units AS (SELECT unit, sum(people) AS people FROM near GROUP BY unit),
        casualties AS (
            SELECT a.ancestor AS unit, sum(i.casualties) AS casualties FROM incidents i
            JOIN ancestors a ON a.pcode = i.pcode AND a.ancestor_level = $level
            WHERE $wanted AND i.date > $until::DATE - INTERVAL 365 DAY AND i.date <= $until::DATE
            GROUP BY 1
        ),
        hazard_units AS (
            SELECT unit, sum(remaining_m2) AS remaining_m2, sum(blockages) AS blocked_services
            FROM open_hazards GROUP BY unit
        )
        SELECT coalesce(h.unit, c.unit) AS unit, n.people AS people_near_hazards,
               coalesce(c.casualties, 0) AS casualties, coalesce(h.remaining_m2, 0) AS remaining_m2,
               coalesce(h.blocked_services, 0) AS blocked_services
        FROM hazard_units h FULL JOIN casualties c ON c.unit = h.unit
        LEFT JOIN near_units n ON n.unit = coalesce(h.unit, c.unit)
        """,
        {"level": options.level, "wanted": wanted, "until": until, "radius": options.radius_km},
    )


def _class(need, activities: int, coverage: float | None, threshold: float) -> str:
    if need and not activities:
        return "no_presence"
    if need and coverage is not None and coverage < threshold:
        return "below_target"
    return "on_track"


def _imprecise(con: duckdb.DuckDBPyConnection, level: int) -> list[dict]:
    """Running activities located only above the level: not presence, listed to fix."""
    rows = con.execute(
        """
        SELECT r.id, r.source_id, r.organisation, r.sector,
               list(DISTINCT au.pcode ORDER BY au.pcode) AS pcodes
        FROM running r JOIN activity_units au ON au.activity_id = r.id
        JOIN units u ON u.pcode = au.pcode
        WHERE r.id NOT IN (SELECT activity_id FROM presence)
        GROUP BY r.id, r.source_id, r.organisation, r.sector
        HAVING max(u.level) < $level
        ORDER BY r.id
        """,
        {"level": level},
    ).fetchall()
    return [
        {"id": i, "source_id": source, "organisation": org, "sector": sector,
         "pcodes": list(pcodes)}
        for i, source, org, sector, pcodes in rows
    ]  # fmt: skip
