"""Approximate geography of Mali for the demo, generated from facts.

The real region and cercle names and p-codes of the 2015 COD-AB, with the
coordinates of each cercle's chef-lieu (and of a few other towns of the large
northern cercles). Each cercle is the union of the Voronoi cells of its towns,
clipped to an approximate national outline; each region is the union of its
cercles. Boundaries are therefore approximate, and the UI says so.
"""

import numpy as np
import shapely

from kafo.geo.boundaries import BoundarySet, LevelTable
from kafo.geo.lookup import finest_units
from kafo.geo.models import Settlement

DEMO_VERSION = "demo-2015-approx"
DEMO_SOURCE = "Kafo demo: approximate boundaries from chef-lieu coordinates (not COD-AB)"

# Approximate outline of Mali (lon, lat), clockwise from the Algeria–Mauritania tripoint.
MALI_OUTLINE = [
    (-4.83, 25.00), (1.17, 21.12), (1.80, 20.30), (3.15, 19.70), (3.25, 19.05),
    (4.25, 19.15), (4.25, 16.85), (3.70, 15.65), (3.60, 15.40), (1.30, 15.28),
    (0.95, 14.98), (0.24, 14.95), (-0.47, 15.08), (-1.00, 14.97), (-1.98, 14.50),
    (-2.00, 14.19), (-2.84, 14.00), (-3.44, 13.17), (-3.96, 13.38), (-4.30, 13.10),
    (-4.40, 12.70), (-5.20, 11.40), (-5.40, 10.95), (-5.52, 10.43), (-5.85, 10.25),
    (-6.20, 10.20), (-6.95, 10.15), (-7.50, 10.40), (-7.98, 10.16), (-8.25, 10.12),
    (-8.30, 10.95), (-8.55, 11.65), (-8.80, 12.00), (-9.30, 12.40), (-9.70, 12.05),
    (-10.17, 11.85), (-10.67, 11.90), (-10.95, 12.20), (-11.37, 12.40), (-11.52, 12.98),
    (-11.43, 13.38), (-11.83, 13.95), (-12.15, 14.55), (-12.24, 14.76), (-11.60, 15.50),
    (-10.80, 15.35), (-9.35, 15.55), (-5.50, 15.50), (-5.33, 16.33), (-5.60, 16.50),
    (-6.00, 19.00), (-6.50, 21.30),
]  # fmt: skip

# Region p-code, name, RGPH 2009 census population (INSTAT).
REGIONS = [
    ("ML01", "Kayes", 1_996_812),
    ("ML02", "Koulikoro", 2_418_305),
    ("ML03", "Sikasso", 2_625_919),
    ("ML04", "Ségou", 2_336_255),
    ("ML05", "Mopti", 2_037_330),
    ("ML06", "Tombouctou", 674_793),
    ("ML07", "Gao", 544_120),
    ("ML08", "Kidal", 67_638),
    ("ML09", "Bamako", 1_810_366),
]
REGION_POPULATION_SOURCE = "RGPH 2009 (INSTAT), approximate"
CERCLE_POPULATION_SOURCE = "RGPH 2009 (INSTAT): the region's figure shared equally by its cercles"

