"""What DuckDB cannot hold in memory goes to the folder it is given, never to `.tmp` in
the folder the process happened to start in (4 GB were left there by a request killed at
1,000,000 activities)."""

from kafo.analysis.engine import connect


def test_a_large_sort_spills_into_the_given_folder(tmp_path, monkeypatch):
    started_in = tmp_path / "started-in"
    started_in.mkdir()
    monkeypatch.chdir(started_in)
    spill = tmp_path / "spill"
    con = connect(threads=1, spill_to=spill)
    con.execute("SET memory_limit = '30MB'")
    con.execute("CREATE TABLE big AS SELECT md5(i::VARCHAR) || md5((i * 7)::VARCHAR) AS s "
                "FROM range(1500000) t(i)")  # fmt: skip
    assert con.execute("SELECT count(*) FROM (SELECT s FROM big ORDER BY s)").fetchone() == (
        1_500_000,
    )
    assert any(spill.iterdir())  # it did spill, there
    assert not any(started_in.iterdir())
    con.close()
