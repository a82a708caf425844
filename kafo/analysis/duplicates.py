"""Duplications: activity records that overlap, grouped into clusters.

Two records overlap when all three hold:
- the same activity type (OTHER, which means nothing of its own, also the same sector:
  surgery and schooling are not one activity);
- their locations meet: the same p-code, one p-code an ancestor of the other, or points
  within R km (5 by default);
- their periods overlap (an open end means "still running"; an unknown start, "since
  ever").
Overlapping records form clusters (connected components). A cluster is
`likely_duplicate` when some overlapping pair's target groups overlap or are unspecified,
`complementary` when every pair's groups are disjoint (children and adults). Pairs of one
organisation are reported as possible double reporting: all counted, the first
DOUBLE_REPORTING_KEPT listed.

Pair score (0–1, the mean of three parts): place (1 the same p-code or points within
1 km; 0.5 nested p-codes or points within R), time (overlap ÷ the shorter period; 1 when a
period is open on both sides), people (1 overlapping or unspecified groups, 0 disjoint).
A cluster's score is its best pair's.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from kafo.analysis.engine import (
    around_cells,
    build_ancestors,
    fetch_columns,
    grid_cell,
    in_cells,
    km,
    one,
    within,
)
from kafo.collector import collector_paused


@dataclass(frozen=True)
class DuplicateOptions:
    radius_km: float = 5.0
    start: datetime.date | None = None
    end: datetime.date | None = None
    sector: str | None = None


# The pairs of one organisation listed, the first by record id (all are counted): at a
# million activities there can be millions, which no one reads one by one.
DOUBLE_REPORTING_KEPT = 10_000

# Periods that overlap (an open end: still running; an unknown start: since ever).
OVERLAP = """(a.start IS NULL OR b."end" IS NULL OR a.start <= b."end")
          AND (b.start IS NULL OR a."end" IS NULL OR b.start <= a."end")"""
# Records whose places meet: b's unit is a's, or an ancestor of a's unit (a nested pair).
PLACES_MEET = f"""FROM placed a
            JOIN ancestor_keys an ON an.unit_key = a.unit_key
            JOIN placed b ON b.unit_key = an.ancestor_key AND b.type_key = a.type_key
             AND (b.id > a.id  -- a pair in one unit is met once
                  OR (b.id < a.id AND b.unit_key <> a.unit_key))
            WHERE {OVERLAP}"""


def prepare(con: duckdb.DuckDBPyConnection, options: DuplicateOptions) -> str:
    """Make the tables the pairs are read from (`candidates`, `placed`, `ancestor_keys`,
    `located_points`); return the SQL telling whether the target groups of `a` and `b`
    overlap."""
    build_ancestors(con)
    # Keys as numbers (the joins below are on numbers): hashes of the names, numbered
    # over the distinct names instead should two names hash alike. "Activity type given"
    # as an expression: a plain comparison would be handed to the Arrow scan, which
    # filters strings several times slower than DuckDB.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE candidates AS
        SELECT *, {KEYS["type_key"]} AS type_key,
               -- an unknown organisation is nobody's: never the same as another's
               CASE WHEN organisation IS NOT NULL THEN {KEYS["organisation_key"]}
               END AS organisation_key
        FROM (
            SELECT id, source_id, organisation, activity_type, start, "end", groups,
                   CASE WHEN activity_type = 'OTHER' THEN coalesce(sector, '') ELSE ''
                   END AS type_sector
            FROM activities
            WHERE nullif(activity_type, '') IS NOT NULL
              AND ($sector IS NULL OR sector = $sector)
              AND ($end IS NULL OR start IS NULL OR start <= $end::DATE)
              AND ($start IS NULL OR "end" IS NULL OR "end" >= $start::DATE)
        )
        """,
        {"sector": options.sector, "start": options.start, "end": options.end},
    )
    types_apart, organisations_apart = one(
        con,
        """
        SELECT count(DISTINCT (activity_type, type_sector)) = count(DISTINCT type_key),
               count(DISTINCT organisation) = count(DISTINCT organisation_key)
        FROM candidates
        """,
    )
    if not (types_apart and organisations_apart):
        _number_keys(con)
    # Target groups as bits over the names met (a fast test), once per record; beyond 64
    # names, as lists.
    (names,) = one(
        con,
        """
        SELECT coalesce(list(DISTINCT g ORDER BY g), [])
        FROM (SELECT unnest(groups) AS g FROM candidates) WHERE g IS NOT NULL
        """,
    )
    if len(names) <= 64:
        # A name's bit from its place in the names (a few names a record).
        groups_column = """coalesce(list_aggregate(list_transform(c.groups,
            g -> 1::UBIGINT << (list_position($names, g) - 1)::INTEGER), 'bit_or'), 0)::UBIGINT
            AS groups"""
        groups_overlap = "(a.groups = 0 OR b.groups = 0 OR (a.groups & b.groups) <> 0)"
        groups_params: dict[str, Any] | None = {"names": names}
    else:
        groups_column, groups_params = "c.groups", None
        groups_overlap = (
            "(len(a.groups) = 0 OR len(b.groups) = 0 OR list_has_any(a.groups, b.groups))"
        )
    # Unit keys as numbers: the joins below are on numbers, not p-codes.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE unit_keys AS
        SELECT pcode, row_number() OVER (ORDER BY pcode) AS unit_key
        FROM (SELECT pcode FROM units UNION SELECT pcode FROM activity_units)
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE placed AS
        SELECT au.activity_id AS id, k.unit_key, c.type_key, c.organisation_key, c.start,
               c."end", {groups_column}
        FROM activity_units au JOIN candidates c ON c.id = au.activity_id
        JOIN unit_keys k ON k.pcode = au.pcode
        """,
        groups_params,
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE ancestor_keys AS
        SELECT k.unit_key, ka.unit_key AS ancestor_key
        FROM ancestors an JOIN unit_keys k ON k.pcode = an.pcode
        JOIN unit_keys ka ON ka.pcode = an.ancestor
        UNION  -- a unit missing from the boundaries still meets itself
        SELECT unit_key, unit_key FROM unit_keys
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE located_points AS
        SELECT p.activity_id AS id, p.lon, p.lat, c.type_key, c.organisation_key, c.start,
               c."end", {groups_column}
        FROM activity_points p JOIN candidates c ON c.id = p.activity_id
        """,
        groups_params,
    )
    return groups_overlap


