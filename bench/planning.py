"""Joint planning: HiGHS against the greedy heuristic, at three sizes, side by side.

Goal (issue #8): 701 communes × 200 teams × 12 months solved within 60 s to a gap of 1 %
or better on 2 cores, or the best found by then, said so. Instances come from
bench/planning_scenario.py over the real COD-AB 2015 communes (../shared/data) or a grid.

Run: `.venv/bin/python bench/planning.py [--teams 20 80 200] [--time-limit 60]`.
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyogrio.raw
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planning_scenario import grid_communes, instance

from kafo.planning.engine import PlanOptions, plan

COD_AB = Path(__file__).resolve().parents[2] / "shared" / "data" / "mali-cod-ab-2015"


def communes() -> tuple[pa.Table, str]:
    if not COD_AB.exists():
        return grid_communes(701), "generated grid of 701 communes"
    meta, _, wkb, fields = pyogrio.raw.read(COD_AB / "mli_admbnda_adm3_gov_ocha.shp")
    values = dict(zip(meta["fields"], fields, strict=True))
    centres = shapely.centroid(shapely.from_wkb(wkb))
    return pa.table({
        "pcode": values["admin3Pcod"], "region": values["admin1Pcod"],
        "lon": shapely.get_x(centres), "lat": shapely.get_y(centres),
    }), "real COD-AB 2015, 701 communes"  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, nargs="+", default=[20, 80, 200])
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--time-limit", type=float, default=60)
    args = parser.parse_args()
    places, where = communes()
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}; {where}")
    print(f"{'teams':>6} {'tasks':>6} {'candidates':>10} {'solver':>8} {'seconds':>8} "
          f"{'objective':>10} {'gap':>8} {'status':>10} {'vs greedy':>9}")  # fmt: skip
    for teams in args.teams:
        tables = instance(places, teams, args.months)
        results = {}
        for solver in ("greedy", "highs"):
            started = time.perf_counter()
            results[solver] = plan(
                tables,
                PlanOptions(
                    periods=args.months, solver=solver, time_limit=args.time_limit, threads=2
                ),
            )
            seconds = time.perf_counter() - started
            r = results[solver]
            ratio = r["objective"] / results["greedy"]["objective"] if solver == "highs" else 1
            gap = "—" if r["gap"] is None else f"{100 * r['gap']:.2f} %"
            print(f"{teams:>6} {tables['tasks'].num_rows:>6} {r['candidates']:>10,} {solver:>8} "
                  f"{seconds:>8.1f} {r['objective']:>10.2f} {gap:>8} {r['status']:>10} "
                  f"{ratio:>8.3f}×")  # fmt: skip
        d = results["highs"]["dividend"]
        print(
            f"{teams:>6} dividend: +{d['need_covered']:.2f} priority-weighted team-months, "
            f"{d['duplications_removed']} duplications removed, {d['units_newly_covered']} "
            f"communes newly covered, Gini {d['equity_before']} → {d['equity_after']}"
        )
        assert np.isfinite(results["highs"]["objective"])


if __name__ == "__main__":
    main()
