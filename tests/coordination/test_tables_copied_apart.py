"""On a SQLite file, the engine's tables are copied by DuckDB in a process of its own
(kafo.analysis.copy_tables), never in the web server's or the worker's process, and are
the ORM's tables row for row. A copy that fails leaves no folder behind, is logged, and
the ORM reads the tables instead.

The test database lives in memory: a file copy of it stands for the platform's file."""

import logging
import sqlite3
import subprocess

import pytest
from django.db import connection

from kafo.analysis.engine import TABLES, connect, register_tables
from kafo.coordination import source
from kafo.coordination.cache import data_version
from kafo.response.models import Activity

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="a SQLite file only (PostgreSQL is attached)"
)


@pytest.fixture
def platform(cached, demo_geography, organisation, monkeypatch, tmp_path):
    from kafo.geo.models import AdminUnit

    hi = organisation("HI")
    for status, points in (("ongoing", [[-4.2, 14.5], [-4.1, 14.4]]), ("cancelled", [])):
        activity = Activity.objects.create(
            organisation=hi, title=f"EER {status}", sector="PRO-MIN", activity_type="EORE",
            status=status, reached_girls=3, targeted_unknown=7, points=points,
        )  # fmt: skip
        activity.locations.set([AdminUnit.objects.active().get(pcode="ML0501")])
    path = tmp_path / "kafo.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    monkeypatch.setattr(source, "sqlite_file", lambda: str(path))
    made, connect_ = [], source.connect
    monkeypatch.setattr(source, "connect", lambda **kw: made.append(connect_(**kw)) or made[-1])
    yield path
    for con in made:
        con.close()


def _rows(con, name: str) -> list[tuple]:
    columns = ", ".join(f'"{c}"' for c in TABLES[name])
    rows = con.execute(f"SELECT {columns} FROM {name}").fetchall()
    return sorted((tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in rows),
                  key=repr)  # fmt: skip


def _by_orm() -> dict[str, list[tuple]]:
    con = connect()
    register_tables(con, source.arrow_tables())
    return {name: _rows(con, name) for name in TABLES}


def test_the_tables_are_copied_apart_and_are_the_orms(platform, monkeypatch):
    expected = _by_orm()
    ran = []
    run = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda *a, **kw: ran.append(a[0]) or run(*a, **kw))
    monkeypatch.setattr(source, "arrow_tables", lambda: pytest.fail("read through the ORM"))
    con = source.analysis_connection()
    assert ran and ran[0][-1] == "kafo.analysis.copy_tables"  # in a process of its own
    for name in TABLES:
        assert _rows(con, name) == expected[name], name
    assert len(expected["activities"]) == 1 and len(expected["activity_points"]) == 2
    # Kept for the version: the next analysis reads the folder, no process again.
    assert source.kept_tables(data_version()) is not None
    ran.clear()
    again = source.analysis_connection()
    assert not ran and _rows(again, "activities") == expected["activities"]


def test_a_failed_copy_leaves_nothing_and_the_orm_reads_the_tables(platform, caplog):
    platform.write_bytes(b"ceci n'est pas une base")
    with caplog.at_level(logging.WARNING, logger="kafo.coordination.source"):
        con = source.analysis_connection()
    assert "could not be copied apart" in caplog.text
    assert _rows(con, "activities") == _by_orm()["activities"]
    folders = [p.name for p in source.tables_folder().iterdir()]
    assert len(folders) == 1 and not folders[0].startswith(".")  # the ORM's, kept whole
