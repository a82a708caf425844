"""Gaps on planted scenarios: no miss, no false alarm (pure engine, Arrow tables)."""

import datetime

import pyarrow as pa
import pytest

from kafo.analysis.engine import connect, register_tables
from kafo.analysis.gaps import GapOptions, gaps

D = datetime.date


def _table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows)


@pytest.fixture
def con():
    units = [("ML", "Mali", 0, None, 1000.0), ("ML01", "Kayes", 1, "ML", 500.0),
             ("ML0101", "Bafoulabé", 2, "ML01", 200.0), ("ML010101", "Bamafélé", 3, "ML0101", 50.0),
             ("ML0102", "Diéma", 2, "ML01", 300.0), ("ML02", "Koulikoro", 1, "ML", 500.0),
             ("ML0201", "Banamba", 2, "ML02", 500.0),
             ("ML020101", "Banamba commune", 3, "ML0201", 100.0)]  # fmt: skip
    activity = {"sector": "PRO-MIN", "activity_type": "EORE", "start": D(2025, 1, 1),
                "end": D(2025, 12, 31), "targeted": 0, "reached": 0, "groups": []}  # fmt: skip
    activities = [
        {**activity, "id": 1, "source_id": "A1", "organisation": "HI", "targeted": 900,
         "reached": 600},
        {**activity, "id": 2, "source_id": "A2", "organisation": "DRC", "reached": 100},
        {**activity, "id": 3, "source_id": "A3", "organisation": "MAG", "reached": 50},
        {**activity, "id": 4, "source_id": "A4", "organisation": "HI", "reached": 999,
         "start": D(2020, 1, 1), "end": D(2020, 6, 30)},
        {**activity, "id": 5, "source_id": "A5", "organisation": "MAG", "targeted": 400,
         "reached": 200, "end": None},
    ]  # fmt: skip
    places = [(1, "ML0101"), (2, "ML010101"), (3, "ML01"), (4, "ML0201"), (5, "ML0101"),
              (5, "ML020101")]  # fmt: skip
    needs = [("ML0101", "PRO-MIN", 2024, 5000), ("ML0101", "PRO-MIN", 2025, 1000),
             ("ML0102", "PRO-MIN", 2025, 500), ("ML020101", "PRO-MIN", 2025, 200),
             ("ML0101", "", 2025, 90000)]  # fmt: skip
    connection = connect()
    register_tables(connection, {
        "units": _table([dict(zip(("pcode", "name", "level", "parent", "area_km2"), u, strict=True))
                         for u in units]),
        "activities": _table(activities),
        "activity_units": _table([{"activity_id": a, "pcode": p} for a, p in places]),
        "activity_points": pa.table({"activity_id": pa.array([], pa.int64()),
                                     "lon": pa.array([], pa.float64()),
                                     "lat": pa.array([], pa.float64())}),
        "needs": _table([{"pcode": p, "sector": s, "year": y, "in_need": n, "population": None}
                         for p, s, y, n in needs]),
    })  # fmt: skip
    return connection


def test_units_with_need_and_no_presence_and_coverage(con):
    result = gaps(con, GapOptions(level=2, start=D(2025, 1, 1), end=D(2025, 12, 31)))
    by_unit = {row["pcode"]: row for row in result["units"]}
    assert set(by_unit) == {"ML0101", "ML0102", "ML0201"}
    bafoulabe = by_unit["ML0101"]
    # A1 + A2 (in a commune of the cercle: nested p-code) + half of A5 (two cercles).
    assert (bafoulabe["need"], bafoulabe["reached"], bafoulabe["targeted"]) == (1000, 800, 1100)
    assert bafoulabe["organisations"] == ["DRC", "HI", "MAG"]
    assert (bafoulabe["coverage"], bafoulabe["class"]) == (0.8, "on_track")
    assert by_unit["ML0102"]["class"] == "no_presence"
    banamba = by_unit["ML0201"]  # need from its commune; A4 ran in 2020 only
    assert (banamba["need"], banamba["reached"], banamba["activities"]) == (200, 100, [5])
    assert (banamba["coverage"], banamba["class"]) == (0.5, "on_track")


def test_the_threshold_and_the_projected_view(con):
    result = gaps(con, GapOptions(level=2, start=D(2025, 1, 1), end=D(2025, 12, 31),
                                  threshold=0.9))  # fmt: skip
    by_unit = {row["pcode"]: row for row in result["units"]}
    assert by_unit["ML0101"]["class"] == "below_target"
    assert by_unit["ML0101"]["projected_class"] == "on_track"  # 1,100 targeted for 1,000


def test_imprecise_locations_are_listed_not_counted(con):
    result = gaps(con, GapOptions(level=2, start=D(2025, 1, 1), end=D(2025, 12, 31)))
    assert [row["source_id"] for row in result["imprecise"]] == ["A3"]
    assert all(3 not in row["activities"] for row in result["units"])
    at_regions = gaps(con, GapOptions(level=1, start=D(2025, 1, 1), end=D(2025, 12, 31)))
    assert at_regions["imprecise"] == []  # at level 1, ML01 is precise enough


def test_disjoint_periods_do_not_count(con):
    result = gaps(con, GapOptions(level=2, start=D(2020, 1, 1), end=D(2020, 12, 31)))
    by_unit = {row["pcode"]: row for row in result["units"]}
    assert by_unit["ML0201"]["activities"] == [4] and by_unit["ML0201"]["need"] is None
