"""Duplications: activity records that overlap, grouped into clusters.

Two records overlap when all three hold:
- the same activity type;
- their locations meet: the same p-code, one p-code an ancestor of the other, or points
  within R km (5 by default);
- their periods overlap (an open end means "still running"; an unknown start, "since
  ever").
Overlapping records form clusters (connected components). A cluster is
`likely_duplicate` when some overlapping pair's target groups overlap or are unspecified,
`complementary` when every pair's groups are disjoint (children and adults). Pairs of one
organisation are reported as possible double reporting.

Pair score (0–1, the mean of three parts): place (1 the same p-code or points within
1 km; 0.5 nested p-codes or points within R), time (overlap ÷ the shorter period; 1 when a
period is open on both sides), people (1 overlapping or unspecified groups, 0 disjoint).
A cluster's score is its best pair's.
"""

import datetime
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from kafo.analysis.engine import PEOPLE, around_cells, build_ancestors, grid_cell, in_cells, km


@dataclass(frozen=True)
class DuplicateOptions:
    radius_km: float = 5.0
    start: datetime.date | None = None
    end: datetime.date | None = None
    sector: str | None = None


def _pairs(con: duckdb.DuckDBPyConnection, options: DuplicateOptions) -> None:
    build_ancestors(con)
    people_bits = " ".join(f"WHEN '{g}' THEN {1 << i}" for i, g in enumerate(PEOPLE))
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE candidates AS
        SELECT id, source_id, organisation, activity_type, start, "end", groups,
               -- the four usual groups as bits (a fast test), other groups as a list
               list_sum(list_transform(groups, g -> CASE g {people_bits} ELSE 0 END)) AS bits,
               len(list_filter(groups, g -> g NOT IN {PEOPLE})) > 0 AS other_groups
        FROM activities
        WHERE activity_type IS NOT NULL AND activity_type <> ''
          AND ($sector IS NULL OR sector = $sector)
          AND ($end IS NULL OR start IS NULL OR start <= $end::DATE)
          AND ($start IS NULL OR "end" IS NULL OR "end" >= $start::DATE)
        """,
        {"sector": options.sector, "start": options.start, "end": options.end},
    )
    # Places that meet: b's unit is a's, or an ancestor of a's unit (then the pair is nested).
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE place_pairs AS
        WITH placed AS (
            SELECT au.activity_id, au.pcode, c.activity_type, c.start, c."end"
            FROM activity_units au JOIN candidates c ON c.id = au.activity_id
        )
        SELECT least(pa.activity_id, pb.activity_id) AS a,
               greatest(pa.activity_id, pb.activity_id) AS b,
               max(CASE WHEN pa.pcode = pb.pcode THEN 1.0 ELSE 0.5 END) AS place
        FROM placed pa
        JOIN ancestors an ON an.pcode = pa.pcode
        JOIN placed pb ON pb.pcode = an.ancestor AND pb.activity_type = pa.activity_type
         AND (pb.activity_id > pa.activity_id  -- a pair in one p-code is met once
              OR (pb.activity_id < pa.activity_id AND pb.pcode <> pa.pcode))
        WHERE (pa.start IS NULL OR pb."end" IS NULL OR pa.start <= pb."end")
          AND (pb.start IS NULL OR pa."end" IS NULL OR pb.start <= pa."end")
        GROUP BY 1, 2
        """
    )
    # Points within the radius: neighbouring grid cells first, then the great-circle distance.
    cell = grid_cell(con, options.radius_km, "activity_points")
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE located_points AS
        SELECT p.activity_id, p.lon, p.lat, c.activity_type, c.start, c."end"
        FROM activity_points p JOIN candidates c ON c.id = p.activity_id
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE point_pairs AS
        WITH near AS (
            SELECT pa.activity_id AS a, pb.activity_id AS b, {km("pa", "pb")} AS km
            FROM {in_cells("located_points", cell)} pa
            JOIN {around_cells("located_points", cell)} pb
              ON pb.cx = pa.cx AND pb.cy = pa.cy AND pb.activity_type = pa.activity_type
             AND pb.activity_id > pa.activity_id
            WHERE (pa.start IS NULL OR pb."end" IS NULL OR pa.start <= pb."end")
              AND (pb.start IS NULL OR pa."end" IS NULL OR pb.start <= pa."end")
        )
        SELECT a, b, max(CASE WHEN km <= 1 THEN 1.0 ELSE 0.5 END) AS place
        FROM near WHERE km <= $radius GROUP BY a, b
        """,
        {"radius": options.radius_km},
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE pairs AS
        WITH met AS (  -- place pairs are unique; points add a few
            SELECT coalesce(p.a, q.a) AS a, coalesce(p.b, q.b) AS b,
                   greatest(coalesce(p.place, 0), coalesce(q.place, 0)) AS place
            FROM place_pairs p FULL JOIN point_pairs q ON q.a = p.a AND q.b = p.b
        )
        SELECT m.a, m.b, m.place, ca.organisation = cb.organisation AS same_organisation,
               CASE WHEN ca.other_groups OR cb.other_groups
                    THEN len(ca.groups) = 0 OR len(cb.groups) = 0
                         OR len(list_intersect(ca.groups, cb.groups)) > 0
                    ELSE coalesce(ca.bits, 0) = 0 OR coalesce(cb.bits, 0) = 0
                         OR (ca.bits & cb.bits) <> 0
               END AS groups_overlap,
               CASE
                 WHEN (ca.start IS NULL OR cb.start IS NULL)
                      AND (ca."end" IS NULL OR cb."end" IS NULL) THEN 1.0
                 ELSE greatest(0, least(coalesce(ca."end", cb."end", DATE '9999-12-31'),
                                        coalesce(cb."end", ca."end", DATE '9999-12-31'))
                                  - greatest(coalesce(ca.start, cb.start, DATE '1900-01-01'),
                                             coalesce(cb.start, ca.start, DATE '1900-01-01')) + 1)
                      / greatest(1, least(
                          coalesce(ca."end", DATE '9999-12-31')
                              - coalesce(ca.start, cb.start, DATE '1900-01-01') + 1,
                          coalesce(cb."end", DATE '9999-12-31')
                              - coalesce(cb.start, ca.start, DATE '1900-01-01') + 1))
               END AS time
        FROM met m JOIN candidates ca ON ca.id = m.a JOIN candidates cb ON cb.id = m.b
        """
    )


