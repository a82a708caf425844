"""The scenario generator: deterministic, in the engine's shapes, with what was asked."""

import pyarrow as pa

from bench.analysis_scenario import generate, grid_units
from kafo.analysis.engine import TABLES, connect, register_tables


def test_the_same_seed_gives_the_same_tables():
    units = grid_units(2, 2, 3)
    first, again = generate(units, 500, 50, 50, seed=3), generate(units, 500, 50, 50, seed=3)
    assert all(first[name].equals(again[name]) for name in first)
    other = generate(units, 500, 50, 50, seed=4)
    assert not first["activities"].equals(other["activities"])


def test_tables_have_the_engines_shapes_and_sizes():
    tables = generate(grid_units(2, 2, 3), 1000, 200, 300)
    for name, table in tables.items():
        assert table.schema == pa.schema(TABLES[name]), name
    assert tables["activities"].num_rows == 1000
    assert tables["hazards"].num_rows == 200 and tables["incidents"].num_rows == 300
    con = connect()
    register_tables(con, tables)
    levels = dict(con.execute("""
        SELECT u.level, count(DISTINCT au.activity_id) FROM activity_units au
        JOIN units u USING (pcode) GROUP BY 1""").fetchall())  # fmt: skip
    assert levels[3] > levels[2] > levels[1] > 0  # mostly communes, some coarser
    unknown = con.execute(
        "SELECT count(*) FROM hazards WHERE pcode NOT IN (SELECT pcode FROM units)"
    ).fetchone()[0]
    assert unknown == 0


def test_grid_units_roll_up_area_and_population():
    units = grid_units(2, 2, 3).to_pylist()
    by_code = {u["pcode"]: u for u in units}
    communes = [u for u in units if u["parent"] == "XX0101"]
    assert by_code["XX0101"]["population"] == sum(u["population"] for u in communes)
    assert by_code["XX01"]["area_km2"] == 6 * 2500
