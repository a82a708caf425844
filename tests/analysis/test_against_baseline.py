"""The engine and a plain pandas/GeoPandas implementation of the same definitions
(bench/analysis_baseline.py) give the same results on generated scenarios: a second
opinion on every definition, and the benchmark's baseline kept honest."""

import datetime
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from bench.analysis_scenario import generate, grid_units
from kafo.analysis.alignment import AlignmentOptions, alignment
from kafo.analysis.duplicates import DuplicateOptions, duplicates
from kafo.analysis.engine import TABLES, connect, register_tables
from kafo.analysis.equity import equity
from kafo.analysis.gaps import GapOptions, gaps
from kafo.analysis.priorities import PriorityOptions, priorities

BENCH = Path(__file__).resolve().parents[2] / "bench"
START, END, AS_OF = (
    datetime.date(2025, 1, 1),
    datetime.date(2025, 12, 31),
    datetime.date(2026, 6, 30),
)


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


baseline = _load("analysis_baseline")
compare = _load("analysis").same


def _settlements(units: pa.Table, per_unit: int = 4) -> pa.Table:
    rng = np.random.default_rng(1)
    communes = [u for u in units.to_pylist() if u["level"] == 3]
    rows = [
        {"pcode": f"{u['pcode']}{i:03d}", "unit": u["pcode"],
         "lon": u["lon"] + rng.uniform(-0.1, 0.1), "lat": u["lat"] + rng.uniform(-0.1, 0.1),
         "population": None if i % 2 else int(rng.integers(100, 2000))}
        for u in communes for i in range(per_unit)
    ]  # fmt: skip
    return pa.Table.from_pylist(rows, schema=pa.schema(TABLES["settlements"]))


@pytest.fixture(scope="module", params=[(3_000, 1), (8_000, 2)], ids=["3k", "8k"])
def scenario(request):
    units = grid_units(3, 3, 4)
    count, seed = request.param
    tables = generate(units, count, 400, 400, _settlements(units), seed=seed)
    con = connect()
    register_tables(con, tables)
    return con, baseline.frames(tables)


@pytest.mark.parametrize("level", [2, 3])
def test_gaps_and_equity_agree(scenario, level):
    con, frames = scenario
    options = GapOptions(level=level, start=START, end=END)
    assert compare(gaps(con, options), baseline.gaps(frames, level, start=START, end=END)) == []
    assert compare(equity(con, options), baseline.equity(frames, level, start=START, end=END)) == []


def test_duplicates_agree(scenario):
    con, frames = scenario
    ours = duplicates(con, DuplicateOptions(start=START, end=END))
    assert ours["clusters"], "the scenario plants overlaps"
    assert compare(ours, baseline.duplicates(frames, start=START, end=END)) == []


def test_alignment_agrees(scenario):
    con, frames = scenario
    ours = alignment(con, AlignmentOptions(framework_id=1))
    assert compare(ours, baseline.alignment(frames, framework_id=1)) == []


def test_priorities_agree(scenario):
    con, frames = scenario
    ours = priorities(con, PriorityOptions(as_of=AS_OF, level=3))
    assert any(h["values"]["settlements"] for h in ours["hazards"])
    assert compare(ours, baseline.priorities(frames, as_of=AS_OF, level=3)) == []
