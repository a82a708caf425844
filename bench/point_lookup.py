"""Point → admin unit lookup speed, against a per-point loop, in one run.

Goal (issue #2): at least 100,000 points per second, at every level.
Uses the real Mali COD-AB (701 communes) from ../shared/data when present, or the
demo's approximate cercles otherwise. Run: `make bench` or
`.venv/bin/python bench/point_lookup.py [--points N]`.
"""

import argparse
import platform
import time
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely

from kafo.geo.lookup import PointLocator

COD_AB = Path(__file__).resolve().parents[2] / "shared" / "data" / "mali-cod-ab-2015"


def real_locator() -> tuple[PointLocator, str]:
    levels, parents, next_id = {}, {}, 1
    ids_by_pcode: dict[str, int] = {}
    for level, name in [(1, "adm1_gov_ocha_itos"), (2, "adm2_gov_ocha_itos"), (3, "adm3_gov_ocha")]:
        meta, _, wkb, fields = pyogrio.raw.read(COD_AB / f"mli_admbnda_{name}.shp")
        columns = dict(zip(meta["fields"], fields, strict=True))
        pcodes = columns[f"admin{level}Pcod"]
        ids = np.arange(next_id, next_id + len(pcodes))
        next_id += len(pcodes)
        ids_by_pcode.update(zip(pcodes, ids, strict=True))
        if level > 1:
            parent_pcodes = columns[f"admin{level - 1}Pcod"]
            parents.update(
                {int(i): int(ids_by_pcode[p]) for i, p in zip(ids, parent_pcodes, strict=True)}
            )
        levels[level] = (shapely.from_wkb(wkb), ids)
    return PointLocator(levels=levels, parents=parents), "real COD-AB 2015 (701 communes)"


def demo_locator() -> tuple[PointLocator, str]:
    from kafo.geo.demo import CERCLES, REGIONS, cercle_geometries

    cercles = cercle_geometries()
    regions = np.array(
        [shapely.union_all(cercles[[c[0].startswith(r[0]) for c in CERCLES]]) for r in REGIONS]
    )
    region_ids = np.arange(1, len(REGIONS) + 1)
    cercle_ids = np.arange(100, 100 + len(CERCLES))
    region_of = {r[0]: i for r, i in zip(REGIONS, region_ids, strict=True)}
    parents = {int(i): int(region_of[c[0][:4]]) for c, i in zip(CERCLES, cercle_ids, strict=True)}
    return (
        PointLocator(levels={1: (regions, region_ids), 2: (cercles, cercle_ids)}, parents=parents),
        "demo approximate geography (50 cercles)",
    )


def per_point_baseline(locator: PointLocator, lon: np.ndarray, lat: np.ndarray) -> list[int]:
    """The obvious way: for each point, ask the finest level's polygons one by one."""
    finest = max(locator.levels)
    geometries, ids = locator.levels[finest]
    shapely.prepare(geometries)
    found = []
    for x, y in zip(lon, lat, strict=True):
        point = shapely.Point(x, y)
        found.append(
            next((int(ids[i]) for i, g in enumerate(geometries) if g.intersects(point)), -1)
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--baseline-points", type=int, default=2_000)
    args = parser.parse_args()

    locator, label = real_locator() if COD_AB.exists() else demo_locator()
    rng = np.random.default_rng(2026)
    # Points inside Mali's bounding box; about half fall inside the country.
    lon = rng.uniform(-12.3, 4.3, args.points)
    lat = rng.uniform(10.1, 25.0, args.points)

    locator.locate(lon[:1000], lat[:1000])  # warm-up
    started = time.perf_counter()
    located = locator.locate(lon, lat)
    seconds = time.perf_counter() - started
    rate = args.points / seconds

    n = args.baseline_points
    started = time.perf_counter()
    baseline = per_point_baseline(locator, lon[:n], lat[:n])
    baseline_rate = n / (time.perf_counter() - started)
    finest = max(locator.levels)
    assert baseline == located[finest][:n].tolist(), "the two methods disagree"

    cpu = platform.processor() or platform.machine()
    verdict = "met" if rate >= 100_000 else "NOT met"
    print(f"machine: {cpu}, Python {platform.python_version()}")
    print(f"boundaries: {label}")
    print(f"vectorised PointLocator: {args.points:,} points, all levels, in {seconds:.2f} s")
    print(f"  = {rate:,.0f} points/s")
    print(
        f"per-point loop baseline: {n:,} points, finest level only = {baseline_rate:,.0f} points/s"
    )
    print(f"ratio: {rate / baseline_rate:,.0f}x faster; goal 100,000 points/s: {verdict}")


if __name__ == "__main__":
    main()
