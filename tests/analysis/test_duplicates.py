"""Duplications on planted scenarios: every overlapping pair found, no false alarm."""

import datetime

import duckdb
import pyarrow as pa
import pytest

from kafo.analysis.duplicates import DuplicateOptions, duplicates
from kafo.analysis.engine import TABLES, connect, register_tables

D = datetime.date
UNITS = [("ML", "Mali", 0, None, 1000.0), ("ML01", "Kayes", 1, "ML", 500.0),
         ("ML0101", "Bafoulabé", 2, "ML01", 200.0), ("ML010101", "Bamafélé", 3, "ML0101", 50.0),
         ("ML0102", "Diéma", 2, "ML01", 300.0), ("ML02", "Koulikoro", 1, "ML", 500.0),
         ("ML0201", "Banamba", 2, "ML02", 500.0)]  # fmt: skip
CHILDREN, ADULTS = ["girls", "boys"], ["women", "men"]
H1, H2 = (D(2025, 1, 1), D(2025, 6, 30)), (D(2025, 3, 1), D(2025, 9, 30))
# (id, organisation, type, (start, end), groups, p-codes, points)
PLANTED = [
    (1, "HI", "EORE", H1, CHILDREN, ["ML0101"], []),
    (2, "DRC", "EORE", H2, ["girls"], ["ML0101"], []),  # same place, children: duplicate of 1
    (3, "MAG", "EORE", (D(2025, 5, 1), D(2025, 12, 31)), ADULTS, ["ML010101"], []),  # nested
    (4, "HI", "EORE", H1, CHILDREN, ["ML0201"], []),
    (5, "DRC", "EORE", H1, ADULTS, ["ML0201"], []),  # complementary to 4
    (6, "HI", "EORE", (D(2024, 1, 1), D(2024, 12, 31)), [], ["ML0102"], []),
    (7, "DRC", "EORE", H1, [], ["ML0102"], []),  # disjoint period with 6
    (8, "HI", "NTS", H1, [], ["ML0102"], []),  # another type than 7
    (9, "HI", "CLR", H1, [], ["ML0102"], [(-4.2, 14.5)]),
    (10, "DRC", "CLR", (D(2025, 6, 1), None), [], ["ML0201"], [(-4.21, 14.51)]),  # 1.5 km
    (11, "HI", "EOD", H1, [], ["ML0101"], []),
    (12, "HI", "EOD", H2, [], ["ML0101"], []),  # the same organisation twice
    (13, "MAG", "CLR", H1, [], ["ML0101"], [(-3.75, 14.5)]),  # 48 km from 9
]


def planted_connection(planted: list, sectors: dict[int, str] | None = None
                       ) -> duckdb.DuckDBPyConnection:  # fmt: skip
    """The engine's tables holding the planted records (mine action, unless `sectors`
    gives a record's sector)."""
    connection = connect()
    register_tables(connection, planted_tables(planted, sectors))
    return connection


def planted_tables(planted: list, sectors: dict[int, str] | None = None) -> dict[str, pa.Table]:
    """The engine's tables (Arrow) holding the planted records."""
    sectors = sectors or {}
    activities = [
        {"id": i, "source_id": f"X-{i}", "organisation": org, "sector": sectors.get(i, "PRO-MIN"),
         "activity_type": kind, "start": start, "end": end, "targeted": 0, "reached": 0,
         "groups": groups}
        for i, org, kind, (start, end), groups, _pcodes, _points in planted
    ]  # fmt: skip
    places = [{"activity_id": i, "pcode": p} for i, *_rest, pcodes, _pts in planted
              for p in pcodes]  # fmt: skip
    points = [{"activity_id": i, "lon": lon, "lat": lat} for i, *_rest, pts in planted
              for lon, lat in pts]  # fmt: skip

    def table(name, rows):
        return pa.Table.from_pylist(rows, schema=pa.schema(TABLES[name]))

    return {
        "units": pa.Table.from_pylist([dict(zip(("pcode", "name", "level", "parent", "area_km2"),
                                                 u, strict=True)) for u in UNITS]),
        "activities": table("activities", activities),
        "activity_units": table("activity_units", places),
        "activity_points": table("activity_points", points),
        "needs": table("needs", []),
    }  # fmt: skip


