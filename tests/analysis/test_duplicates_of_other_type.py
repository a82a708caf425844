"""OTHER ("another activity of the sector") means nothing of its own: two OTHER records
overlap only within one sector (surgery, schooling and food in one cercle are not one
activity), while two OTHER records of one sector still do."""

import datetime

import pyarrow as pa

from kafo.analysis.duplicates import duplicates
from kafo.analysis.engine import TABLES, connect, register_tables
from tests.analysis.test_duplicates import UNITS

PERIOD = (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))


def _connection(records):
    activities = [
        {"id": i, "source_id": f"X-{i}", "organisation": org, "sector": sector,
         "activity_type": "OTHER", "start": PERIOD[0], "end": PERIOD[1], "targeted": 0,
         "reached": 0, "groups": []}
        for i, org, sector in records
    ]  # fmt: skip
    places = [{"activity_id": i, "pcode": "ML0101"} for i, *_rest in records]

    def table(name, rows):
        return pa.Table.from_pylist(rows, schema=pa.schema(TABLES[name]))

    connection = connect()
    register_tables(connection, {
        "units": pa.Table.from_pylist([dict(zip(("pcode", "name", "level", "parent", "area_km2"),
                                                 u, strict=True)) for u in UNITS]),
        "activities": table("activities", activities),
        "activity_units": table("activity_units", places),
        "activity_points": table("activity_points", []),
        "needs": table("needs", []),
    })  # fmt: skip
    return connection


def test_other_of_different_sectors_is_no_duplicate():
    result = duplicates(_connection([(1, "MSF", "HEA"), (2, "NRC", "EDU"), (3, "WFP", "FSC")]))
    assert result["clusters"] == []


def test_other_of_one_sector_still_overlaps():
    result = duplicates(_connection([(1, "MSF", "HEA"), (2, "ALIMA", "HEA"), (3, "NRC", "EDU")]))
    assert [c["ids"] for c in result["clusters"]] == [[1, 2]]