# How the keys are made from the names (any function will do: keys that mix two names
# are found and numbered instead).
KEYS = {"type_key": "hash(activity_type, type_sector)", "organisation_key": "hash(organisation)"}


def _number_keys(con: duckdb.DuckDBPyConnection) -> None:
    """The candidates' keys numbered over the distinct names (where two names hashed
    alike)."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE candidates AS
        WITH organisation_keys AS (
            SELECT organisation, row_number() OVER (ORDER BY organisation) AS organisation_key
            FROM (SELECT DISTINCT organisation FROM candidates WHERE organisation IS NOT NULL)
        ),
        type_keys AS (
            SELECT activity_type, type_sector,
                   row_number() OVER (ORDER BY activity_type, type_sector) AS type_key
            FROM (SELECT DISTINCT activity_type, type_sector FROM candidates)
        )
        SELECT c.* REPLACE (t.type_key AS type_key, o.organisation_key AS organisation_key)
        FROM candidates c LEFT JOIN organisation_keys o USING (organisation)
        JOIN type_keys t USING (activity_type, type_sector)
        """
    )


def _meetings(
    con: duckdb.DuckDBPyConnection, options: DuplicateOptions, groups_overlap: str,
    also: str = "", unsettled: bool = False,
) -> str:  # fmt: skip
    """SQL: `(a, b, same_organisation, groups_overlap, score)`, a row each time two records
    meet (a pair met through two places, or a place and a point, has several rows). It is
    read as it is made, never stored: pairs grow as the square of the records that meet,
    hundreds of millions at a million activities. `also`: a further condition on the
    pair `a`, `b`, checked while joining; `unsettled`: only the records of the clusters
    not `perfect` (`_perfect_clusters`), the others' records left out before joining."""
    places, points = "placed", "located_points"
    if unsettled:
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE unsettled AS
            SELECT id FROM components WHERE cluster NOT IN (SELECT cluster FROM perfect)
            """
        )
        places = "(SELECT * FROM placed WHERE id IN (SELECT id FROM unsettled))"
        points = "(SELECT * FROM located_points WHERE id IN (SELECT id FROM unsettled))"
    features = f"""least(a.id, b.id) AS a, greatest(a.id, b.id) AS b,
               coalesce(a.organisation_key = b.organisation_key, false) AS same_organisation,
               {groups_overlap} AS groups_overlap,
               CASE
                 WHEN (a.start IS NULL OR b.start IS NULL)
                      AND (a."end" IS NULL OR b."end" IS NULL) THEN 1.0
                 ELSE greatest(0, least(coalesce(a."end", b."end", DATE '9999-12-31'),
                                        coalesce(b."end", a."end", DATE '9999-12-31'))
                                  - greatest(coalesce(a.start, b.start, DATE '1900-01-01'),
                                             coalesce(b.start, a.start, DATE '1900-01-01')) + 1)
                      / greatest(1, least(
                          coalesce(a."end", DATE '9999-12-31')
                              - coalesce(a.start, b.start, DATE '1900-01-01') + 1,
                          coalesce(b."end", DATE '9999-12-31')
                              - coalesce(b.start, a.start, DATE '1900-01-01') + 1))
               END AS time"""
    # Points within the radius: neighbouring grid cells first, then the great-circle
    # distance.
    cell = grid_cell(con, options.radius_km, "activity_points")
    radius = float(options.radius_km)
    return f"""
        SELECT a, b, same_organisation, groups_overlap,
               (place + least(time, 1) + groups_overlap::INTEGER) / 3 AS score
        FROM (
            SELECT CASE WHEN a.unit_key = b.unit_key THEN 1.0 ELSE 0.5 END AS place, {features}
            {PLACES_MEET.replace("placed", places)} {also}
        )
        UNION ALL
        SELECT a, b, same_organisation, groups_overlap,
               (place + least(time, 1) + groups_overlap::INTEGER) / 3 AS score
        FROM (
            SELECT CASE WHEN {km("a", "b")} <= 1 THEN 1.0 ELSE 0.5 END AS place, {features}
            FROM {in_cells(points, cell)} a
            JOIN {around_cells(points, cell)} b
              ON b.cx = a.cx AND b.cy = a.cy AND b.type_key = a.type_key AND b.id > a.id
            WHERE {OVERLAP} AND {within("a", "b", radius, cell)} {also}
        )
        """


def _pairs(con: duckdb.DuckDBPyConnection, options: DuplicateOptions) -> None:
    """`components(id, cluster)`: the clusters (from `edges(a, b)`: fewer edges than
    pairs, joining the records exactly as the pairs do); `by_cluster(cluster, likely,
    score)`: whether some pair of the cluster has overlapping target groups, and its
    best pair's score; `same_organisation_pairs(a, b)`: the pairs of one organisation,
    once each."""
    groups_overlap = prepare(con, options)
    _components(con, _edges(con, options))
    _perfect_clusters(con)
    # The other clusters' pairs, scored one by one: their records only.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE met AS
        SELECT a, bool_or(groups_overlap) AS likely, max(score) AS score
        FROM ({_meetings(con, options, groups_overlap, unsettled=True)}) GROUP BY a
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE by_cluster AS
        SELECT cluster, true AS likely, 1.0::DOUBLE AS score FROM perfect
        UNION ALL
        SELECT c.cluster, bool_or(p.likely), max(p.score)
        FROM met p JOIN components c ON c.id = p.a
        WHERE c.cluster NOT IN (SELECT cluster FROM perfect)
        GROUP BY c.cluster
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE same_organisation_pairs AS
        SELECT DISTINCT a, b
        FROM ({_meetings(con, options, "true",
                         "AND a.organisation_key = b.organisation_key")})
        """
    )  # fmt: skip


