"""Points within the radius are found whatever their direction: a degree of longitude is
shorter than a degree of latitude away from the equator, and the grid must allow for it."""

import datetime

import pyarrow as pa

from kafo.analysis.duplicates import DuplicateOptions, duplicates
from kafo.analysis.engine import TABLES, connect, km, register_tables

D = datetime.date


def _table(name, rows):
    return pa.Table.from_pylist(rows, schema=pa.schema(TABLES[name]))


def _distance(a, b) -> float:
    con = connect()
    return con.execute(
        f"SELECT {km('a', 'b')} FROM (SELECT {a[0]} AS lon, {a[1]} AS lat) a, "
        f"(SELECT {b[0]} AS lon, {b[1]} AS lat) b"
    ).fetchone()[0]


def test_points_east_and_west_within_the_radius_meet():
    # At 20° N, 4.9 km east-west spans more than 4.9/111 degrees of longitude: the two
    # points sit two grid cells apart when the cell ignores the latitude.
    west, east = (0.0449, 20.0), (0.0449 + 0.0468, 20.0)
    assert 4.8 < _distance(west, east) < 5.0
    con = connect()
    activities = [
        {"id": i, "source_id": f"P-{i}", "organisation": org, "sector": "PRO-MIN",
         "activity_type": "CLR", "start": D(2025, 1, 1), "end": D(2025, 6, 30),
         "targeted": 0, "reached": 0, "groups": []}
        for i, org in ((1, "HI"), (2, "DRC"))
    ]  # fmt: skip
    register_tables(con, {
        "units": pa.Table.from_pylist([{"pcode": "XX", "name": "X", "level": 0,
                                        "parent": None}]),
        "activities": _table("activities", activities),
        "activity_points": _table("activity_points", [
            {"activity_id": 1, "lon": west[0], "lat": west[1]},
            {"activity_id": 2, "lon": east[0], "lat": east[1]}]),
    })  # fmt: skip
    clusters = duplicates(con, DuplicateOptions(radius_km=5))["clusters"]
    assert [c["records"] for c in clusters] == [["P-1", "P-2"]]
    assert duplicates(con, DuplicateOptions(radius_km=4.5))["clusters"] == []
