"""Deterministic scenarios for the analysis: activities, hazards, incidents, needs and
funding spread over a country's admin units, drawn with a seeded generator (the same
seed gives the same tables, to the byte). For benchmarks and tests; no Django.

The units come from the caller (the real COD-AB for the benchmark, `grid_units` for
tests): a table in the shape of `engine.TABLES["units"]` plus the centroid of each unit
(`lon`, `lat`). Settlements are optional (the real ones for the benchmark).
"""

import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kafo.analysis.engine import TABLES
from kafo.vocabulary import PEOPLE

# Sectors and the activity types each runs (mine action first).
SECTORS = {
    "PRO-MIN": ("EORE", "NTS", "TS", "CLR", "EOD", "VA"),
    "PRO": ("PRO-MON", "PRO-PSS", "PRO-LEG"),
    "PRO-CPN": ("CPN-CFS", "CPN-FTR"),
    "FSC": ("FSC-DIST", "FSC-CASH", "FSC-LIV"),
    "HEA": ("HEA-CLIN", "HEA-MOB", "HEA-VAC"),
    "EDU": ("EDU-TLS", "EDU-KIT"),
    "WSH": ("WSH-WAT", "WSH-HYG", "WSH-SAN"),
    "SHL": ("SHL-NFI", "SHL-EMR"),
}
ORGANISATIONS = 60
FIRST_DAY = datetime.date(2015, 1, 1)
LAST_DAY = datetime.date(2026, 6, 30)
HAZARD_STATUSES = np.array(["open", "worked_on", "closed"])
HAZARD_CLASSES = np.array(["indication", "sha", "cha", "eod_spot_task", "ammunition_storage"])