# Cercle p-code, name, and towns as (lon, lat): the chef-lieu first.
CERCLES = [
    ("ML0101", "Kayes", [(-11.445, 14.447)]),
    ("ML0102", "Bafoulabé", [(-10.832, 13.806)]),
    ("ML0103", "Diéma", [(-9.187, 14.540)]),
    ("ML0104", "Kéniéba", [(-11.236, 12.840)]),
    ("ML0105", "Kita", [(-9.490, 13.035)]),
    ("ML0106", "Nioro", [(-9.590, 15.230)]),
    ("ML0107", "Yélimané", [(-10.572, 15.119)]),
    ("ML0201", "Koulikoro", [(-7.560, 12.863)]),
    ("ML0202", "Banamba", [(-7.448, 13.548)]),
    ("ML0203", "Dioïla", [(-6.793, 12.490)]),
    ("ML0204", "Kangaba", [(-8.416, 11.933)]),
    ("ML0205", "Kati", [(-8.072, 12.744)]),
    ("ML0206", "Kolokani", [(-8.034, 13.573)]),
    ("ML0207", "Nara", [(-7.286, 15.169)]),
    ("ML0301", "Kadiolo", [(-5.762, 10.555)]),
    ("ML0302", "Yorosso", [(-4.776, 12.356)]),
    ("ML0303", "Kolondiéba", [(-6.895, 11.088)]),
    ("ML0304", "Yanfolila", [(-8.150, 11.172)]),
    ("ML0305", "Koutiala", [(-5.464, 12.392)]),
    ("ML0306", "Bougouni", [(-7.483, 11.418)]),
    ("ML0307", "Sikasso", [(-5.667, 11.317)]),
    ("ML0401", "Barouéli", [(-6.837, 13.076)]),
    ("ML0402", "Ségou", [(-6.266, 13.431)]),
    ("ML0403", "Bla", [(-5.760, 12.950)]),
    ("ML0404", "San", [(-4.896, 13.303)]),
    ("ML0405", "Niono", [(-5.993, 14.252), (-5.55, 15.28)]),  # Nampala
    ("ML0406", "Tominian", [(-4.385, 13.285)]),
    ("ML0407", "Macina", [(-5.358, 13.962)]),
    ("ML0501", "Mopti", [(-4.190, 14.493)]),
    ("ML0502", "Bandiagara", [(-3.610, 14.350)]),
    ("ML0503", "Bankass", [(-3.520, 14.075)]),
    ("ML0504", "Youwarou", [(-4.260, 15.370)]),
    ("ML0505", "Djenné", [(-4.555, 13.906)]),
    ("ML0506", "Douentza", [(-2.950, 15.000), (-1.70, 15.28)]),  # Hombori
    ("ML0507", "Koro", [(-3.080, 14.070)]),
    ("ML0508", "Ténenkou", [(-4.918, 14.457)]),
    # Tombouctou: the chef-lieu, Araouane and Taoudenni.
    ("ML0601", "Tombouctou", [(-3.007, 16.773), (-3.53, 18.90), (-3.98, 22.68)]),
    ("ML0602", "Diré", [(-3.390, 16.280)]),
    ("ML0603", "Goundam", [(-3.670, 16.415), (-4.40, 16.53)]),  # Ras El Ma
    ("ML0604", "Gourma-Rharous", [(-1.930, 16.880), (-1.30, 15.82)]),  # Gossi
    ("ML0605", "Niafunké", [(-3.990, 15.932), (-4.91, 15.71)]),  # Léré
    ("ML0701", "Gao", [(-0.044, 16.272)]),
    ("ML0702", "Ansongo", [(0.502, 15.665), (0.72, 15.18)]),  # Ouattagouna
    ("ML0703", "Bourem", [(-0.348, 16.955)]),
    ("ML0704", "Ménaka", [(2.402, 15.918), (3.03, 15.42)]),  # Anderamboukane
    ("ML0801", "Kidal", [(1.408, 18.441), (0.60, 18.05)]),  # Anefis
    ("ML0802", "Tin-Essako", [(2.480, 18.450)]),
    ("ML0803", "Abeïbara", [(1.745, 19.113)]),
    ("ML0804", "Tessalit", [(1.010, 20.200), (0.86, 19.46)]),  # Aguelhok
    ("ML0901", "Bamako", [(-8.003, 12.639)]),
]  # fmt: skip

# Bamako District is small: a disc around the city rather than a Voronoi cell.
BAMAKO_PCODE = "ML0901"
BAMAKO_RADIUS_DEGREES = 0.12


def mali_outline() -> shapely.Polygon:
    return shapely.Polygon(MALI_OUTLINE)


def cercle_geometries() -> np.ndarray:
    """One approximate polygon per cercle, in the order of CERCLES."""
    outline = mali_outline()
    towns = [(pcode, xy) for pcode, _, xys in CERCLES if pcode != BAMAKO_PCODE for xy in xys]
    points = shapely.points([xy for _, xy in towns])
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(points), extend_to=outline)
    )
    # Voronoi cells come in no set order: each town takes the cell that holds it.
    tree = shapely.STRtree(cells)
    town_index, cell_index = tree.query(points, predicate="within")
    cell_of_town = np.empty(len(points), dtype=object)
    cell_of_town[town_index] = cells[cell_index]
    town_pcodes = np.array([pcode for pcode, _ in towns])
    bamako = shapely.buffer(
        shapely.Point(dict((p, x) for p, _, x in CERCLES)[BAMAKO_PCODE][0]),
        BAMAKO_RADIUS_DEGREES,
        quad_segs=8,
    )
    geometries = []
    for pcode, _, _ in CERCLES:
        if pcode == BAMAKO_PCODE:
            geometries.append(bamako)
            continue
        cell = shapely.union_all(cell_of_town[town_pcodes == pcode])
        geometries.append(shapely.difference(shapely.intersection(cell, outline), bamako))
    return shapely.make_valid(np.array(geometries, dtype=object))


