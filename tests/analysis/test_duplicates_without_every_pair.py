"""Duplications found without storing every pair: records are joined through the spans
of their unit (periods overlapping one after the other), records of an enclosing unit
meet the spans, periods that end before they start are paired one by one; the pairs of
one organisation are counted whole and listed in part. Checked on planted records and
against the pandas baseline, which lists every pair (bench/analysis_baseline.py)."""

import datetime
import importlib.util
import random
import sys
from pathlib import Path

import pytest

from kafo.analysis import duplicates as module
from kafo.analysis.duplicates import DuplicateOptions, duplicates
from kafo.analysis.engine import TABLES, connect, register_tables
from tests.analysis.test_duplicates import UNITS, planted_connection, planted_tables

D = datetime.date
BENCH = Path(__file__).resolve().parents[2] / "bench"


def _baseline():
    spec = importlib.util.spec_from_file_location(
        "analysis_baseline", BENCH / "analysis_baseline.py"
    )
    loaded = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("analysis_baseline", loaded)
    spec.loader.exec_module(loaded)
    return loaded


def _clusters(answer: dict) -> list[list[int]]:
    return sorted(cluster["ids"] for cluster in answer["clusters"])


def test_records_chained_by_their_periods_are_one_cluster():
    # 1 and 3 do not meet, but 2 meets both; 4 starts after all of them ended.
    planted = [
        (1, "HI", "EORE", (D(2025, 1, 1), D(2025, 3, 31)), [], ["ML0101"], []),
        (2, "DRC", "EORE", (D(2025, 3, 15), D(2025, 6, 30)), [], ["ML0101"], []),
        (3, "MAG", "EORE", (D(2025, 6, 15), D(2025, 9, 30)), [], ["ML0101"], []),
        (4, "NRC", "EORE", (D(2025, 10, 15), D(2025, 12, 31)), [], ["ML0101"], []),
        (5, "NRC", "EORE", (D(2025, 10, 15), D(2025, 12, 31)), [], ["ML0102"], []),
    ]
    assert _clusters(duplicates(planted_connection(planted))) == [[1, 2, 3]]


def test_a_record_of_an_enclosing_unit_joins_the_records_it_meets_below():
    # 1 and 2 are in two communes of one region; 3, in the region, meets both; 4, in
    # the region too, meets neither (its period is another), and 5 is another type.
    planted = [
        (1, "HI", "EORE", (D(2025, 1, 1), D(2025, 3, 31)), [], ["ML010101"], []),
        (2, "DRC", "EORE", (D(2025, 5, 1), D(2025, 6, 30)), [], ["ML0102"], []),
        (3, "MAG", "EORE", (D(2025, 3, 1), D(2025, 5, 15)), [], ["ML01"], []),
        (4, "NRC", "EORE", (D(2024, 1, 1), D(2024, 2, 1)), [], ["ML01"], []),
        (5, "NRC", "CLR", (D(2025, 1, 1), D(2025, 12, 31)), [], ["ML01"], []),
    ]
    assert _clusters(duplicates(planted_connection(planted))) == [[1, 2, 3]]


def test_spans_of_an_enclosing_unit_join_only_the_spans_they_meet():
    # In the commune, 1 and 2 make one span (January–June); 3, in the region, meets 2
    # only (May–July), yet all three are one cluster. The region's 4 (October) is a span
    # of its own: it meets the commune's 5, not 1–3. The country's 6 meets the cercle's
    # 7, which meets the commune's 8: three levels, one cluster; 9, in the country in
    # 2023, meets nothing.
    planted = [
        (1, "HI", "EORE", (D(2025, 1, 1), D(2025, 3, 31)), [], ["ML010101"], []),
        (2, "DRC", "EORE", (D(2025, 3, 15), D(2025, 6, 30)), [], ["ML010101"], []),
        (3, "MAG", "EORE", (D(2025, 5, 1), D(2025, 7, 31)), [], ["ML01"], []),
        (4, "NRC", "EORE", (D(2025, 10, 1), D(2025, 10, 31)), [], ["ML01"], []),
        (5, "NRC", "EORE", (D(2025, 10, 20), D(2025, 11, 30)), [], ["ML010101"], []),
        (6, "HI", "CLR", (D(2024, 1, 1), D(2024, 3, 31)), [], ["ML"], []),
        (7, "DRC", "CLR", (D(2024, 3, 1), D(2024, 5, 31)), [], ["ML0101"], []),
        (8, "MAG", "CLR", (D(2024, 5, 15), D(2024, 6, 30)), [], ["ML010101"], []),
        (9, "NRC", "CLR", (D(2023, 1, 1), D(2023, 2, 1)), [], ["ML"], []),
    ]
    assert _clusters(duplicates(planted_connection(planted))) == [[1, 2, 3], [4, 5], [6, 7, 8]]


