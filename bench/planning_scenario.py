"""Deterministic planning instances: tasks in every commune, teams of several
organisations based across the country, their calendars, access restrictions and their
own plans (the status quo). For benchmarks and tests; no Django."""

import numpy as np
import pyarrow as pa

from kafo.planning.engine import TABLES

# Task types with a team's output in a period (month) and the need in a commune.
KINDS = {
    "EORE": {"capacity": (2_000, 4_000), "need": (500, 20_000)},  # people
    "NTS": {"capacity": (8, 15), "need": (1, 30)},  # surveys
    "CLR": {"capacity": (10_000, 30_000), "need": (5_000, 200_000)},  # m²
}
ORGANISATIONS = ("HI", "DRC", "MAG", "FSD", "DDG", "AMSS", "APH", "GARDL", "UNMAS", "ONG-K")


def instance(communes: pa.Table, teams: int, periods: int = 12, seed: int = 8) -> dict:
    """Tables for `plan`: one task per commune and kind where there is need, `teams`
    teams, a calendar with two months off per team, a tenth of the communes closed some
    months, and each organisation's own plan: its teams on the tasks nearest their base."""
    rng = np.random.default_rng(seed)
    pcode = communes["pcode"].to_numpy(zero_copy_only=False)
    region = communes["region"].to_numpy(zero_copy_only=False)
    lon, lat = communes["lon"].to_numpy(), communes["lat"].to_numpy()
    task_rows = []
    for kind, figures in KINDS.items():
        where = np.flatnonzero(rng.random(len(pcode)) < (0.9 if kind == "EORE" else 0.4))
        low, high = figures["need"]
        task_rows.append({
            "id": np.char.add(f"{kind}-", pcode[where].astype(str)), "pcode": pcode[where],
            "region": region[where], "task_type": np.full(len(where), kind),
            "lon": lon[where], "lat": lat[where],
            "need": rng.uniform(low, high, len(where)).round(),
            "priority": rng.beta(1.2, 4, len(where)).round(4),
            "teams": np.where(rng.random(len(where)) < 0.05, 2, 1),
        })  # fmt: skip
    tasks = pa.table({key: np.concatenate([part[key] for part in task_rows])
                      for key in TABLES["tasks"]}).cast(pa.schema(TABLES["tasks"]))  # fmt: skip

    kinds = np.array(list(KINDS))
    kind = kinds[rng.choice(len(kinds), teams, p=[0.5, 0.2, 0.3])]
    base = rng.choice(len(pcode), teams)
    capacity = np.array([rng.uniform(*KINDS[k]["capacity"]) for k in kind]).round()
    ids = np.char.add("TEAM-", np.arange(1, teams + 1).astype(str))
    organisation = np.array(ORGANISATIONS)[rng.choice(len(ORGANISATIONS), teams)]
    resources = pa.table({
        "id": ids, "organisation": organisation, "task_type": kind,
        "lon": lon[base], "lat": lat[base], "capacity": capacity,
        "max_km": rng.choice([250.0, 400.0, 600.0], teams),
        "cost": rng.uniform(8_000, 20_000, teams).round(),
    }).cast(pa.schema(TABLES["resources"]))  # fmt: skip
    off = rng.integers(0, periods, (teams, 2))
    calendar = [(ids[t], p) for t in range(teams) for p in range(periods) if p not in off[t]]
    availability = pa.table({"resource": [r for r, _ in calendar],
                             "period": [p for _, p in calendar]})  # fmt: skip
    task_ids = tasks["id"].to_numpy(zero_copy_only=False)
    task_pcode = tasks["pcode"].to_numpy(zero_copy_only=False)
    closed = set(rng.choice(pcode, max(len(pcode) // 10, 1), replace=False).tolist())
    blocked_rows = [(t, p) for t, code in zip(task_ids, task_pcode, strict=True) if code in closed
                    for p in range(periods) if (hash(code) + p) % 3 == 0]  # fmt: skip
    blocked = pa.table(
        {"task": [t for t, _ in blocked_rows], "period": [p for _, p in blocked_rows]}
    )
    # Status quo: each team works, on its own, the tasks of its kind nearest its base.
    task_kind = tasks["task_type"].to_numpy(zero_copy_only=False)
    task_lon, task_lat = tasks["lon"].to_numpy(), tasks["lat"].to_numpy()
    quo = []
    for t in range(teams):
        same = np.flatnonzero(task_kind == kind[t])
        near = same[np.argsort((task_lon[same] - lon[base[t]]) ** 2
                               + (task_lat[same] - lat[base[t]]) ** 2)[:3]]  # fmt: skip
        for p in range(periods):
            if p not in off[t] and len(near):
                quo.append((ids[t], task_ids[near[p % len(near)]], p))
    status_quo = pa.table({"resource": [r for r, _, _ in quo], "task": [t for _, t, _ in quo],
                           "period": [p for _, _, p in quo]})  # fmt: skip
    budgets = pa.table({"organisation": list(ORGANISATIONS),
                        "amount": [float(periods * 15_000 * teams / len(ORGANISATIONS))]
                        * len(ORGANISATIONS)})  # fmt: skip
    return {
        "tasks": tasks, "resources": resources,
        "availability": availability.cast(pa.schema(TABLES["availability"])),
        "blocked": blocked.cast(pa.schema(TABLES["blocked"])),
        "status_quo": status_quo.cast(pa.schema(TABLES["status_quo"])),
        "budgets": budgets.cast(pa.schema(TABLES["budgets"])),
    }  # fmt: skip


def grid_communes(count: int = 120) -> pa.Table:
    """Communes on a grid with four regions: for tests."""
    side = int(np.ceil(np.sqrt(count)))
    index = np.arange(count)
    return pa.table({
        "pcode": [f"XX{i:04d}" for i in index],
        "region": [f"R{(i % side) * 2 // side}{(i // side) * 2 // side}" for i in index],
        "lon": -6 + 0.3 * (index % side), "lat": 12 + 0.3 * (index // side),
    })  # fmt: skip
