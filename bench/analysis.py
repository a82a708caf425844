"""The whole coordination analysis (gaps, duplicates, equity, alignment, priorities) on
generated scenarios, against a plain pandas/GeoPandas implementation of the same
definitions (bench/analysis_baseline.py), side by side in one run, results compared.

The whole analysis computes the gaps once and derives the equity from them, on both
sides. Goals (issue #6): the whole analysis at 1M activities in at most 10 s on 2 cores, and
at least 20× faster than the baseline.

Scenarios (bench/analysis_scenario.py, seeded): N activities with 100k hazards and 100k
incidents over the 701 communes of the real COD-AB 2015 and its 18,769 settlements
(../shared/data), or a generated grid country when that folder is absent.

Each side (the engine, the baseline, each part of the floor) runs `--repeat` times in the
same process and its fastest run counts, the same for all: a single run measures also the
process warming up (memory first touched, code first imported), differently for each side.
The floor's parts are measured between the engine's runs, so that a slow spell of the
machine falls on both.

Run: `.venv/bin/python bench/analysis.py [--activities 10000 100000 1000000]
[--baseline-up-to N] [--repeat 3]` (the baseline is slow: by default it runs up to 100k).
"""

import argparse
import datetime
import gc
import math
import os
import pickle
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyogrio.raw
import shapely
from pyproj import Geod

sys.path.insert(0, str(Path(__file__).resolve().parent))

import analysis_baseline as baseline
from analysis_scenario import generate, grid_units, roll_up

from kafo.analysis.alignment import AlignmentOptions, alignment
from kafo.analysis.duplicates import PLACES_MEET, DuplicateOptions, duplicates, prepare
from kafo.analysis.engine import TABLES, connect, register_tables
from kafo.analysis.equity import equity
from kafo.analysis.gaps import GapOptions, gaps
from kafo.analysis.priorities import PriorityOptions, in_scope, near, priorities

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
COD_AB = SHARED / "mali-cod-ab-2015"
AS_OF = datetime.date(2026, 6, 30)
PERIOD = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


def real_units() -> tuple[pa.Table, pa.Table]:
    """Regions, cercles and communes of the COD-AB 2015 (area from the shapes, a
    generated population per commune) and the real settlements."""
    geod = Geod(ellps="WGS84")
    rng = np.random.default_rng(7)
    columns = {name: [] for name in ("pcode", "name", "level", "parent", "area_km2",
                                     "population", "lon", "lat")}  # fmt: skip
    for level, name in [(1, "adm1_gov_ocha_itos"), (2, "adm2_gov_ocha_itos"), (3, "adm3_gov_ocha")]:
        meta, _, wkb, fields = pyogrio.raw.read(COD_AB / f"mli_admbnda_{name}.shp")
        values = dict(zip(meta["fields"], fields, strict=True))
        shapes = shapely.from_wkb(wkb)
        centroids = shapely.centroid(shapes)
        columns["pcode"] += list(values[f"admin{level}Pcod"])
        columns["name"] += list(values[f"admin{level}Name"])
        columns["level"] += [level] * len(shapes)
        columns["parent"] += list(values[f"admin{level - 1}Pcod"]) if level > 1 else [None] * 9
        columns["area_km2"] += [abs(geod.geometry_area_perimeter(s)[0]) / 1e6 for s in shapes]
        columns["population"] += (
            list(rng.lognormal(9.8, 0.8, len(shapes)).round().astype(int))
            if level == 3 else [0] * len(shapes)
        )  # fmt: skip
        columns["lon"] += list(shapely.get_x(centroids))
        columns["lat"] += list(shapely.get_y(centroids))
    units = pa.table(columns).cast(
        pa.schema({**TABLES["units"], "lon": pa.float64(), "lat": pa.float64()})
    )
    con = connect()
    settlements = con.execute(
        f"""SELECT pcode, admin3Pcod AS unit, longitude::DOUBLE AS lon, latitude::DOUBLE AS lat,
                   NULL::BIGINT AS population
            FROM read_csv('{COD_AB / "settlements.csv"}', nullstr = 'NA', header = true)"""
    ).to_arrow_table()
    return roll_up(units), settlements


