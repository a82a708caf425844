"""A large 5W does not make the gaps' answer grow with it: each unit lists the ids of its
first activities and counts them all; the imprecise activities are listed up to a bound
and counted all. The counts are checked against the table itself (pyarrow)."""

import datetime

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kafo.analysis import gaps as gaps_module
from kafo.analysis.engine import connect, register_tables
from kafo.analysis.gaps import ACTIVITIES_LISTED, GapOptions, gaps

D = datetime.date
MANY = ACTIVITIES_LISTED + 37


@pytest.fixture
def con():
    units = pa.Table.from_pylist([
        {"pcode": "ML01", "name": "Kayes", "level": 1, "parent": None, "area_km2": 1.0},
        {"pcode": "ML0101", "name": "Bafoulabé", "level": 2, "parent": "ML01", "area_km2": 1.0},
    ])  # fmt: skip
    ids = pa.array(range(1, 2 * MANY + 1), pa.int64())
    activities = pa.table({
        "id": ids, "source_id": pc.cast(ids, pa.string()), "organisation": ["HI"] * len(ids),
        "sector": ["PRO-MIN"] * len(ids), "activity_type": ["EORE"] * len(ids),
        "start": [D(2025, 1, 1)] * len(ids), "end": [D(2025, 12, 31)] * len(ids),
        "targeted": [1] * len(ids), "reached": [1] * len(ids),
        "groups": pa.array([[]] * len(ids), pa.list_(pa.string())),
    })  # fmt: skip
    # The first MANY in the cercle (present at level 2), the others in the region only.
    pcodes = ["ML0101"] * MANY + ["ML01"] * MANY
    connection = connect()
    register_tables(connection, {
        "units": units, "activities": activities,
        "activity_units": pa.table({"activity_id": ids, "pcode": pcodes}),
        "activity_points": pa.table({"activity_id": pa.array([], pa.int64()),
                                     "lon": pa.array([], pa.float64()),
                                     "lat": pa.array([], pa.float64())}),
        "needs": pa.table({"pcode": ["ML0101"], "sector": ["PRO-MIN"], "year": [2025],
                           "in_need": [1000], "population": pa.array([None], pa.int64())}),
    })  # fmt: skip
    return connection


def test_a_unit_lists_its_first_activities_and_counts_them_all(con):
    result = gaps(con, GapOptions(level=2))
    (row,) = result["units"]
    assert row["activity_count"] == MANY == row["reached"]
    assert row["activities"] == list(range(1, ACTIVITIES_LISTED + 1))


def test_the_imprecise_are_listed_up_to_a_bound_and_counted_all(con, monkeypatch):
    result = gaps(con, GapOptions(level=2))
    assert result["imprecise_count"] == MANY == len(result["imprecise"])
    monkeypatch.setattr(gaps_module, "IMPRECISE_KEPT", 10)
    result = gaps(con, GapOptions(level=2))
    assert result["imprecise_count"] == MANY
    assert [row["id"] for row in result["imprecise"]] == list(range(MANY + 1, MANY + 11))


def test_technical_gaps_count_them_the_same_way(con):
    (row,) = gaps(con, GapOptions(level=2, by="activity_type"))["units"]
    assert (row["activity_type"], row["activity_count"]) == ("EORE", MANY)
    assert len(row["activities"]) == ACTIVITIES_LISTED