def _perfect_clusters(con: duckdb.DuckDBPyConnection) -> None:
    """`perfect(cluster)`: the clusters holding a pair that scores 1 (the most a pair
    scores): in one unit, of one type, with the same target groups (so they overlap),
    one period within the other (its time part is then 1). Found without listing pairs:
    sorted by start (the longer first), a period lies within an earlier one when it ends
    no later than the earlier ones reach. Their pairs need no scoring; their kind is a
    likely duplicate."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE perfect AS
        WITH intervals AS (
            SELECT id, unit_key, type_key, groups,
                   coalesce(start, '-infinity'::DATE) AS s,
                   coalesce("end", 'infinity'::DATE) AS e
            FROM placed WHERE start IS NULL OR "end" IS NULL OR start <= "end"
        ), reached AS (
            SELECT id, e,
                   max(e) OVER (PARTITION BY unit_key, type_key, groups ORDER BY s, e DESC, id
                                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
            FROM intervals
        )
        SELECT DISTINCT c.cluster
        FROM reached r JOIN components c ON c.id = r.id
        WHERE r.reach >= r.e
        """
    )


# Days standing for an open start or end: beyond any date (DuckDB's dates reach 2³¹ days).
OPEN_DAYS = 2**32


def _edges(
    con: duckdb.DuckDBPyConnection, options: DuplicateOptions
) -> tuple[np.ndarray, np.ndarray]:
    """The edges `(a, b)` joining records as the pairs join them, without every pair.

    In one unit, records of one type whose periods overlap one after the other form a
    *span*: sorted by start, a record opens a new span when it starts after every earlier
    one ended. The records of a span are joined, and a record meets one of them exactly
    when its period meets the span's (a span's periods cover it without a hole). So each
    record is joined to its span, a node of its own (numbered above every record), and a
    span to each span of an enclosing unit that it meets: two spans meet exactly when
    some record of one meets some record of the other (both cover their period without a
    hole), so a record of the enclosing unit reaches, through its span, every span it
    meets, with an edge per pair of spans instead of one per record and span (a region's
    record met every commune's span under it). Spans are found in one pass over the
    records sorted by DuckDB (a running maximum of the ends, in numpy). Periods that end
    before they start (a record's actual start after its planned end) are no intervals:
    their pairs are listed one by one, as are the points' (few: within the radius)."""
    placed = con.execute(
        f"""
        SELECT id, unit_key, type_key,
               coalesce(start - DATE '1970-01-01', -{OPEN_DAYS}) AS s,
               coalesce("end" - DATE '1970-01-01', {OPEN_DAYS}) AS e
        FROM placed WHERE start IS NULL OR "end" IS NULL OR start <= "end"
        ORDER BY unit_key, type_key, s, e
        """
    ).fetchnumpy()
    (last,) = one(con, "SELECT coalesce(max(id), 0) FROM candidates")
    ids, record_spans, spans = _spans(placed, last)
    con.register("spans_arrow", spans)
    con.execute("CREATE OR REPLACE TEMP TABLE spans AS SELECT * FROM spans_arrow")
    con.unregister("spans_arrow")
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE reversed AS
        SELECT * FROM placed WHERE start > "end"
        """
    )
    cell = grid_cell(con, options.radius_km, "activity_points")
    others = con.execute(
        f"""
        SELECT a::BIGINT AS a, b::BIGINT AS b FROM (
            -- a span and each span of its type in an enclosing unit whose period it meets
            SELECT o.node AS a, n.node AS b FROM spans n
            JOIN ancestor_keys an ON an.unit_key = n.unit_key AND an.ancestor_key <> n.unit_key
            JOIN spans o ON o.unit_key = an.ancestor_key AND o.type_key = n.type_key
            WHERE o.s <= n.e AND n.s <= o.e
            UNION ALL
            -- pairs with a period that ends before it starts, one by one (joined from
            -- those few records: a filter after the join would meet every pair first)
            SELECT a.id, b.id {PLACES_MEET.replace("FROM placed a", "FROM reversed a")}
            UNION ALL
            SELECT a.id, b.id {PLACES_MEET.replace("JOIN placed b", "JOIN reversed b")}
            UNION ALL
            -- points within the radius
            SELECT a.id, b.id
            FROM {in_cells("located_points", cell)} a
            JOIN {around_cells("located_points", cell)} b
              ON b.cx = a.cx AND b.cy = a.cy AND b.type_key = a.type_key AND b.id > a.id
            WHERE {OVERLAP} AND {within("a", "b", options.radius_km, cell)}
        )
        """
    ).fetchnumpy()
    # Each record and its span.
    return (np.concatenate([ids, others["a"]]),
            np.concatenate([record_spans, others["b"]]))  # fmt: skip


def _spans(placed: dict[str, np.ndarray], last: int) -> tuple[np.ndarray, np.ndarray, pa.Table]:
    """Each placed record's id and its span's node (numbered after `last`, the largest
    record id), and the spans `(node, unit_key, type_key, s, e)`, from records sorted by
    unit, type, start and end (in days)."""
    unit, kind = placed["unit_key"], placed["type_key"]
    starts, ends = placed["s"].astype(np.int64), placed["e"].astype(np.int64)
    count = len(starts)
    first = np.ones(count, dtype=bool)  # the first record of its unit and type
    first[1:] = (unit[1:] != unit[:-1]) | (kind[1:] != kind[:-1])
    # The latest end of the earlier records of each unit and type: one running maximum,
    # each unit and type lifted above the ends of the ones before it.
    lift = (np.cumsum(first) - 1) * (4 * OPEN_DAYS)
    latest = np.maximum.accumulate(ends + lift)
    reach = np.empty(count, dtype=np.int64)
    reach[1:] = latest[:-1] - lift[1:]
    opens = first | (starts > reach)  # starts after every earlier one ended
    span = np.cumsum(opens) - 1
    heads = np.flatnonzero(opens)
    nodes = last + 1 + np.arange(len(heads), dtype=np.int64)
    spans = pa.table({
        "node": nodes, "unit_key": unit[heads], "type_key": kind[heads],
        "s": starts[heads],  # sorted by start: the first starts first
        "e": np.maximum.reduceat(ends, heads) if count else ends,
    })  # fmt: skip
    return placed["id"], nodes[span], spans


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


def _components(con: duckdb.DuckDBPyConnection, edges: tuple[np.ndarray, np.ndarray]) -> None:
    """`components(id, cluster)`: each record that meets another (through the `edges`),
    and the smallest id it reaches (the spans' nodes, numbered above every record, are
    never the smallest)."""
    ids, clusters = connected_components(*edges)
    found = pa.table({"id": ids, "cluster": clusters})
    con.register("components_arrow", found)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE components AS
        WITH records AS (
            SELECT * FROM components_arrow
            WHERE id <= (SELECT coalesce(max(id), 0) FROM candidates)
        )
        -- a record alone with its spans met no other
        SELECT id, cluster FROM records
        WHERE cluster IN (SELECT cluster FROM records GROUP BY cluster HAVING count(*) > 1)
        """
    )
    con.unregister("components_arrow")