def fastest(run, tables: dict[str, pa.Table], repeat: int) -> tuple[dict, dict[str, float]]:
    """The results and timings of the fastest of `repeat` runs of `run(tables)` (by their
    total); the results of every run must be the same."""
    best = None
    for _ in range(repeat):
        results, timings = run(tables)
        if best is not None and same(results, best[0]):
            raise AssertionError("two runs of the same analysis gave different results")
        if best is None or timings["total"] < best[1]["total"]:
            best = results, timings
        del results
        gc.collect()
    assert best is not None
    return best


def engine_run(tables: dict[str, pa.Table], threads: int) -> tuple[dict, dict[str, float]]:
    """Every analysis on DuckDB; the results and the seconds of each step."""
    timings = {}
    started = time.perf_counter()
    con = connect(threads=threads)
    register_tables(con, tables)
    timings["load"] = time.perf_counter() - started
    options = GapOptions(level=3, start=PERIOD[0], end=PERIOD[1])
    results = {}
    for name, run in [
        ("gaps", lambda: gaps(con, options)),
        ("duplicates", lambda: duplicates(con, DuplicateOptions(start=PERIOD[0], end=PERIOD[1]))),
        ("equity", lambda: equity(con, options, gaps_result=results["gaps"])),
        ("alignment", lambda: alignment(con, AlignmentOptions(framework_id=1))),
        ("priorities", lambda: priorities(con, PriorityOptions(as_of=AS_OF, level=3))),
    ]:
        step = time.perf_counter()
        results[name] = run()
        timings[name] = time.perf_counter() - step
    timings["total"] = time.perf_counter() - started
    return results, timings


def baseline_run(tables: dict[str, pa.Table]) -> tuple[dict, dict[str, float]]:
    """The same analyses in plain pandas/GeoPandas."""
    timings = {}
    started = time.perf_counter()
    frames = baseline.frames(tables)
    timings["load"] = time.perf_counter() - started
    results = {}
    for name, run in [
        ("gaps", lambda: baseline.gaps(frames, level=3, start=PERIOD[0], end=PERIOD[1])),
        ("duplicates", lambda: baseline.duplicates(frames, start=PERIOD[0], end=PERIOD[1])),
        (
            "equity",
            lambda: baseline.equity(
                frames, level=3, start=PERIOD[0], end=PERIOD[1], gaps_result=results["gaps"]
            ),
        ),
        ("alignment", lambda: baseline.alignment(frames, framework_id=1)),
        ("priorities", lambda: baseline.priorities(frames, as_of=AS_OF, level=3)),
    ]:
        step = time.perf_counter()
        results[name] = run()
        timings[name] = time.perf_counter() - step
    timings["total"] = time.perf_counter() - started
    return results, timings


def engine_and_floor(
    tables: dict[str, pa.Table], threads: int, repeat: int
) -> tuple[dict, dict[str, float], dict[str, float]]:
    """The engine's fastest of `repeat` runs (its results and timings, as `fastest`) and,
    measured after each of its runs, the floor: seconds of four parts any exact engine of
    these definitions has to do here, each measured alone and the fastest way found: read
    the tables (Arrow in place), find the records whose places and periods meet (the join
    only, counted, nothing written), count the incidents and settlements within the radius
    of each open hazard (the priorities' two spatial joins) and make the result's Python
    objects (unpickled, in C, with the cycle collector off). Each part's fastest run."""
    best, runs = None, []
    for _ in range(repeat):
        results, timings = engine_run(tables, threads)
        if best is not None and same(results, best[0]):
            raise AssertionError("two runs of the same analysis gave different results")
        runs.append(_floor_parts(tables, results, threads))
        if best is None or timings["total"] < best[1]["total"]:
            best = results, timings
        del results
        gc.collect()
    assert best is not None
    return *best, {part: min(run[part] for run in runs) for part in runs[0]}


