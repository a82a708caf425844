import pyarrow as pa
import pytest

from kafo.planning.engine import TABLES


@pytest.fixture
def table():
    def make(name: str, rows: list[dict]) -> pa.Table:
        return pa.Table.from_pylist(rows, schema=pa.schema(TABLES[name]))

    return make


def task(id_, region="R1", kind="EORE", lon=0.0, lat=15.0, need=1000.0, priority=1.0, teams=1):
    return {"id": id_, "pcode": f"P-{id_}", "region": region, "task_type": kind, "lon": lon,
            "lat": lat, "need": need, "priority": priority, "teams": teams}  # fmt: skip


def team(id_, org="HI", kind="EORE", lon=0.0, lat=15.0, capacity=1000.0, max_km=500.0, cost=0.0):
    return {"id": id_, "organisation": org, "task_type": kind, "lon": lon, "lat": lat,
            "capacity": capacity, "max_km": max_km, "cost": cost}  # fmt: skip
