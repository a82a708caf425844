"""Priorities: a transparent multi-criteria score per open hazard and per admin unit.

Criteria (each scaled 0–1 by the largest value among the ranked items):
- casualties: victims of accidents within R km (units: in the unit) in the 12 months
  before the reference date;
- population: people of the hazard's admin unit (the finest with a population), or of
  the unit;
- settlements: populated places within R km (units: in the unit);
- blockages: services the hazard blocks (units: the sum over its open hazards);
- access: how reachable the place is, 1 − difficulty (0 open … 1 no access, from the
  coordination; unknown counts as open), so that what can be cleared now comes first.
Score = Σ weight × scaled value; every criterion's contribution is given with it.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np

from kafo.analysis.engine import (
    around_cells,
    build_ancestors,
    grid_cell,
    in_cells,
    rounded,
    within,
)
from kafo.collector import collector_paused
from kafo.vocabulary import OPEN_HAZARD

DEFAULT_WEIGHTS = {
    "casualties": 0.35, "population": 0.2, "settlements": 0.2, "blockages": 0.15, "access": 0.1,
}  # fmt: skip


@dataclass(frozen=True)
class PriorityOptions:
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    radius_km: float = 5.0
    as_of: datetime.date | None = None
    level: int = 2
    top: int | None = None


def near(con: duckdb.DuckDBPyConnection, table: str, radius: float, value: str) -> None:
    """`near_<table>(reference, total)`: the sum of `value` within the radius of each hazard."""
    cell = grid_cell(con, radius, "ranked_hazards", f"{table}_in_scope")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE near_{table} AS
        SELECT h.reference, coalesce(sum({value}), 0) AS total
        FROM {in_cells("ranked_hazards", cell)} h
        JOIN {around_cells(f"{table}_in_scope", cell)} o ON o.cx = h.cx AND o.cy = h.cy
        WHERE {within("h", "o", radius, cell)}
        GROUP BY h.reference
        """
    )


def in_scope(con: duckdb.DuckDBPyConnection, options: PriorityOptions) -> datetime.date:
    """The tables ranked (`ranked_hazards`: open ones) and counted around them
    (`incidents_in_scope`: the 12 months before the reference date, `settlements_in_scope`);
    returns the reference date."""
    as_of = options.as_of or datetime.date.today()
    since = as_of - datetime.timedelta(days=365)
    build_ancestors(con)
    # Only the columns read.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE ranked_hazards AS "
        f"SELECT reference, pcode, lon, lat, blockages FROM hazards "
        f"WHERE status IN ({', '.join(repr(s) for s in OPEN_HAZARD)})"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE incidents_in_scope AS "
        "SELECT pcode, lon, lat, casualties FROM incidents "
        "WHERE date > $since AND date <= $as_of",
        {"since": since, "as_of": as_of},
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE settlements_in_scope AS SELECT lon, lat FROM settlements"
    )
    return as_of


def _scored(
    keys: dict[str, np.ndarray], values: dict[str, np.ndarray], weights: dict[str, float]
) -> list[dict[str, Any]]:
    """Rows ranked best first, each with its two `keys`, `values`, `contributions` (each
    criterion scaled by its largest value and weighed), `score` and `rank`."""
    if tuple(weights) != tuple(DEFAULT_WEIGHTS):
        raise ValueError(f"weights are given for {', '.join(DEFAULT_WEIGHTS)}, in that order")
    count = len(values["access"])
    contributions, total = {}, np.zeros(count)
    for name in weights:
        column = np.asarray(values[name], dtype=float)
        top = column.max() if count else 0
        contributions[name] = rounded(weights[name] * (column / top) if top else np.zeros(count), 4)
        total = total + contributions[name]  # left to right, as Python's sum
    score = rounded(total, 4)
    (first_name, first), (second_name, second) = keys.items()
    # Best score first, ties by the first key (numpy's strings order as Python's).
    order = np.lexsort((np.array(["" if k is None else k for k in first.tolist()], dtype=str),
                        -score))  # fmt: skip
    columns = [first, second, *(values[n] for n in weights), *(contributions[n] for n in weights)]
    ranked = zip(*(np.asarray(column)[order].tolist() for column in columns),
                 score[order].tolist(), range(1, count + 1), strict=True)  # fmt: skip
    # One literal per row (not dict(zip(...))): 70,000 hazards are ranked at every size.
    return [
        {first_name: a, second_name: b,
         "values": {"casualties": v1, "population": v2, "settlements": v3, "blockages": v4,
                    "access": v5},
         "contributions": {"casualties": c1, "population": c2, "settlements": c3,
                           "blockages": c4, "access": c5},
         "score": s, "rank": rank}
        for a, b, v1, v2, v3, v4, v5, c1, c2, c3, c4, c5, s, rank in ranked
    ]  # fmt: skip


