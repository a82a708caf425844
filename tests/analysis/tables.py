"""Engine tables from rows, for the planted scenarios of these tests."""

import pyarrow as pa

from kafo.analysis.engine import TABLES


def table(name: str, rows: list[tuple]) -> pa.Table:
    """The engine's table `name` from tuples in its columns' order."""
    return pa.Table.from_pylist(
        [dict(zip(TABLES[name], row, strict=True)) for row in rows], schema=pa.schema(TABLES[name])
    )


def connection_with(**rows: list[tuple]):
    """A DuckDB connection with these engine tables (the others empty)."""
    from kafo.analysis.engine import connect, register_tables

    connection = connect()
    register_tables(connection, {name: table(name, values) for name, values in rows.items()})
    return connection
