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

from kafo.analysis.engine import build_ancestors, km


@dataclass(frozen=True)
class DuplicateOptions:
    radius_km: float = 5.0
    start: datetime.date | None = None
    end: datetime.date | None = None
    sector: str | None = None


def _pairs(con: duckdb.DuckDBPyConnection, options: DuplicateOptions) -> None:
    build_ancestors(con)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE candidates AS
        SELECT id, source_id, organisation, activity_type, start, "end", groups
        FROM activities
        WHERE activity_type IS NOT NULL AND activity_type <> ''
          AND ($sector IS NULL OR sector = $sector)
          AND ($end IS NULL OR start IS NULL OR start <= $end::DATE)
          AND ($start IS NULL OR "end" IS NULL OR "end" >= $start::DATE)
        """,
        {"sector": options.sector, "start": options.start, "end": options.end},
    )
    # Places that meet: b's unit is a, or an ancestor of a's unit (then the pair is nested).
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE place_pairs AS
        SELECT least(ua.activity_id, ub.activity_id) AS a,
               greatest(ua.activity_id, ub.activity_id) AS b,
               max(CASE WHEN ua.pcode = ub.pcode THEN 1.0 ELSE 0.5 END) AS place
        FROM activity_units ua
        JOIN ancestors an ON an.pcode = ua.pcode
        JOIN activity_units ub ON ub.pcode = an.ancestor AND ub.activity_id <> ua.activity_id
        JOIN candidates ca ON ca.id = ua.activity_id
        JOIN candidates cb ON cb.id = ub.activity_id AND cb.activity_type = ca.activity_type
        GROUP BY 1, 2
        """
    )
    # Points within the radius: neighbouring grid cells first, then the great-circle distance.
    cell = options.radius_km / 111.0
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE cells AS
        SELECT p.activity_id, p.lon, p.lat, floor(p.lat / {cell})::BIGINT AS y,
               floor(p.lon / {cell})::BIGINT AS x, c.activity_type
        FROM activity_points p JOIN candidates c ON c.id = p.activity_id
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE point_pairs AS
        WITH near AS (
            SELECT pa.activity_id AS a, pb.activity_id AS b,
                   {km("pa", "pb")} AS km
            FROM cells pa JOIN cells pb
              ON pb.activity_type = pa.activity_type AND pb.activity_id > pa.activity_id
             AND pb.y BETWEEN pa.y - 1 AND pa.y + 1 AND pb.x BETWEEN pa.x - 1 AND pa.x + 1
        )
        SELECT a, b, max(CASE WHEN km <= 1 THEN 1.0 ELSE 0.5 END) AS place
        FROM near WHERE km <= $radius GROUP BY a, b
        """,
        {"radius": options.radius_km},
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE pairs AS
        WITH met AS (
            SELECT a, b, max(place) AS place FROM (
                SELECT * FROM place_pairs UNION ALL SELECT * FROM point_pairs
            ) GROUP BY a, b
        )
        SELECT m.a, m.b, m.place, ca.organisation = cb.organisation AS same_organisation,
               len(ca.groups) = 0 OR len(cb.groups) = 0
                   OR len(list_intersect(ca.groups, cb.groups)) > 0 AS groups_overlap,
               CASE
                 WHEN (ca.start IS NULL OR cb.start IS NULL)
                      AND (ca."end" IS NULL OR cb."end" IS NULL) THEN 1.0
                 ELSE greatest(0, least(coalesce(ca."end", cb."end", DATE '9999-12-31'),
                                        coalesce(cb."end", ca."end", DATE '9999-12-31'))
                                  - greatest(coalesce(ca.start, cb.start),
                                             coalesce(cb.start, ca.start)) + 1)
                      / greatest(1, least(
                          coalesce(ca."end", DATE '9999-12-31') - coalesce(ca.start, cb.start) + 1,
                          coalesce(cb."end", DATE '9999-12-31') - coalesce(cb.start, ca.start) + 1))
               END AS time
        FROM met m JOIN candidates ca ON ca.id = m.a JOIN candidates cb ON cb.id = m.b
        WHERE (ca.start IS NULL OR cb."end" IS NULL OR ca.start <= cb."end")
          AND (cb.start IS NULL OR ca."end" IS NULL OR cb.start <= ca."end")
        """
    )


def _components(con: duckdb.DuckDBPyConnection) -> None:
    """`components(id, cluster)`: the smallest id reachable through overlapping pairs."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE components AS
        SELECT id, id AS cluster FROM (SELECT a AS id FROM pairs UNION SELECT b FROM pairs)
        """
    )
    while True:
        changed = con.execute(
            """
            WITH best AS (
                SELECT c.id, min(o.cluster) AS cluster FROM components c
                JOIN (SELECT a AS x, b AS y FROM pairs UNION ALL SELECT b, a FROM pairs) e
                  ON e.x = c.id
                JOIN components o ON o.id = e.y
                GROUP BY c.id
            )
            UPDATE components SET cluster = best.cluster FROM best
            WHERE components.id = best.id AND best.cluster < components.cluster
            """
        ).fetchone()[0]
        if not changed:
            return


def duplicates(
    con: duckdb.DuckDBPyConnection, options: DuplicateOptions = DuplicateOptions()
) -> dict:
    """`{"clusters": [...], "double_reporting": [...]}` (see the module's docstring)."""
    _pairs(con, options)
    _components(con)
    clusters = con.execute(
        """
        WITH scored AS (
            SELECT p.*, c.cluster, (p.place + least(p.time, 1) + CASE WHEN p.groups_overlap
                   THEN 1 ELSE 0 END) / 3 AS score
            FROM pairs p JOIN components c ON c.id = p.a
        ),
        members AS (
            SELECT c.cluster, a.* FROM components c JOIN activities a ON a.id = c.id
        )
        SELECT m.cluster,
               list(DISTINCT coalesce(nullif(m.source_id, ''), 'kafo:' || m.id)
                    ORDER BY coalesce(nullif(m.source_id, ''), 'kafo:' || m.id)) AS records,
               list(DISTINCT m.id ORDER BY m.id) AS ids,
               list(DISTINCT m.organisation ORDER BY m.organisation) AS organisations,
               any_value(m.activity_type) AS activity,
               min(m.start) AS start, CASE WHEN bool_or(m."end" IS NULL) THEN NULL
                                          ELSE max(m."end") END AS "end",
               (SELECT bool_or(s.groups_overlap) FROM scored s WHERE s.cluster = m.cluster)
                   AS likely,
               (SELECT max(s.score) FROM scored s WHERE s.cluster = m.cluster) AS score,
               (SELECT list(DISTINCT u.pcode ORDER BY u.pcode) FROM activity_units u
                 JOIN components c2 ON c2.id = u.activity_id WHERE c2.cluster = m.cluster)
                   AS pcodes
        FROM members m GROUP BY m.cluster ORDER BY score DESC, m.cluster
        """
    ).fetchall()
    double = con.execute(
        """
        SELECT a.source_id, b.source_id, a.organisation, a.id, b.id FROM pairs p
        JOIN activities a ON a.id = p.a JOIN activities b ON b.id = p.b
        WHERE p.same_organisation ORDER BY a.id, b.id
        """
    ).fetchall()
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
        "double_reporting": [
            {"records": [a or f"kafo:{ia}", b or f"kafo:{ib}"], "organisation": organisation}
            for a, b, organisation, ia, ib in double
        ],
    }  # fmt: skip
