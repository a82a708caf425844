"""The analyses' DuckDB spills under KAFO_DATA_DIR, beside the rest of Kafo's files."""

from pathlib import Path

from kafo.coordination.source import analysis_connection


def test_the_analyses_spill_under_the_data_folder(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    con = analysis_connection()
    folder = con.execute("SELECT current_setting('temp_directory')").fetchone()[0]
    assert Path(folder) == tmp_path / "analysis-spill"
    con.close()