def _floor_parts(tables: dict[str, pa.Table], results: dict, threads: int) -> dict[str, float]:
    parts = {}
    con = connect(threads=threads)
    started = time.perf_counter()  # the cheapest load: DuckDB reading Arrow in place
    for name, table in tables.items():
        con.register(f"{name}_in_place", table)
    parts["load"] = time.perf_counter() - started
    register_tables(con, tables)
    prepare(con, DuplicateOptions(start=PERIOD[0], end=PERIOD[1]))
    started = time.perf_counter()
    con.execute(f"SELECT count(*) {PLACES_MEET}").fetchone()
    parts["pairs"] = time.perf_counter() - started
    options = PriorityOptions(as_of=AS_OF, level=3)
    in_scope(con, options)
    started = time.perf_counter()
    near(con, "incidents", options.radius_km, "o.casualties")
    near(con, "settlements", options.radius_km, "1")
    parts["near"] = time.perf_counter() - started
    made = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    gc.disable()
    try:
        started = time.perf_counter()
        pickle.loads(made)
        parts["objects"] = time.perf_counter() - started
    finally:
        gc.enable()
    return parts


def same(a, b, path="") -> list[str]:
    """Where two results differ (floats equal to 1e-9 relative; the rest exactly)."""
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None or not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
            return [f"{path}: {a!r} ≠ {b!r}"]
        return []
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return [f"{path}: keys {sorted(set(a) ^ set(b))}"]
        return [d for k in a for d in same(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items ≠ {len(b)}"]
        return [
            d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in same(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [f"{path}: {a!r} ≠ {b!r}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--hazards", type=int, default=100_000)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--baseline-up-to", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side (the fastest)")
    args = parser.parse_args()
    if COD_AB.exists():
        units, settlements = real_units()
        where = "real COD-AB 2015: 701 communes, 18,769 settlements"
    else:
        units, settlements = grid_units(9, 6, 13), None
        where = "generated grid (../shared/data absent): 702 communes, no settlements"
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"DuckDB threads {args.threads}; {where}; fastest of {args.repeat} runs")  # fmt: skip
    print(f"{'activities':>10} {'step':>11} {'engine s':>9} {'baseline s':>10} {'ratio':>7}")
    for count in args.activities:
        started = time.perf_counter()
        tables = generate(units, count, args.hazards, args.incidents, settlements)
        generated = time.perf_counter() - started
        reference = reference_timings = None
        if count <= args.baseline_up_to:
            results, timings, parts = engine_and_floor(tables, args.threads, args.repeat)
            reference, reference_timings = fastest(baseline_run, tables, args.repeat)
        else:
            results, timings = fastest(lambda t: engine_run(t, args.threads), tables, args.repeat)
        for step in timings:
            ours = timings[step]
            theirs = reference_timings[step] if reference_timings else None
            print(
                f"{count:>10,} {step:>11} {ours:>9.2f} "
                + (f"{theirs:>10.2f} {theirs / ours:>6.1f}×" if theirs else f"{'—':>10} {'—':>7}")
            )
        sizes = {name: len(results[name].get("units") or results[name].get("clusters") or [])
                 for name in ("gaps", "duplicates")}  # fmt: skip
        print(
            f"{count:>10,} generated in {generated:.1f} s; {sizes['gaps']} gap rows, "
            f"{sizes['duplicates']} duplicate clusters, "
            f"{len(results['priorities']['hazards'])} hazards ranked"
        )
        if reference is not None:
            budget = reference_timings["total"] / 20
            print(
                f"{count:>10,} floor: load {parts['load']:.2f} s + pairs met (join only) "
                f"{parts['pairs']:.2f} s + near hazards {parts['near']:.2f} s + result objects "
                f"{parts['objects']:.2f} s = "
                f"{sum(parts.values()):.2f} s, against {budget:.2f} s for 20× "
                f"(the engine's other work: {timings['total'] - sum(parts.values()):.2f} s); "
                f"the engine takes {timings['total'] / sum(parts.values()):.2f}× the floor"
            )
            differences = same(results, reference)
            print(f"{count:>10,} identical results: {'yes' if not differences else 'NO'}")
            for line in differences[:20]:
                print("   ", line)
        # The next size starts from a process holding none of this one's tables or results.
        del tables, results, reference
        gc.collect()


if __name__ == "__main__":
    main()