def demo_boundary_set() -> tuple[BoundarySet, dict[str, tuple[int, int, str]]]:
    """The demo's country, regions and cercles, and the regions' population."""
    cercles = cercle_geometries()
    cercle_pcodes = np.array([pcode for pcode, _, _ in CERCLES], dtype=object)
    region_pcodes = np.array([pcode for pcode, _, _ in REGIONS], dtype=object)
    regions = np.array(
        [
            shapely.union_all(cercles[np.char.startswith(cercle_pcodes.astype(str), p)])
            for p in region_pcodes
        ],
        dtype=object,
    )
    outline = mali_outline()

    def table(level, pcodes, names, parents, geometries):
        return LevelTable(
            level=level,
            source="demo",
            pcodes=np.asarray(pcodes, dtype=object),
            names=np.asarray(names, dtype=object),
            alt_names=[[] for _ in pcodes],
            parent_pcodes=np.asarray(parents, dtype=object),
            geometries=np.asarray(geometries, dtype=object),
            feature_numbers=np.arange(1, len(pcodes) + 1),
        )

    boundaries = BoundarySet(country_iso2="ML", country_iso3="MLI")
    boundaries.levels = {
        0: table(0, ["ML"], ["Mali"], [""], [outline]),
        1: table(1, region_pcodes, [n for _, n, _ in REGIONS], ["ML"] * len(REGIONS), regions),
        2: table(
            2, cercle_pcodes, [n for _, n, _ in CERCLES], [p[:4] for p in cercle_pcodes], cercles
        ),
    }
    population = {pcode: (people, 2009, REGION_POPULATION_SOURCE) for pcode, _, people in REGIONS}
    population["ML"] = (sum(people for _, _, people in REGIONS), 2009, REGION_POPULATION_SOURCE)
    population.update(cercle_population())
    return boundaries, population


def cercle_population() -> dict[str, tuple[int, int, str]]:
    """Each cercle's population: its region's census figure shared equally (the demo has
    no census by cercle), so that every level carries people and they add up."""
    found = {}
    for region, _, people in REGIONS:
        cercles = [pcode for pcode, _, _ in CERCLES if pcode.startswith(region)]
        share, left = divmod(people, len(cercles))
        for index, pcode in enumerate(cercles):
            found[pcode] = (share + (1 if index < left else 0), 2009, CERCLE_POPULATION_SOURCE)
    return found


def demo_settlements(seed: int = 2009) -> list[dict]:
    """Populated places for the demo: each cercle's towns (real coordinates) and invented
    villages inside the cercle, sharing its population (the town a sixth of it)."""
    rng = np.random.default_rng(seed)
    cercles = cercle_geometries()
    people = cercle_population()
    rows = []
    for (pcode, name, towns), shape in zip(CERCLES, cercles, strict=True):
        total = people[pcode][0]
        villages = int(np.clip(round(total / 15_000), 5, 40))
        points = points_in(shape, villages, rng)
        shares = rng.dirichlet(np.ones(villages)) * (total - total // 6)
        rows.append(
            {
                "pcode": f"{pcode}D000",
                "name": name,
                "longitude": towns[0][0],
                "latitude": towns[0][1],
                "place_class": "town",
                "population": total // 6,
            }
        )
        for number, ((lon, lat), share) in enumerate(zip(points, shares, strict=True), 1):
            rows.append({"pcode": f"{pcode}D{number:03d}",
                         "name": f"Village {number} ({name}, démo)",
                         "longitude": float(lon), "latitude": float(lat),
                         "place_class": "village", "population": int(share)})  # fmt: skip
    return rows


def points_in(polygon, n: int, rng: np.random.Generator) -> np.ndarray:
    """n random points inside a polygon (rejection sampling in its bounding box)."""
    x0, y0, x1, y1 = polygon.bounds
    shapely.prepare(polygon)
    found = np.empty((0, 2))
    while len(found) < n:
        candidates = np.column_stack([rng.uniform(x0, x1, 4 * n), rng.uniform(y0, y1, 4 * n)])
        inside = shapely.contains_xy(polygon, candidates[:, 0], candidates[:, 1])
        found = np.vstack([found, candidates[inside]])
    return np.round(found[:n], 6)


def create_demo_settlements(version) -> int:
    """Write the demo's settlements into a COD version (once), each in its finest unit."""

    if Settlement.objects.filter(cod_version=version).exists():
        return 0
    rows = demo_settlements()
    units = finest_units([r["longitude"] for r in rows], [r["latitude"] for r in rows])
    Settlement.objects.bulk_create(
        Settlement(cod_version=version, admin_unit_id=int(unit) if unit >= 0 else None, **row)
        for row, unit in zip(rows, units, strict=True)
    )
    return len(rows)
