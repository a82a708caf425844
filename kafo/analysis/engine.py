"""DuckDB for the analysis: extensions from their PyPI packages (never downloaded), and
the data contract: the tables the analyses read (TABLES), which the caller provides
(kafo.coordination.source gives the platform's)."""

import importlib
import math
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

# The normalised tables every analysis reads (name → columns).
TABLES: dict[str, dict[str, pa.DataType]] = {
    # Admin units of the active boundaries.
    "units": {"pcode": pa.string(), "name": pa.string(), "level": pa.int32(),
              "parent": pa.string(), "area_km2": pa.float64(), "population": pa.int64()},
    # 5W activities (one row per id): dates are the actual ones where known, else the
    # planned ones.
    "activities": {"id": pa.int64(), "source_id": pa.string(), "organisation": pa.string(),
                   "sector": pa.string(), "activity_type": pa.string(), "start": pa.date32(),
                   "end": pa.date32(), "targeted": pa.int64(), "reached": pa.int64(),
                   # Target groups with people targeted or reached (girls, boys, women, men).
                   "groups": pa.list_(pa.string())},
    "activity_units": {"activity_id": pa.int64(), "pcode": pa.string()},
    "activity_points": {"activity_id": pa.int64(), "lon": pa.float64(), "lat": pa.float64()},
    # Strategies: frameworks, their objectives (pillars, objectives, targets) and the
    # budget targets (USD) set on them; activities and flows tagged with shares (%).
    "objectives": {"id": pa.int64(), "framework_id": pa.int64(), "framework": pa.string(),
                   "parent_id": pa.int64(), "level": pa.string(), "code": pa.string(),
                   "title": pa.string(), "budget_target_usd": pa.float64()},
    "activity_objectives": {"activity_id": pa.int64(), "objective_id": pa.int64(),
                            "percentage": pa.float64()},
    # Funding flows, one row per id.
    "transactions": {"id": pa.int64(), "type": pa.string(), "provider": pa.string(),
                     "receiver": pa.string(), "activity_id": pa.int64(), "date": pa.date32(),
                     "amount_usd": pa.float64(), "on_budget": pa.bool_(),
                     "description": pa.string()},
    "transaction_objectives": {"transaction_id": pa.int64(), "objective_id": pa.int64(),
                               "percentage": pa.float64()},
    # Validated mine action records and the places around them.
    # classification: indication, sha, cha, eod_spot_task, ammunition_storage (IMSMA's).
    "hazards": {"reference": pa.string(), "pcode": pa.string(), "lon": pa.float64(),
                "lat": pa.float64(), "status": pa.string(), "remaining_m2": pa.float64(),
                "blockages": pa.int64(), "classification": pa.string()},
    "incidents": {"reference": pa.string(), "date": pa.date32(), "pcode": pa.string(),
                  "lon": pa.float64(), "lat": pa.float64(), "casualties": pa.int64()},
    # Populated places (their own p-code; `unit`: the admin unit holding them).
    "settlements": {"pcode": pa.string(), "unit": pa.string(), "lon": pa.float64(),
                    "lat": pa.float64(), "population": pa.int64()},
    # How hard an admin unit is to reach (0 open … 1 no access), from the coordination.
    "access": {"pcode": pa.string(), "difficulty": pa.float64()},
    # People in need by admin unit, sector ("" = whole population) and year.
    "needs": {"pcode": pa.string(), "sector": pa.string(), "year": pa.int32(),
              "in_need": pa.int64(), "population": pa.int64()},
}  # fmt: skip

# Columns a caller may leave out (they read as unknown).
OPTIONAL = {"units": {"area_km2", "population"}, "hazards": {"classification"}}


def extension(name: str) -> Path:
    """A DuckDB extension's file from its installed package (`duckdb-extension-<name>`)."""
    package = importlib.import_module(f"duckdb_extension_{name}")
    found = sorted(Path(str(package.__file__)).parent.glob(f"extensions/*/{name}.duckdb_extension"))
    if not found:
        raise RuntimeError(f"the DuckDB extension {name} is not installed")
    return found[-1]