def connected_components(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The nodes of the edges (a[i], b[i]) and, for each, the smallest node it reaches:
    hooking to the smaller label and pointer jumping, then each edge is replaced by the
    edge between its two roots and dropped once they are one (a few passes over fewer and
    fewer edges, not one per step of the longest path)."""
    if not len(a):
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    # Ids are small whole numbers (database keys): index by them, no sort needed.
    offset = min(a.min(), b.min())
    left, right = a - offset, b - offset
    size = int(max(left.max(), right.max())) + 1
    seen = np.zeros(size, dtype=bool)
    seen[left] = seen[right] = True
    label = np.arange(size)
    while len(left):
        low = np.minimum(left, right)  # both are roots: label[x] == x
        np.minimum.at(label, left, low)
        np.minimum.at(label, right, low)
        while True:  # every node points at its root
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
        left, right = label[left], label[right]
        apart = left != right
        left, right = left[apart], right[apart]
    nodes = np.flatnonzero(seen)
    return nodes + offset, label[nodes] + offset


def _components(con: duckdb.DuckDBPyConnection) -> None:
    """`components(id, cluster)`: the smallest id reachable through overlapping pairs."""
    edges = con.execute("SELECT a, b FROM pairs").fetchnumpy()
    ids, clusters = connected_components(edges["a"].astype(np.int64), edges["b"].astype(np.int64))
    found = pa.table({"id": ids, "cluster": clusters})
    con.register("components_arrow", found)
    con.execute("CREATE OR REPLACE TEMP TABLE components AS SELECT * FROM components_arrow")
    con.unregister("components_arrow")


def duplicates(
    con: duckdb.DuckDBPyConnection, options: DuplicateOptions = DuplicateOptions()
) -> dict:
    """`{"clusters": [...], "double_reporting": [...]}` (see the module's docstring)."""
    _pairs(con, options)
    _components(con)
    clusters = con.execute(
        """
        WITH by_cluster AS (
            SELECT c.cluster, bool_or(p.groups_overlap) AS likely,
                   max((p.place + least(p.time, 1)
                        + CASE WHEN p.groups_overlap THEN 1 ELSE 0 END) / 3) AS score
            FROM pairs p JOIN components c ON c.id = p.a GROUP BY c.cluster
        ),
        places AS (
            SELECT c.cluster, list(DISTINCT u.pcode ORDER BY u.pcode) AS pcodes
            FROM activity_units u JOIN components c ON c.id = u.activity_id GROUP BY c.cluster
        ),
        members AS (
            SELECT c.cluster, a.* FROM components c JOIN activities a ON a.id = c.id
        ),
        summary AS (
            SELECT m.cluster,
                   list(DISTINCT coalesce(nullif(m.source_id, ''), 'kafo:' || m.id)
                        ORDER BY coalesce(nullif(m.source_id, ''), 'kafo:' || m.id)) AS records,
                   list(DISTINCT m.id ORDER BY m.id) AS ids,
                   list(DISTINCT m.organisation ORDER BY m.organisation) AS organisations,
                   any_value(m.activity_type) AS activity,
                   min(m.start) AS start, CASE WHEN bool_or(m."end" IS NULL) THEN NULL
                                              ELSE max(m."end") END AS "end"
            FROM members m GROUP BY m.cluster
        )
        SELECT s.*, b.likely, b.score, p.pcodes
        FROM summary s JOIN by_cluster b USING (cluster) LEFT JOIN places p USING (cluster)
        ORDER BY b.score DESC, s.cluster
        """
    ).fetchall()
    # Many pairs: made as records by DuckDB and turned into dicts by Arrow, not row by row.
    double = (
        con.execute(
            """
            SELECT {'records': [coalesce(nullif(a.source_id, ''), 'kafo:' || a.id),
                                coalesce(nullif(b.source_id, ''), 'kafo:' || b.id)],
                    'organisation': a.organisation} AS pair
            FROM pairs p JOIN activities a ON a.id = p.a JOIN activities b ON b.id = p.b
            WHERE p.same_organisation ORDER BY a.id, b.id
            """
        )
        .to_arrow_table()
        .column("pair")
        .to_pylist()
    )
    return {
        "clusters": [
            {"records": list(records), "ids": list(ids), "organisations": list(organisations),
             "activity": activity, "pcodes": list(pcodes or []),
             "period": {"start": start.isoformat() if start else None,
                        "end": end.isoformat() if end else None},
             "kind": "likely_duplicate" if likely else "complementary",
             "score": round(score, 3)}
            for _cluster, records, ids, organisations, activity, start, end, likely, score,
            pcodes in clusters
        ],
        "double_reporting": double,
    }  # fmt: skip
