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

By activity type (`by="activity_type"`, mine action's technical gaps): each mine action
activity type against the need it answers, per unit —
- EORE: the people living within R km of open hazards (coverage: reached ÷ them);
- VA: the casualties of the 12 months (coverage: reached ÷ them);
- NTS: open indications; TS: open suspected areas (SHA); CLR: open confirmed areas (CHA);
  EOD: open EOD spot tasks and ammunition storage areas — a need in hazards and m², not
  in people: no presence of that type is `no_presence`, presence is `on_track`.
Other types (advocacy, capacity building, stockpile destruction, other) have no local
need: they are listed as response.
"""

import datetime
from dataclasses import dataclass, replace
from typing import Any

import duckdb

from kafo.analysis.engine import (
    around_cells,
    build_ancestors,
    fetch_columns,
    grid_cell,
    in_cells,
    within,
)
from kafo.collector import collector_paused
from kafo.vocabulary import CLASSIFICATIONS_FOR_WORK, MINE_ACTION, OPEN_HAZARD

BY = ("sector", "activity_type")
# A unit's row lists the ids of its first activities, and counts them all: a unit of a
# large 5W holds tens of thousands, which the list (/response/activities/?pcode=) shows.
ACTIVITIES_LISTED = 100
# The imprecise activities listed, and counted all (a 5W placed by cercle holds them all
# at the commune level).
IMPRECISE_KEPT = 10_000
# As SQL lists (one class reads as a tuple of one, which SQL refuses: padded with itself).
STAGE_CLASSES = {kind: classes * 2 if len(classes) == 1 else classes
                 for kind, classes in CLASSIFICATIONS_FOR_WORK.items()}  # fmt: skip


@dataclass(frozen=True)
class GapOptions:
    level: int = 2
    sector: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    threshold: float = 0.5
    # Mine action need: settlements within this distance of an open hazard.
    radius_km: float = 5.0
    # Rows per unit × sector, or per unit × mine action activity type (technical gaps).
    by: str = "sector"


@collector_paused()
def gaps(con: duckdb.DuckDBPyConnection, options: GapOptions = GapOptions()) -> dict[str, Any]:
    """The gap of every unit of the level with need or presence, and the imprecise
    activities, as `{"level", "units": [...], "imprecise": [...], "imprecise_count"}`
    (with "by"): each unit's `activities` are its first ACTIVITIES_LISTED ids and
    `activity_count` all of them; `imprecise` the first IMPRECISE_KEPT and
    `imprecise_count` all of them."""
    if options.by not in BY:
        raise ValueError(f"gaps are by {' or '.join(BY)}")
    if options.by == "activity_type":
        if options.sector not in (None, MINE_ACTION):
            raise ValueError(f"activity types are those of mine action ({MINE_ACTION})")
        options = replace(options, sector=MINE_ACTION)
    build_ancestors(con)
    params = {
        "level": options.level,
        "sector": options.sector,
        "start": options.start,
        "end": options.end,
        "threshold": options.threshold,
    }
    # A row's kind: its sector, or its activity type (blank: OTHER); only the columns read.
    by_type = options.by == "activity_type"
    kind = ", coalesce(nullif(activity_type, ''), 'OTHER') AS kind" if by_type else ""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE running AS
        SELECT id, source_id, organisation, sector{kind}, targeted, reached
        FROM activities
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
        f"""
        CREATE OR REPLACE TEMP TABLE response AS
        WITH units AS (SELECT activity_id, count(*) AS units FROM presence GROUP BY activity_id),
        shares AS (
            SELECT p.unit, r.{"kind" if by_type else "sector"} AS kind, r.id, r.organisation,
                   r.targeted / u.units AS targeted, r.reached / u.units AS reached
            FROM presence p JOIN running r ON r.id = p.activity_id
            JOIN units u ON u.activity_id = p.activity_id
        )
        -- An activity is once in a unit, of one kind: its id is met once in a group.
        SELECT unit, kind, count(*) AS activities,
               list(DISTINCT organisation ORDER BY organisation) AS organisations,
               min(id, $listed) AS activity_ids,  -- the smallest, in order
               sum(targeted) AS targeted, sum(reached) AS reached
        FROM shares GROUP BY unit, kind
        """,
        {"listed": ACTIVITIES_LISTED},
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
    imprecise, imprecise_count = _imprecise(con, options.level)
    listed = {"imprecise": imprecise, "imprecise_count": imprecise_count}
    if options.by == "activity_type":
        return {"level": options.level, "units": _by_activity_type(con, options), **listed}
    rows = fetch_columns(
        con,
        """
        WITH keys AS (
            SELECT unit, sector FROM need UNION SELECT unit, kind FROM response
            UNION SELECT unit, $mine_action FROM mine_action_need
        )
        SELECT k.unit AS pcode, u.name, k.sector, n.need, coalesce(r.targeted, 0),
               coalesce(r.reached, 0), coalesce(r.activities, 0),
               r.organisations, r.activity_ids,
               m.people_near_hazards, m.casualties, m.remaining_m2, m.blocked_services
        FROM keys k JOIN units u ON u.pcode = k.unit
        LEFT JOIN need n ON n.unit = k.unit AND n.sector = k.sector
        LEFT JOIN response r ON r.unit = k.unit AND r.kind = k.sector
        LEFT JOIN mine_action_need m ON m.unit = k.unit AND k.sector = $mine_action
        ORDER BY k.unit, k.sector
        """,
        {"mine_action": MINE_ACTION},
    )
    units = []
    for (pcode, name, sector, need, targeted, reached, count, organisations, ids, near,
         casualties, remaining, blocked) in zip(*rows, strict=True):  # fmt: skip
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
            # Lists missing where nothing is present (DuckDB's coalesce copies every list).
            "organisations": organisations or [], "activities": ids or [],
            "activity_count": count, "mine_action": mine_action,
            "class": _class(in_need, count, coverage, options.threshold),
            "projected_class": _class(in_need, count, projected, options.threshold),
        })  # fmt: skip
    return {"level": options.level, "units": units, **listed}


def _by_activity_type(con: duckdb.DuckDBPyConnection, options: GapOptions) -> list[dict[str, Any]]:
    """Mine action's technical gaps: each activity type against the need it answers (see
    the module's docstring), per unit of the level."""
    stages = " UNION ALL ".join(
        f"SELECT unit, '{kind}', NULL, hazards_{kind}, remaining_m2_{kind} FROM mine_action_need"
        f" WHERE hazards_{kind} > 0"
        for kind in CLASSIFICATIONS_FOR_WORK
    )
    rows = fetch_columns(
        con,
        f"""
        WITH type_need(unit, kind, need, hazards, remaining_m2) AS (
            SELECT unit, 'EORE', people_near_hazards, NULL::BIGINT, NULL::DOUBLE
            FROM mine_action_need WHERE people_near_hazards > 0
            UNION ALL
            SELECT unit, 'VA', casualties, NULL, NULL FROM mine_action_need WHERE casualties > 0
            UNION ALL {stages}
        ),
        keys AS (SELECT unit, kind FROM type_need UNION SELECT unit, kind FROM response)
        SELECT k.unit, u.name, k.kind, n.need, n.hazards, n.remaining_m2,
               coalesce(r.targeted, 0), coalesce(r.reached, 0), coalesce(r.activities, 0),
               r.organisations, r.activity_ids
        FROM keys k JOIN units u ON u.pcode = k.unit
        LEFT JOIN type_need n ON n.unit = k.unit AND n.kind = k.kind
        LEFT JOIN response r ON r.unit = k.unit AND r.kind = k.kind
        ORDER BY k.unit, k.kind
        """,
    )
    units = []
    for (pcode, name, kind, need, hazards, remaining, targeted, reached, count, organisations,
         ids) in zip(*rows, strict=True):  # fmt: skip
        need = None if need is None else round(need)
        coverage = reached / need if need else None
        projected = targeted / need if need else None
        in_need = bool(need) or bool(hazards)
        units.append({
            "pcode": pcode, "name": name, "sector": MINE_ACTION, "activity_type": kind,
            "need": need, "hazards": hazards,
            "remaining_m2": None if remaining is None else round(remaining),
            "targeted": round(targeted), "reached": round(reached),
            "coverage": None if coverage is None else round(coverage, 4),
            "targeted_coverage": None if projected is None else round(projected, 4),
            "organisations": organisations or [], "activities": ids or [],
            "activity_count": count,
            "class": _class(in_need, count, coverage, options.threshold),
            "projected_class": _class(in_need, count, projected, options.threshold),
        })  # fmt: skip
    return units


def _mine_action_need(con: duckdb.DuckDBPyConnection, options: GapOptions) -> None:
    """`mine_action_need(unit, people_near_hazards, casualties, remaining_m2,
    blocked_services)` for the level's units (empty unless mine action is analysed)."""
    wanted = options.sector in (None, MINE_ACTION)
    until = options.end or datetime.date.today()
    cell = grid_cell(con, options.radius_km, "hazards", "settlements")
    stages = ", ".join(
        f"count(*) FILTER (WHERE classification IN {classes!r}) AS hazards_{kind}, "
        f"sum(remaining_m2) FILTER (WHERE classification IN {classes!r}) AS remaining_m2_{kind}"
        for kind, classes in STAGE_CLASSES.items()
    )
    stage_totals = ", ".join(
        f"coalesce(h.hazards_{kind}, 0) AS hazards_{kind}, "
        f"coalesce(h.remaining_m2_{kind}, 0) AS remaining_m2_{kind}"
        for kind in CLASSIFICATIONS_FOR_WORK
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE mine_action_need AS
        WITH open_hazards AS (
            SELECT h.lon, h.lat, h.remaining_m2, h.blockages, h.classification,
                   a.ancestor AS unit
            FROM hazards h
            JOIN ancestors a ON a.pcode = h.pcode AND a.ancestor_level = $level
            WHERE $wanted AND h.status IN {OPEN_HAZARD}
        ),
        settled AS (  -- each settlement's people: its own count, else its unit's share
            SELECT s.*, coalesce(s.population,
                floor(u.population / count(*) OVER (PARTITION BY s.unit)))::BIGINT AS people
            FROM settlements s LEFT JOIN units u ON u.pcode = s.unit
        ),
        near AS (
            SELECT DISTINCT h.unit, s.pcode, s.people
            FROM {in_cells("open_hazards", cell)} h JOIN {around_cells("settled", cell)} s
              ON s.cx = h.cx AND s.cy = h.cy
            WHERE {within("h", "s", options.radius_km, cell)}
        ),
        near_units AS (SELECT unit, sum(people) AS people FROM near GROUP BY unit),
        casualties AS (
            SELECT a.ancestor AS unit, sum(i.casualties) AS casualties FROM incidents i
            JOIN ancestors a ON a.pcode = i.pcode AND a.ancestor_level = $level
            WHERE $wanted AND i.date > $until::DATE - INTERVAL 365 DAY AND i.date <= $until::DATE
            GROUP BY 1
        ),
        hazard_units AS (
            SELECT unit, sum(remaining_m2) AS remaining_m2, sum(blockages) AS blocked_services,
                   {stages}
            FROM open_hazards GROUP BY unit
        )
        SELECT coalesce(h.unit, c.unit) AS unit, n.people AS people_near_hazards,
               coalesce(c.casualties, 0) AS casualties, coalesce(h.remaining_m2, 0) AS remaining_m2,
               coalesce(h.blocked_services, 0) AS blocked_services,
               {stage_totals}
        FROM hazard_units h FULL JOIN casualties c ON c.unit = h.unit
        LEFT JOIN near_units n ON n.unit = coalesce(h.unit, c.unit)
        """,
        {"level": options.level, "wanted": wanted, "until": until},
    )


def _class(need: Any, activities: int, coverage: float | None, threshold: float) -> str:
    if need and not activities:
        return "no_presence"
    if need and coverage is not None and coverage < threshold:
        return "below_target"
    return "on_track"


def _imprecise(con: duckdb.DuckDBPyConnection, level: int) -> tuple[list[dict[str, Any]], int]:
    """Running activities located only above the level: not presence, listed to fix (the
    first IMPRECISE_KEPT by id), and their count."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE imprecise AS
        WITH absent AS (  -- the few running activities not present, before their places
            SELECT * FROM running r
            WHERE NOT EXISTS (SELECT 1 FROM presence p WHERE p.activity_id = r.id)
        )
        SELECT r.id, any_value(r.source_id) AS source_id,  -- an activity's, by its id
               any_value(r.organisation) AS organisation, any_value(r.sector) AS sector,
               list(DISTINCT au.pcode ORDER BY au.pcode) AS pcodes
        FROM absent r JOIN activity_units au ON au.activity_id = r.id
        JOIN units u ON u.pcode = au.pcode
        GROUP BY r.id
        HAVING max(u.level) < $level
        """,
        {"level": level},
    )
    count = con.execute("SELECT count(*) FROM imprecise").fetchone()
    rows = fetch_columns(con, "SELECT * FROM imprecise ORDER BY id LIMIT $kept",
                         {"kept": IMPRECISE_KEPT})  # fmt: skip
    listed = [
        {"id": i, "source_id": source, "organisation": org, "sector": sector, "pcodes": pcodes}
        for i, source, org, sector, pcodes in zip(*rows, strict=True)
    ]
    return listed, count[0] if count else 0