def grid_units(regions: int = 3, cercles: int = 3, communes: int = 4) -> pa.Table:
    """A square country of regions, cercles and communes (p-codes XX01, XX0101, XX010101),
    with centroids half a degree apart, an area and a population: for tests."""
    rows = []
    side = int(np.ceil(np.sqrt(regions * cercles * communes)))
    index = 0
    for r in range(1, regions + 1):
        region = f"XX{r:02d}"
        rows.append((region, f"Region {r}", 1, None, 0.0, 0, 0.0, 0.0))
        for c in range(1, cercles + 1):
            cercle = f"{region}{c:02d}"
            rows.append((cercle, f"Cercle {r}.{c}", 2, region, 0.0, 0, 0.0, 0.0))
            for m in range(1, communes + 1):
                lon, lat = -5 + 0.5 * (index % side), 12 + 0.5 * (index // side)
                rows.append((f"{cercle}{m:02d}", f"Commune {r}.{c}.{m}", 3, cercle, 2500.0,
                             10_000 + 1_000 * (index % 7), lon, lat))  # fmt: skip
                index += 1
    table = pa.Table.from_pylist(
        [dict(zip(["pcode", "name", "level", "parent", "area_km2", "population", "lon", "lat"],
                  row, strict=True)) for row in rows],
        schema=pa.schema({**TABLES["units"], "lon": pa.float64(), "lat": pa.float64()}),
    )  # fmt: skip
    return roll_up(table)


def roll_up(units: pa.Table) -> pa.Table:
    """Fill the area, population and centroid of each unit above the finest level from the
    units under it (sums; the centroid: the mean of its children's)."""
    pcode = units["pcode"].to_numpy(zero_copy_only=False)
    parent = units["parent"].to_numpy(zero_copy_only=False)
    level = units["level"].to_numpy()
    area = units["area_km2"].to_numpy(zero_copy_only=False).astype(float)
    people = units["population"].to_numpy(zero_copy_only=False).astype(float)
    lon = units["lon"].to_numpy(zero_copy_only=False).astype(float)
    lat = units["lat"].to_numpy(zero_copy_only=False).astype(float)
    position = {code: i for i, code in enumerate(pcode)}
    for current in sorted(set(level.tolist()), reverse=True)[:-1]:
        children = np.flatnonzero(level == current)
        parents = np.array([position[p] for p in parent[children]])
        parent_rows = np.unique(parents)
        for values in (area, people):
            values[parent_rows] = 0
            np.add.at(values, parents, np.nan_to_num(values[children]))
        counts = np.bincount(parents, minlength=len(pcode))[parent_rows]
        for values in (lon, lat):
            sums = np.zeros(len(pcode))
            np.add.at(sums, parents, values[children])
            values[parent_rows] = sums[parent_rows] / counts
    return (
        units.set_column(units.schema.get_field_index("area_km2"), "area_km2", pa.array(area))
        .set_column(units.schema.get_field_index("population"), "population",
                    pa.array(people.round().astype(np.int64)))
        .set_column(units.schema.get_field_index("lon"), "lon", pa.array(lon))
        .set_column(units.schema.get_field_index("lat"), "lat", pa.array(lat))
    )  # fmt: skip


def _days(rng: np.random.Generator, size: int) -> np.ndarray:
    span = (LAST_DAY - FIRST_DAY).days
    return np.datetime64(FIRST_DAY) + rng.integers(0, span, size).astype("timedelta64[D]")


def _jitter(rng, lon, lat, km: float):
    """Points within about `km` of (lon, lat)."""
    degrees = km / 111.0
    return (lon + rng.uniform(-degrees, degrees, len(lon)),
            lat + rng.uniform(-degrees, degrees, len(lat)))  # fmt: skip


def generate(
    units: pa.Table,
    activities: int,
    hazards: int,
    incidents: int,
    settlements: pa.Table | None = None,
    seed: int = 2026,
) -> dict[str, pa.Table]:
    """Every table the engine reads, for `activities` activities (85 % located in a
    commune, some in two, 10 % only in a cercle, 5 % only in a region; a third with a
    point), `hazards` hazards and `incidents` incidents in the communes, needs for two
    years, funding for half the activities and access difficulties for a third of the
    communes."""
    rng = np.random.default_rng(seed)
    level = units["level"].to_numpy()
    finest = level.max()
    pcode = units["pcode"].to_numpy(zero_copy_only=False)
    parent = units["parent"].to_numpy(zero_copy_only=False)
    ulon = units["lon"].to_numpy(zero_copy_only=False)
    ulat = units["lat"].to_numpy(zero_copy_only=False)
    communes = np.flatnonzero(level == finest)
    cercles = np.flatnonzero(level == finest - 1)
    regions = np.flatnonzero(level == finest - 2)

    # Activities: organisation, sector and type, period, people.
    ids = np.arange(1, activities + 1, dtype=np.int64)
    sector_names = np.array(list(SECTORS))
    sector = rng.choice(len(SECTORS), activities, p=_weights(len(SECTORS)))
    # The type: one of the sector's, from a flat list of every sector's types.
    flat_types = np.array([t for name in SECTORS for t in SECTORS[name]])
    counts = np.array([len(SECTORS[name]) for name in SECTORS])
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    types = flat_types[offsets[sector] + rng.integers(0, 1 << 30, activities) % counts[sector]]
    organisation = rng.choice(ORGANISATIONS, activities, p=_weights(ORGANISATIONS))
    start = _days(rng, activities)
    end = start + rng.integers(14, 180, activities).astype("timedelta64[D]")
    open_end = rng.random(activities) < 0.05
    unknown_start = rng.random(activities) < 0.01
    targeted = rng.integers(0, 5_000, activities)
    reached = (targeted * rng.uniform(0, 1.2, activities)).astype(np.int64)
    group_mask = rng.random((activities, len(PEOPLE))) < 0.5
    group_mask[rng.random(activities) < 0.2] = False  # groups not given
    # Each combination's text, looked up by its bits (no loop over the activities).
    combos = np.array([",".join(g for j, g in enumerate(PEOPLE) if k >> j & 1)
                       for k in range(1 << len(PEOPLE))])  # fmt: skip
    bits = (group_mask * (1 << np.arange(len(PEOPLE)))).sum(axis=1)
    groups = _drop_empty(pc.split_pattern(pa.array(combos[bits]), ","))
    activity_table = pa.table({
        "id": ids, "source_id": pa.array(np.char.add("SCN-", ids.astype(str))),
        "organisation": pa.array(np.char.add("ORG", organisation.astype(str))),
        "sector": pa.array(sector_names[sector]), "activity_type": pa.array(types),
        "start": pa.array(np.where(unknown_start, np.datetime64("NaT"), start), pa.date32(),
                          from_pandas=True),
        "end": pa.array(np.where(open_end, np.datetime64("NaT"), end), pa.date32(),
                        from_pandas=True),
        "targeted": targeted, "reached": reached, "groups": groups,
    })  # fmt: skip

    # Where: a commune (some a second one nearby in the same cercle), a cercle or a region.
    where = rng.random(activities)
    place = np.where(
        where < 0.85, rng.choice(communes, activities),
        np.where(where < 0.95, rng.choice(cercles, activities), rng.choice(regions, activities)),
    )  # fmt: skip
    second = (where < 0.85) & (rng.random(activities) < 0.1)
    siblings = _sibling(rng, place[second], parent, communes)
    unit_ids = np.concatenate([ids, ids[second]])
    unit_rows = np.concatenate([place, siblings])
    keep = unit_rows >= 0
    activity_units = pa.table({"activity_id": unit_ids[keep],
                               "pcode": pa.array(pcode[unit_rows[keep]])})  # fmt: skip
    pointed = (where < 0.85) & (rng.random(activities) < 0.33)
    plon, plat = _jitter(rng, ulon[place[pointed]], ulat[place[pointed]], 8)
    activity_points = pa.table({"activity_id": ids[pointed], "lon": plon, "lat": plat})

    # One national strategy: 4 pillars of 3 objectives, with budget targets on the pillars.
    objective_rows = []
    for p in range(1, 5):
        objective_rows.append((p, 1, "Stratégie nationale", None, "pillar", f"P{p}",
                               f"Pilier {p}", float(p * 5_000_000)))  # fmt: skip
        for o in range(1, 4):
            objective_rows.append((10 * p + o, 1, "Stratégie nationale", p, "objective",
                                   f"P{p}.{o}", f"Objectif {p}.{o}", None))  # fmt: skip
    objectives = pa.Table.from_pylist(
        [dict(zip(TABLES["objectives"], row, strict=True)) for row in objective_rows],
        schema=pa.schema(TABLES["objectives"]),
    )
    leaf_objectives = np.array([row[0] for row in objective_rows if row[3] is not None])
    tagged = ids[rng.random(activities) < 0.5]
    activity_objectives = pa.table({
        "activity_id": tagged, "objective_id": rng.choice(leaf_objectives, len(tagged)),
        "percentage": rng.choice([50.0, 100.0], len(tagged)),
    })  # fmt: skip
    flows = activities // 2
    flow_ids = np.arange(1, flows + 1, dtype=np.int64)
    transactions = pa.table({
        "id": flow_ids, "type": pa.array(rng.choice(["1", "2", "3", "11"], flows)),
        "provider": pa.array(np.char.add("DONOR", rng.integers(1, 15, flows).astype(str))),
        "receiver": pa.array(np.char.add("ORG", rng.integers(0, ORGANISATIONS, flows).astype(str))),
        "activity_id": rng.choice(ids, flows), "date": pa.array(_days(rng, flows), pa.date32()),
        "amount_usd": rng.integers(1_000, 2_000_000, flows).astype(float),
        "on_budget": rng.random(flows) < 0.3,
        "description": pa.array(np.char.add("Flow ", flow_ids.astype(str))),
    })  # fmt: skip
    tagged_flows = flow_ids[rng.random(flows) < 0.6]
    transaction_objectives = pa.table({
        "transaction_id": tagged_flows,
        "objective_id": rng.choice(leaf_objectives, len(tagged_flows)),
        "percentage": rng.choice([40.0, 100.0], len(tagged_flows)),
    })  # fmt: skip

    # Mine action records in the communes, more in the centre and north (higher codes).
    weight = np.linspace(1, 3, len(communes))
    weight /= weight.sum()
    hazard_place = rng.choice(communes, hazards, p=weight)
    hlon, hlat = _jitter(rng, ulon[hazard_place], ulat[hazard_place], 10)
    hazard_refs = np.char.add("HAZ-", np.arange(1, hazards + 1).astype(str))
    hazard_table = pa.table({
        "reference": pa.array(hazard_refs), "pcode": pa.array(pcode[hazard_place]),
        "lon": hlon, "lat": hlat,
        "status": pa.array(HAZARD_STATUSES[rng.choice(3, hazards, p=[0.6, 0.1, 0.3])]),
        "remaining_m2": rng.integers(0, 200_000, hazards).astype(float),
        "blockages": rng.choice(4, hazards, p=[0.7, 0.15, 0.1, 0.05]).astype(np.int64),
    })  # fmt: skip
    incident_place = rng.choice(communes, incidents, p=weight)
    ilon, ilat = _jitter(rng, ulon[incident_place], ulat[incident_place], 10)
    incident_table = pa.table({
        "reference": pa.array(np.char.add("ACC-", np.arange(1, incidents + 1).astype(str))),
        "date": pa.array(_days(rng, incidents), pa.date32()),
        "pcode": pa.array(pcode[incident_place]), "lon": ilon, "lat": ilat,
        "casualties": rng.choice(6, incidents, p=[0.1, 0.4, 0.2, 0.15, 0.1, 0.05]).astype(np.int64),
    })  # fmt: skip

    # People in need per commune, sector and year; a fifth of the communes have none.
    people = units["population"].to_numpy(zero_copy_only=False).astype(float)
    with_need = communes[rng.random(len(communes)) < 0.8]
    keys = np.array(np.meshgrid(np.arange(len(with_need)), np.arange(len(SECTORS)),
                                [2024, 2025], indexing="ij")).reshape(3, -1)  # fmt: skip
    unit_rows = with_need[keys[0]]
    in_need = np.nan_to_num(people[unit_rows]) * rng.uniform(0.05, 0.6, keys.shape[1])
    needs = pa.table({
        "pcode": pa.array(pcode[unit_rows]), "sector": pa.array(sector_names[keys[1]]),
        "year": pa.array(keys[2], pa.int32()), "in_need": in_need.round().astype(np.int64),
        "population": np.nan_to_num(people[unit_rows]).astype(np.int64),
    })  # fmt: skip
    hard = communes[rng.random(len(communes)) < 0.33]
    access = pa.table({"pcode": pa.array(pcode[hard]),
                       "difficulty": rng.choice([0.5, 1.0], len(hard))})  # fmt: skip
    # Drawn last, so that the other tables stay as they were before it was added.
    hazard_table = hazard_table.append_column(
        "classification",
        pa.array(HAZARD_CLASSES[rng.choice(len(HAZARD_CLASSES), hazards,
                                           p=[0.15, 0.35, 0.35, 0.1, 0.05])]),
    )  # fmt: skip

    tables = {
        "units": units.select(list(TABLES["units"])),
        "activities": activity_table,
        "activity_units": activity_units,
        "activity_points": activity_points,
        "objectives": objectives,
        "activity_objectives": activity_objectives,
        "transactions": transactions,
        "transaction_objectives": transaction_objectives,
        "hazards": hazard_table,
        "incidents": incident_table,
        "needs": needs,
        "access": access,
    }
    if settlements is not None:
        tables["settlements"] = settlements
    return {name: table.cast(pa.schema(TABLES[name])) for name, table in tables.items()}


def _weights(count: int) -> np.ndarray:
    """A long tail: a few large organisations or sectors, many small ones."""
    weights = 1 / np.arange(1, count + 1) ** 0.8
    return weights / weights.sum()


def _drop_empty(lists: pa.ListArray) -> pa.ListArray:
    """Lists with their empty strings taken out (split "" gives [""])."""
    values = pc.list_flatten(lists)
    parents = pc.list_parent_indices(lists)
    keep = pc.not_equal(values, "")
    values, parents = values.filter(keep), parents.filter(keep).to_numpy()
    offsets = np.concatenate([[0], np.cumsum(np.bincount(parents, minlength=len(lists)))])
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values)


def _sibling(rng, rows, parent, communes) -> np.ndarray:
    """Another commune of the same cercle for each commune row (-1 when it is alone)."""
    by_parent: dict[str, np.ndarray] = {}
    for row in communes:
        by_parent.setdefault(parent[row], []).append(row)
    by_parent = {key: np.array(value) for key, value in by_parent.items()}
    result = np.full(len(rows), -1)
    picks = rng.integers(0, 1 << 30, len(rows))
    for key, members in by_parent.items():
        if len(members) < 2:
            continue
        mine = np.flatnonzero(parent[rows] == key)
        chosen = members[picks[mine] % len(members)]
        same = chosen == rows[mine]
        chosen[same] = members[(picks[mine][same] + 1) % len(members)]
        result[mine] = chosen
    return result
