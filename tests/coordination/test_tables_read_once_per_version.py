"""The engine's tables are read from the database once per version of the data and kept
as Parquet files; every other analysis of that version reads them. Only committed data
is kept, a half-written folder is never read, and a restored database never reads the
folders of the versions it forgot.

These tests commit (the `cached` fixture)."""

import pytest
from django.core.cache import cache
from django.db import transaction

from kafo.actors.models import Organisation
from kafo.analysis.engine import TABLES
from kafo.analysis.gaps import GapOptions, gaps
from kafo.coordination import source
from kafo.coordination.cache import data_version
from kafo.response.models import Activity


@pytest.fixture
def kept(cached, demo_geography, monkeypatch):
    hi = Organisation.objects.create(name="Humanité & Inclusion", acronym="HI")
    Activity.objects.create(title="Sensibilisation", organisation=hi, sector="PRO-MIN")
    made, connect = [], source.connect
    # Closed at the end: on PostgreSQL DuckDB holds a connection to the test database.
    monkeypatch.setattr(source, "connect", lambda **kw: made.append(connect(**kw)) or made[-1])
    yield hi
    for con in made:
        con.close()


def _rows(con, name):
    return sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=repr)


def _folders():
    return sorted(p.name for p in source.tables_folder().iterdir())


def test_the_tables_are_kept_once_per_version(kept):
    version = data_version()
    source.analysis_connection()
    folder = source.kept_tables(version)
    assert folder is not None and folder.name.startswith(f"{version}-")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.parquet" for n in TABLES)
    assert _folders() == [folder.name]


def test_the_next_analysis_reads_the_kept_tables_not_the_database(kept, monkeypatch):
    from_database = source.analysis_connection()

    def no_database(*args, **kwargs):
        raise AssertionError("the database was read again")

    monkeypatch.setattr(source, "arrow_tables", no_database)
    monkeypatch.setattr(source, "attach_database", no_database)
    from_files = source.analysis_connection()
    for name in TABLES:
        assert _rows(from_files, name) == _rows(from_database, name), name
        assert (from_files.execute(f"DESCRIBE {name}").fetchall()
                == from_database.execute(f"DESCRIBE {name}").fetchall()), name  # fmt: skip
    options = GapOptions(level=2)
    assert gaps(from_files, options) == gaps(from_database, options)


def test_a_change_keeps_new_tables_and_removes_the_older(kept):
    source.analysis_connection()
    before = _folders()
    Activity.objects.create(title="Dépollution", organisation=kept, sector="PRO-MIN")
    con = source.analysis_connection()
    assert "Dépollution" not in repr(before)
    assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == 2
    after = _folders()
    assert len(after) == 1 and after != before
    assert after[0].startswith(f"{data_version()}-")


def test_uncommitted_rows_are_never_kept(kept):
    with transaction.atomic():
        Activity.objects.create(title="Pas encore", organisation=kept, sector="PRO-MIN")
        con = source.analysis_connection()
        assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == 2
    assert not source.tables_folder().exists() or _folders() == []


def test_a_folder_the_cache_does_not_name_is_never_read(kept, monkeypatch):
    source.analysis_connection()
    # A database restored from a backup: its cache does not know the folder kept.
    cache.clear()
    read, arrow_tables, attach_database = [], source.arrow_tables, source.attach_database
    monkeypatch.setattr(source, "arrow_tables", lambda: read.append(1) or arrow_tables())
    monkeypatch.setattr(source, "attach_database",
                        lambda *a: read.append(1) or attach_database(*a))  # fmt: skip
    source.analysis_connection()
    assert read == [1]


def test_a_folder_removed_meanwhile_is_read_from_the_database(kept):
    import shutil

    source.analysis_connection()
    shutil.rmtree(source.kept_tables(data_version()))
    con = source.analysis_connection()
    assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == 1


def test_a_folder_left_half_written_goes_at_the_next_keeping(kept):
    import os
    import time

    folder = source.tables_folder()
    folder.mkdir(parents=True)
    left = folder / ".3-killed"
    left.mkdir()
    (left / "units.parquet").write_bytes(b"half")
    hour_ago = time.time() - source.WRITING_SECONDS - 60
    os.utime(left, (hour_ago, hour_ago))
    being_written = folder / ".4-writing"
    being_written.mkdir()
    source.analysis_connection()
    assert not left.exists() and being_written.exists()