def connect(threads: int | None = None, spill_to: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that never reaches the internet for extensions. What does not
    fit in memory is written under `spill_to` (DuckDB's default is `.tmp` in the current
    folder, wherever the process was started)."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})  # fmt: skip
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if spill_to is not None:
        con.execute("SET temp_directory = ?", [str(spill_to)])
    return con


# Tables read from Arrow where they are, not copied into DuckDB: the analyses read them
# once or twice, through filters (the period, the type, the status) or by a few columns,
# so that only the rows and columns kept are converted. The others are joined again and
# again: copied once.
READ_IN_PLACE = frozenset({"activities", "transactions", "hazards", "incidents"})
# DuckDB's own row group: a table of one piece would be read by one thread.
ROWS_PER_SLICE = 122_880


def register_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> None:
    """Use Arrow tables in the shapes of TABLES: a table left out is empty; a table
    lacking a column is an error. The connection holds the tables READ_IN_PLACE."""
    for name, columns in TABLES.items():
        table = tables.get(name)
        if table is None:
            table = pa.Table.from_pylist([], schema=pa.schema(columns))
        for name_ in OPTIONAL.get(name, set()) - set(table.column_names):
            table = table.append_column(name_, pa.nulls(len(table), columns[name_]))
        missing = sorted(set(columns) - set(table.column_names))
        if missing:
            raise ValueError(f"table {name} lacks {', '.join(missing)}")
        shaped = table.select(list(columns)).cast(pa.schema(columns))
        # In slices, which DuckDB's threads read side by side (one piece: one thread).
        sliced = pa.Table.from_batches(shaped.to_batches(max_chunksize=ROWS_PER_SLICE),
                                       schema=shaped.schema)  # fmt: skip
        if name in READ_IN_PLACE:
            con.register(name, sliced)
            continue
        con.register(f"{name}_arrow", sliced)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")


def one(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> tuple[Any, ...]:
    """The one row a query gives (an aggregate's); an error if it gives none."""
    row = con.execute(sql, params).fetchone()
    if row is None:
        raise RuntimeError(f"no row from {sql[:60]}")
    return row


def fetch_columns(
    con: duckdb.DuckDBPyConnection, sql: str, params: object = None
) -> list[list[Any]]:
    """A query's result as one Python list per column, through Arrow: several times faster
    than row by row where rows hold lists. Whole numbers DuckDB sums in 128 bits come back
    as ints, as row by row (an error if one does not fit in 64)."""
    table = con.execute(sql, params).to_arrow_table()
    columns = []
    for column in table.columns:
        if pa.types.is_decimal(column.type) and column.type.scale == 0:
            column = column.cast(pa.int64())
        columns.append(column.to_pylist())
    return columns


EARTH_KM = 6371.0088


def km(a: str, b: str) -> str:
    """SQL for the great-circle distance in km between rows `a` and `b` (lon, lat)."""
    return (
        f"2 * {EARTH_KM} * asin(sqrt(pow(sin(radians({b}.lat - {a}.lat) / 2), 2)"
        f" + cos(radians({a}.lat)) * cos(radians({b}.lat))"
        f" * pow(sin(radians({b}.lon - {a}.lon) / 2), 2)))"
    )


def within(a: str, b: str, radius_km: float, cell: float) -> str:
    """SQL: rows `a` and `b` within `radius_km` of each other, for rows of neighbouring
    grid cells (`cell`: grid_cell's for that radius). A box around the circle is tested
    first, with plain comparisons: it sets aside more than half the pairs of neighbouring
    cells before the distance (trigonometry) is computed. The box holds every point within
    the radius: a great circle is no shorter than the meridian between the two latitudes;
    and by the haversine, cos φ1 cos φ2 sin²(Δλ/2) ≤ sin²(d/2R), with both cosines at
    least that of the most polar point, which the cell was sized for."""
    latitude = radius_km / (2 * math.pi * EARTH_KM / 360) * (1 + 1e-9)  # float's rounding
    polar_cosine = max(radius_km, 0.001) / (KM_PER_CELL_DEGREE * cell)  # as grid_cell
    reach = math.sin(radius_km / (2 * EARTH_KM)) / polar_cosine
    longitude = 2 * cell  # the grid's own reach: beyond the polar cap, or near the pole
    if reach < 1 and polar_cosine > math.cos(math.radians(POLAR_CAP)) * (1 + 1e-9):
        longitude = min(longitude, math.degrees(2 * math.asin(reach)) * (1 + 1e-9))
    return (f"abs({b}.lat - {a}.lat) <= {latitude!r}"
            f" AND abs({b}.lon - {a}.lon) <= {longitude!r}"
            f" AND {km(a, b)} <= {float(radius_km)!r}")  # fmt: skip


# grid_cell's degree (a little short of the sphere's 111.195 km, so the cells are never
# too small) and the latitude beyond which it sizes no cell (a degree of longitude there
# is under 2 km).
KM_PER_CELL_DEGREE = 111.0
POLAR_CAP = 89.0


def grid_cell(con: duckdb.DuckDBPyConnection, radius_km: float, *tables: str) -> float:
    """The side (degrees) of grid cells such that points within `radius_km` of each other
    always sit in the same or neighbouring cells: a degree of longitude shrinks with the
    cosine of the latitude, so the cell is sized for the most polar point of the tables."""
    latitudes = " UNION ALL ".join(f"SELECT max(abs(lat)) AS lat FROM {t}" for t in tables)
    (polar,) = one(con, f"SELECT coalesce(max(lat), 0) FROM ({latitudes})")
    polar = min(float(polar), POLAR_CAP)
    return max(radius_km, 0.001) / (KM_PER_CELL_DEGREE * math.cos(math.radians(polar)))


def in_cells(table: str, cell: float) -> str:
    """SQL: the rows of `table` (with lon, lat) and their grid cell (`cx`, `cy`)."""
    return (f"(SELECT *, floor(lon / {cell})::BIGINT AS cx, floor(lat / {cell})::BIGINT AS cy"
            f" FROM {table} WHERE lon IS NOT NULL AND lat IS NOT NULL)")  # fmt: skip


def around_cells(table: str, cell: float) -> str:
    """SQL: the rows of `table` once for each of the 9 cells around theirs (`cx`, `cy`),
    so that an equality join on the cells finds every neighbour (a hash join, not a
    range join)."""
    return (f"(SELECT t.*, floor(t.lon / {cell})::BIGINT + dx AS cx,"
            f" floor(t.lat / {cell})::BIGINT + dy AS cy"
            f" FROM {table} t, range(-1, 2) x(dx), range(-1, 2) y(dy)"
            f" WHERE t.lon IS NOT NULL AND t.lat IS NOT NULL)")  # fmt: skip


def build_ancestors(con: duckdb.DuckDBPyConnection) -> None:
    """`ancestors(pcode, ancestor, ancestor_level)`: every unit with itself and above."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ancestors AS
        WITH RECURSIVE chain(pcode, ancestor, ancestor_level) AS (
            SELECT pcode, pcode, level FROM units
            UNION ALL
            SELECT c.pcode, u.parent, p.level FROM chain c
            JOIN units u ON u.pcode = c.ancestor JOIN units p ON p.pcode = u.parent
        )
        SELECT * FROM chain
    """)


def rounded(values: np.ndarray, places: int) -> np.ndarray:
    """Python's `round(x, places)` for each element, vectorised: numpy scales then rounds,
    which can differ from the correctly rounded decimal only next to a half (within the
    scaling's error, which grows with the value); those few are rounded by Python."""
    scaled = values * 10.0**places
    result = np.round(scaled) / 10.0**places
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6 + 1e-12 * np.abs(scaled)
    for i in np.flatnonzero(near_half):
        result[i] = round(float(values[i]), places)
    return result
