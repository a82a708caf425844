"""5W HXL import speed, side by side with libhxl reading the same file, in one run.

Goal (issue #5): importing 1,000,000 5W rows at least 10x faster than libhxl reads them.
Kafo's import is measured whole: read, check every row against Kafo's references
(organisations, sectors, p-codes, dates, people), and write the activities to SQLite.
It also measures, in the same run, the floor no importer can go under on this machine:
SQLite alone inserting the very rows Kafo wrote (prepared tuples, no reading, no checks)
into an empty copy of the same database.
Run: `.venv/bin/python bench/hxl_import.py [--rows N]` (a throw-away database).
"""

import argparse
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HEADER = ("Organisation,Secteur,Type,Titre,Id,Cercle,Début,Fin,Filles,Garçons\n"
          "#org+impl,#sector,#activity+type,#activity+name,#meta+id,#adm2+code,#date+start,"
          "#date+end,#reached+f+children,#reached+m+children\n")  # fmt: skip


def write_file(path: Path, rows: int, pcodes: list[str]) -> None:
    organisations = ["Humanité & Inclusion", "Danish Refugee Council", "Mines Advisory Group"]
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for i in range(rows):
            pcode = pcodes[i % len(pcodes)]
            out.write(f"{organisations[i % 3]},PRO-MIN,EORE,EER {i},B-{i},{pcode},"
                      f"2025-01-06,2025-03-31,{i % 50},{i % 40}\n")  # fmt: skip


WRITTEN_TABLES = ("response_activity", "response_activity_locations",
                  "response_activityparticipant")  # fmt: skip


def database_floor(
    written: Path, empty: Path, *, durable: bool = True, row_triggers: bool = False
) -> float:
    """Seconds SQLite takes to insert the rows Kafo wrote into `empty` (same schema, same
    references), with the rows already in memory: what writing alone costs. The data
    version's per-row triggers are set aside in the transaction and the version moved once,
    as Kafo's bulk writing does (`row_triggers`: left to run at each row). Not durable:
    no fsync, the journal in memory, no foreign-key checks (what no import may do)."""
    source = sqlite3.connect(written)
    tables = {}
    for table in WRITTEN_TABLES:
        cursor = source.execute(f"SELECT * FROM {table}")
        columns = [description[0] for description in cursor.description]
        tables[table] = (columns, cursor.fetchall())
    source.close()
    target = sqlite3.connect(empty, isolation_level=None)
    if durable:
        target.execute("PRAGMA foreign_keys = ON")  # as Django opens it
    else:
        for pragma in ("synchronous = OFF", "journal_mode = MEMORY", "foreign_keys = OFF"):
            target.execute(f"PRAGMA {pragma}")
    started = time.perf_counter()
    target.execute("BEGIN")
    triggers = []
    if not row_triggers:
        marks = ", ".join("?" * len(WRITTEN_TABLES))
        triggers = target.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            f"AND name LIKE 'kafo_version_%' AND tbl_name IN ({marks})", WRITTEN_TABLES
        ).fetchall()  # fmt: skip
        for name, _sql in triggers:
            target.execute(f'DROP TRIGGER "{name}"')
        target.execute("UPDATE kafo_data_version SET version = version + 1 WHERE id = 1")
    for table, (columns, rows) in tables.items():
        marks = ", ".join("?" * len(columns))
        target.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    for _name, sql in triggers:
        target.execute(sql)
    target.execute("COMMIT")
    elapsed = time.perf_counter() - started
    target.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kafo-bench-"))
    os.environ["KAFO_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kafo.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from kafo.actors.models import Organisation
    from kafo.geo.demo import DEMO_VERSION, demo_boundary_set
    from kafo.geo.importing import write_boundary_set
    from kafo.geo.models import AdminUnit

    boundaries, population = demo_boundary_set()
    write_boundary_set(boundaries, DEMO_VERSION, is_demo=True, population=population,
                       activate=True)  # fmt: skip
    for name in ("Humanité & Inclusion", "Danish Refugee Council", "Mines Advisory Group"):
        Organisation.objects.create(name=name, type="international_ngo")
    pcodes = list(AdminUnit.objects.filter(level=2).values_list("pcode", flat=True))
    database = Path(connection.settings_dict["NAME"])
    connection.close()
    empty, unsafe = folder / "empty.sqlite3", folder / "unsafe.sqlite3"
    per_row = folder / "per-row.sqlite3"
    for copy in (empty, unsafe, per_row):
        shutil.copy(database, copy)
    path = folder / "5w.csv"
    write_file(path, args.rows, pcodes)
    print(f"{args.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip

    import hxl

    options = hxl.InputOptions(allow_local=True)
    started = time.perf_counter()
    count = sum(1 for _row in hxl.data(str(path), options))
    bare = time.perf_counter() - started
    print(f"libhxl iterates {count:,} rows: {bare:.1f} s ({count / bare:,.0f} rows/s)")
    # What an importer built on libhxl does: every tagged value of every row, by hashtag.
    tags = HEADER.splitlines()[1].split(",")
    started = time.perf_counter()
    for row in hxl.data(str(path), options):
        for tag in tags:
            row.get(tag)
    libhxl = time.perf_counter() - started
    print(f"libhxl reads every value by hashtag: {libhxl:.1f} s ({count / libhxl:,.0f} rows/s)")
    # The same with the hashtag patterns parsed once, as a careful importer would.
    patterns = [hxl.model.TagPattern.parse(tag) for tag in tags]
    started = time.perf_counter()
    for row in hxl.data(str(path), options):
        for pattern in patterns:
            row.get(pattern)
    parsed = time.perf_counter() - started
    print(f"libhxl reads every value, patterns parsed once: {parsed:.1f} s "
          f"({count / parsed:,.0f} rows/s)")  # fmt: skip

    from kafo.interop.activities import import_activities

    started = time.perf_counter()
    batch = import_activities(path)
    kafo = time.perf_counter() - started
    print(f"Kafo imports {batch.accepted:,} rows ({batch.status}): {kafo:.1f} s "
          f"({batch.accepted / kafo:,.0f} rows/s)")  # fmt: skip
    print(f"ratio, libhxl reading the values / Kafo importing: {libhxl / kafo:.2f}x (goal: 10x)")
    print(f"ratio, libhxl only iterating / Kafo importing: {bare / kafo:.2f}x")
    connection.close()
    floor = database_floor(database, empty)
    print(f"SQLite alone inserts the same rows (no reading, no checks; the version moved "
          f"once): {floor:.1f} s")  # fmt: skip
    print(f"ratio, Kafo importing / the database's floor: {kafo / floor:.2f}x (goal, issue "
          f"#23: at most 2x)")  # fmt: skip
    per_row_floor = database_floor(database, per_row, row_triggers=True)
    print(f"the same, the version's triggers run at each row: {per_row_floor:.1f} s")
    fastest = database_floor(database, unsafe, durable=False)
    print(f"the same, durability and foreign-key checks off: {fastest:.1f} s")
    print(f"the goal needs the whole import in {libhxl / 10:.1f} s (libhxl by hashtag / 10) "
          f"or {parsed / 10:.1f} s (patterns parsed once / 10); writing alone takes "
          f"{floor / (libhxl / 10):.1f}x and {floor / (parsed / 10):.1f}x that")  # fmt: skip
    return batch


if __name__ == "__main__":
    main()