@pytest.fixture
def con():
    return planted_connection(PLANTED)


def test_planted_overlaps_are_found_with_no_false_alarm(con):
    result = duplicates(con)
    clusters = {tuple(c["ids"]): c for c in result["clusters"]}
    assert set(clusters) == {(1, 2, 3), (4, 5), (9, 10), (11, 12)}
    assert clusters[(1, 2, 3)]["kind"] == "likely_duplicate"
    assert clusters[(1, 2, 3)]["pcodes"] == ["ML0101", "ML010101"]
    assert clusters[(1, 2, 3)]["organisations"] == ["DRC", "HI", "MAG"]
    assert clusters[(4, 5)]["kind"] == "complementary"
    assert clusters[(9, 10)]["period"] == {"start": "2025-01-01", "end": None}
    assert clusters[(11, 12)]["records"] == ["X-11", "X-12"]
    assert result["double_reporting"] == [{"records": ["X-11", "X-12"], "organisation": "HI"}]


def test_the_radius_is_a_setting(con):
    ids = {tuple(c["ids"]) for c in duplicates(con, DuplicateOptions(radius_km=1))["clusters"]}
    assert (9, 10) not in ids
    ids = {tuple(c["ids"]) for c in duplicates(con, DuplicateOptions(radius_km=60))["clusters"]}
    assert (9, 10, 13) in ids


def test_scores_rank_the_closest_first(con):
    clusters = duplicates(con)["clusters"]
    scores = [c["score"] for c in clusters]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    same_place = next(c for c in clusters if c["ids"] == [11, 12])
    by_points = next(c for c in clusters if c["ids"] == [9, 10])
    assert same_place["score"] > by_points["score"]


def test_a_pair_met_several_times_is_one_pair():
    # 11 and 12 meet in two communes and by their points: one double-reporting pair.
    planted = [
        (11, "HI", "EOD", H1, [], ["ML0101", "ML010101"], [(-4.2, 14.5)]),
        (12, "HI", "EOD", H1, [], ["ML0101", "ML010101"], [(-4.2, 14.5)]),
    ]
    result = duplicates(planted_connection(planted))
    assert [c["ids"] for c in result["clusters"]] == [[11, 12]]
    assert result["clusters"][0]["score"] == 1.0  # same place, same period, groups unknown
    assert result["double_reporting"] == [{"records": ["X-11", "X-12"], "organisation": "HI"}]


def test_target_groups_beyond_64_names_are_compared_as_lists():
    # Many group names (from an Arrow caller) leave the bit test for lists, same answers.
    others = [f"group-{n}" for n in range(70)]
    planted = [
        (*row[:4], row[4] + (others if row[0] in (1, 5) else []), *row[5:]) for row in PLANTED
    ]
    clusters = {
        tuple(c["ids"]): c["kind"] for c in duplicates(planted_connection(planted))["clusters"]
    }
    assert clusters == {(1, 2, 3): "likely_duplicate", (4, 5): "complementary",
                        (9, 10): "likely_duplicate", (11, 12): "likely_duplicate"}  # fmt: skip
    # 4 and 5 now share one of the many groups.
    planted[3] = (*planted[3][:4], [*CHILDREN, "group-3"], *planted[3][5:])
    planted[4] = (*planted[4][:4], [*ADULTS, "group-3"], *planted[4][5:])
    clusters = {
        tuple(c["ids"]): c["kind"] for c in duplicates(planted_connection(planted))["clusters"]
    }
    assert clusters[(4, 5)] == "likely_duplicate"


def test_records_of_unknown_organisations_are_not_double_reporting():
    planted = [(11, None, "EOD", H1, [], ["ML0101"], []), (12, None, "EOD", H1, [], ["ML0101"], [])]
    result = duplicates(planted_connection(planted))
    assert [c["ids"] for c in result["clusters"]] == [[11, 12]]
    assert result["double_reporting"] == []