@collector_paused()
def priorities(
    con: duckdb.DuckDBPyConnection, options: PriorityOptions | None = None
) -> dict[str, Any]:
    """`{"weights", "as_of", "radius_km", "hazards": [...], "units": [...]}`, each ranked
    with `values`, `contributions` and `score`."""
    options = options or PriorityOptions()
    unknown = set(options.weights) - set(DEFAULT_WEIGHTS)
    if unknown or any(w < 0 for w in options.weights.values()):
        raise ValueError(f"weights are among {sorted(DEFAULT_WEIGHTS)}, 0 or more")
    weights = {name: float(options.weights.get(name, 0)) for name in DEFAULT_WEIGHTS}
    as_of = in_scope(con, options)
    near(con, "incidents", options.radius_km, "o.casualties")
    near(con, "settlements", options.radius_km, "1")
    # The population of the finest unit above (or at) each place that has one.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE unit_population AS
        SELECT a.pcode, arg_max(u.population, u.level) AS population
        FROM ancestors a JOIN units u ON u.pcode = a.ancestor
        WHERE u.population IS NOT NULL GROUP BY a.pcode
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE difficulty AS
        SELECT a.pcode, max(x.difficulty) AS difficulty
        FROM access x JOIN ancestors a ON a.ancestor = x.pcode GROUP BY a.pcode
        """
    )
    hazards = con.execute(
        """
        SELECT h.reference, h.pcode, coalesce(c.total, 0)::BIGINT AS casualties,
               coalesce(p.population, 0)::BIGINT AS population,
               coalesce(s.total, 0)::BIGINT AS settlements,
               coalesce(h.blockages, 0)::BIGINT AS blockages,
               1 - least(greatest(coalesce(d.difficulty, 0), 0), 1) AS access
        FROM ranked_hazards h
        LEFT JOIN near_incidents c ON c.reference = h.reference
        LEFT JOIN near_settlements s ON s.reference = h.reference
        LEFT JOIN unit_population p ON p.pcode = h.pcode
        LEFT JOIN difficulty d ON d.pcode = h.pcode
        """
    ).fetchnumpy()
    units = con.execute(
        """
        WITH at_level AS (
            SELECT pcode, ancestor AS unit FROM ancestors WHERE ancestor_level = $level
        ),
        hazard_units AS (
            SELECT l.unit, coalesce(sum(h.blockages), 0) AS blockages
            FROM ranked_hazards h JOIN at_level l ON l.pcode = h.pcode GROUP BY l.unit
        ),
        casualty_units AS (
            SELECT l.unit, sum(i.casualties) AS casualties
            FROM incidents_in_scope i JOIN at_level l ON l.pcode = i.pcode GROUP BY l.unit
        ),
        settlement_units AS (
            SELECT l.unit, count(*) AS settlements
            FROM settlements s JOIN at_level l ON l.pcode = s.unit GROUP BY l.unit
        )
        SELECT u.pcode, u.name, coalesce(c.casualties, 0)::BIGINT AS casualties,
               coalesce(u.population, 0)::BIGINT AS population,
               coalesce(s.settlements, 0)::BIGINT AS settlements, h.blockages::BIGINT AS blockages,
               1 - least(greatest(coalesce(d.difficulty, 0), 0), 1) AS access
        FROM units u JOIN hazard_units h ON h.unit = u.pcode
        LEFT JOIN casualty_units c ON c.unit = u.pcode
        LEFT JOIN settlement_units s ON s.unit = u.pcode
        LEFT JOIN difficulty d ON d.pcode = u.pcode
        WHERE u.level = $level
        """,
        {"level": options.level},
    ).fetchnumpy()
    ranked_hazards = _scored(
        {"reference": hazards["reference"], "pcode": hazards["pcode"]}, hazards, weights
    )
    ranked_units = _scored({"pcode": units["pcode"], "name": units["name"]}, units, weights)
    if options.top:
        ranked_hazards, ranked_units = ranked_hazards[: options.top], ranked_units[: options.top]
    return {
        "weights": weights, "as_of": as_of.isoformat(), "radius_km": options.radius_km,
        "level": options.level, "hazards": ranked_hazards, "units": ranked_units,
    }  # fmt: skip
