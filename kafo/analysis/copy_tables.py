"""Copy the platform's tables from its database into Parquet files, in a process of its
own: `python -m kafo.analysis.copy_tables` reads a job as JSON on its standard input,
`{"attach": [SQL...], "queries": {table: SQL}, "folder": path}`, and writes
`folder/<table>.parquet` for each query.

Why a process of its own: DuckDB reads a SQLite file with its own SQLite library. Two
SQLite libraries must not hold one file in one process while other threads use it (a web
server's, a worker's): POSIX locks belong to the process, and one library closing the
file drops the other's locks. In a process of its own, DuckDB is one more reader of the
file, as SQLite allows. It reads a million activities in about a second, where Python's
driver and the ORM took sixteen (docs/benchmarks.md)."""

import json
import sys
from pathlib import Path

from kafo.analysis.engine import connect


def copy_tables(attach: list[str], queries: dict[str, str], folder: Path) -> None:
    """Run the `attach` statements, then write each query's rows to
    `folder/<name>.parquet`."""
    con = connect()
    try:
        for statement in attach:
            con.execute(statement)
        for name, sql in queries.items():
            target = str(folder / f"{name}.parquet").replace("'", "''")
            con.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet)")
    finally:
        con.close()


def main() -> None:
    job = json.load(sys.stdin)
    copy_tables(job["attach"], job["queries"], Path(job["folder"]))


if __name__ == "__main__":
    main()