@collector_paused()
def duplicates(
    con: duckdb.DuckDBPyConnection, options: DuplicateOptions = DuplicateOptions()
) -> dict[str, Any]:
    """`{"clusters": [...], "double_reporting": [...]}` (see the module's docstring)."""
    _pairs(con, options)
    clusters = fetch_columns(
        con,
        """
        WITH places AS (  -- every record of a cluster is placed (or only located)
            SELECT u.cluster, list(k.pcode ORDER BY k.pcode) AS pcodes
            FROM (SELECT DISTINCT c.cluster, p.unit_key FROM placed p
                  JOIN components c ON c.id = p.id) u
            JOIN unit_keys k ON k.unit_key = u.unit_key GROUP BY u.cluster
        ),
        members AS (  -- every record of a cluster is a candidate
            SELECT c.cluster, a.* FROM components c JOIN candidates a ON a.id = c.id
        ),
        summary AS (
            SELECT m.cluster,
                   list(DISTINCT coalesce(nullif(m.source_id, ''), 'kafo:' || m.id)
                        ORDER BY coalesce(nullif(m.source_id, ''), 'kafo:' || m.id)) AS records,
                   list(m.id ORDER BY m.id) AS ids,  -- a record is once in one cluster
                   list(DISTINCT m.organisation ORDER BY m.organisation) AS organisations,
                   any_value(m.activity_type) AS activity,
                   min(m.start) AS start, CASE WHEN bool_or(m."end" IS NULL) THEN NULL
                                              ELSE max(m."end") END AS "end"
            FROM members m GROUP BY m.cluster
        )
        SELECT s.*, b.likely, b.score, p.pcodes
        FROM summary s JOIN by_cluster b USING (cluster) LEFT JOIN places p USING (cluster)
        ORDER BY b.score DESC, s.cluster
        """,
    )
    # The first pairs (by record id), made as records by DuckDB and turned into dicts by
    # Arrow, not row by row; all of them counted.
    (double_count,) = one(con, "SELECT count(*) FROM same_organisation_pairs")
    double = (
        con.execute(
            """
            SELECT {'records': [coalesce(nullif(a.source_id, ''), 'kafo:' || a.id),
                                coalesce(nullif(b.source_id, ''), 'kafo:' || b.id)],
                    'organisation': a.organisation} AS pair
            FROM (SELECT a, b FROM same_organisation_pairs ORDER BY a, b LIMIT $kept) p
            JOIN candidates a ON a.id = p.a JOIN candidates b ON b.id = p.b
            ORDER BY a.id, b.id
            """,
            {"kept": DOUBLE_REPORTING_KEPT},
        )
        .to_arrow_table()
        .column("pair")
        .to_pylist()
    )
    return {
        "clusters": [
            {"records": records, "ids": ids, "organisations": organisations,
             "activity": activity, "pcodes": pcodes or [],
             "period": {"start": start.isoformat() if start else None,
                        "end": end.isoformat() if end else None},
             "kind": "likely_duplicate" if likely else "complementary",
             "score": round(score, 3)}
            for _cluster, records, ids, organisations, activity, start, end, likely, score,
            pcodes in zip(*clusters, strict=True)
        ],
        "double_reporting": double,
        "double_reporting_count": double_count,
    }  # fmt: skip