def test_a_period_that_ends_before_it_starts_meets_only_what_holds_it():
    # 1 starts on 30 June and ends on 1 January: by the definition it meets a period
    # from before 1 January to after 30 June (2), not one from March (3), which a
    # period from January to June would have met.
    inverted = (1, "HI", "EORE", (D(2025, 6, 30), D(2025, 1, 1)), [], ["ML0101"], [])
    holding = (2, "DRC", "EORE", (D(2024, 12, 1), D(2025, 7, 31)), [], ["ML0101"], [])
    from_march = (3, "MAG", "EORE", (D(2025, 3, 1), D(2025, 12, 31)), [], ["ML0102"], [])
    assert _clusters(duplicates(planted_connection([inverted, holding]))) == [[1, 2]]
    in_one_unit = (3, "MAG", "EORE", (D(2025, 3, 1), D(2025, 12, 31)), [], ["ML0101"], [])
    assert _clusters(duplicates(planted_connection([inverted, in_one_unit]))) == []
    meets_3 = (4, "NRC", "EORE", (D(2025, 9, 1), D(2025, 9, 30)), [], ["ML0101"], [])
    assert _clusters(duplicates(planted_connection([inverted, in_one_unit, meets_3]))) == [[3, 4]]
    assert _clusters(duplicates(planted_connection([inverted, from_march]))) == []


def test_the_pairs_of_one_organisation_are_all_counted_and_the_first_listed(monkeypatch):
    planted = [(i, "HI", "EORE", (D(2025, 1, 1), D(2025, 6, 30)), [], ["ML0101"], [])
               for i in range(1, 5)]  # fmt: skip
    answer = duplicates(planted_connection(planted))
    assert answer["double_reporting_count"] == 6 == len(answer["double_reporting"])
    monkeypatch.setattr(module, "DOUBLE_REPORTING_KEPT", 2)
    answer = duplicates(planted_connection(planted))
    assert answer["double_reporting_count"] == 6
    assert [pair["records"] for pair in answer["double_reporting"]] == [
        ["X-1", "X-2"],
        ["X-1", "X-3"],
    ]


def _random_records(seed: int, count: int) -> list:
    draw = random.Random(seed)
    pcodes = [unit[0] for unit in UNITS]
    records = []
    for i in range(1, count + 1):
        start = D(2025, 1, 1) + datetime.timedelta(days=draw.randrange(0, 360))
        end = start + datetime.timedelta(days=draw.randrange(-90, 120))  # some inverted
        period = (None if draw.random() < 0.1 else start, None if draw.random() < 0.1 else end)
        places = draw.sample(pcodes, draw.choice([1, 1, 1, 2]))
        points = [(-4.2 + draw.uniform(-0.05, 0.05), 14.5 + draw.uniform(-0.05, 0.05))
                  ] if draw.random() < 0.2 else []  # fmt: skip
        groups = draw.choice([[], ["girls"], ["women"], ["girls", "boys"]])
        records.append((i, draw.choice(["HI", "DRC", "MAG"]), draw.choice(["EORE", "CLR"]),
                        period, groups, places, points))  # fmt: skip
    return records


@pytest.mark.parametrize("seed", range(6))
def test_random_records_agree_with_every_pair_listed(seed):
    tables = planted_tables(_random_records(seed, 80))
    con = connect()
    register_tables(con, tables)
    # The baseline reads every table whole, as the engine holds them.
    whole = {name: con.execute(f"SELECT * FROM {name}").to_arrow_table() for name in TABLES}
    baseline = _baseline()
    compare = _load_compare()
    ours = duplicates(con, DuplicateOptions())
    assert ours["clusters"], "the records overlap"
    assert compare(ours, baseline.duplicates(baseline.frames(whole))) == []


def _sparse_records(seed: int, count: int) -> list:
    # Short periods over two years: many small clusters, some with a period within
    # another (scored 1 without their pairs), some without (their pairs scored).
    draw = random.Random(seed)
    pcodes = ["ML0101", "ML010101", "ML0102", "ML0201"]  # one nested in another
    records = []
    for i in range(1, count + 1):
        start = D(2024, 1, 1) + datetime.timedelta(days=draw.randrange(0, 720))
        end = start + datetime.timedelta(days=draw.randrange(-5, 60))
        period = (None if draw.random() < 0.01 else start, None if draw.random() < 0.01 else end)
        groups = draw.choice([[], ["girls"], ["women"], ["girls", "boys"]])
        records.append((i, draw.choice(["HI", "DRC", "MAG"]), draw.choice(["EORE", "CLR"]),
                        period, groups, [draw.choice(pcodes)], []))  # fmt: skip
    return records


@pytest.mark.parametrize("seed", range(4))
def test_clusters_scored_without_their_pairs_agree_with_every_pair_listed(seed):
    con = connect()
    register_tables(con, planted_tables(_sparse_records(seed, 150)))
    whole = {name: con.execute(f"SELECT * FROM {name}").to_arrow_table() for name in TABLES}
    ours = duplicates(con, DuplicateOptions())
    (perfect,) = con.execute("SELECT count(*) FROM perfect").fetchone()
    assert 0 < perfect < len(ours["clusters"])  # both ways are taken
    baseline = _baseline()
    assert _load_compare()(ours, baseline.duplicates(baseline.frames(whole))) == []


def _load_compare():
    spec = importlib.util.spec_from_file_location("analysis_bench", BENCH / "analysis.py")
    loaded = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("analysis_bench", loaded)
    spec.loader.exec_module(loaded)
    return loaded.same
