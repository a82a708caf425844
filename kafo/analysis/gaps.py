"""Gaps: need against response per admin unit of one level × sector, over a period.

Definitions (README, "Coordination analysis"):
- An activity is *present* in a unit of level L when it is located in that unit or in one
  of its descendants. An activity located only at coarser levels is listed as
  *imprecise* and is not presence.
- Need: people in need from the imported needs, summed from finer units up to level L,
  the latest year within the period for each unit and sector.
- Response: the activities present and running during the period; their people
  targeted and reached are shared equally among the level-L units they are present in.
- Coverage = reached ÷ need (current gap), and targeted ÷ need (projected gap).
- Class: `no_presence` (need > 0, no activity present), `below_target` (present,
  coverage under the threshold), `on_track` otherwise.
"""

import datetime
from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class GapOptions:
    level: int = 2
    sector: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    threshold: float = 0.5


def _ancestors(con: duckdb.DuckDBPyConnection) -> None:
    """`ancestors(pcode, ancestor, ancestor_level)`: every unit with itself and above."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ancestors AS
        WITH RECURSIVE chain(pcode, ancestor, ancestor_level) AS (
            SELECT pcode, pcode, level FROM units
            UNION ALL
            SELECT c.pcode, u.parent, p.level FROM chain c
            JOIN units u ON u.pcode = c.ancestor JOIN units p ON p.pcode = u.parent
        )
        SELECT * FROM chain
    """)


def gaps(con: duckdb.DuckDBPyConnection, options: GapOptions = GapOptions()) -> dict:
    """The gap of every unit of the level with need or presence, and the imprecise
    activities, as `{"level", "units": [...], "imprecise": [...]}`."""
    _ancestors(con)
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
    rows = con.execute(
        """
        SELECT coalesce(n.unit, r.unit) AS pcode, u.name, coalesce(n.sector, r.sector) AS sector,
               n.need, coalesce(r.targeted, 0) AS targeted, coalesce(r.reached, 0) AS reached,
               coalesce(r.activities, 0) AS activities,
               coalesce(r.organisations, []) AS organisations,
               coalesce(r.activity_ids, []) AS activity_ids
        FROM need n FULL JOIN response r ON r.unit = n.unit AND r.sector = n.sector
        JOIN units u ON u.pcode = coalesce(n.unit, r.unit)
        ORDER BY pcode, sector
        """
    ).fetchall()
    units = []
    for pcode, name, sector, need, targeted, reached, count, organisations, ids in rows:
        coverage = reached / need if need else None
        projected = targeted / need if need else None
        units.append({
            "pcode": pcode, "name": name, "sector": sector, "need": need,
            "targeted": round(targeted), "reached": round(reached),
            "coverage": None if coverage is None else round(coverage, 4),
            "targeted_coverage": None if projected is None else round(projected, 4),
            "organisations": list(organisations), "activities": list(ids),
            "class": _class(need, count, coverage, options.threshold),
            "projected_class": _class(need, count, projected, options.threshold),
        })  # fmt: skip
    return {"level": options.level, "units": units, "imprecise": _imprecise(con, options.level)}


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
