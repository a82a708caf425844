"""The joint plan: which team, of which organisation, does which task, where, in which
period — a mixed-integer programme solved with HiGHS, a greedy heuristic as fallback and
baseline, and the coordination dividend against each organisation's own plans.

Inputs are tables (pyarrow), in the shapes of `TABLES`:
- tasks: work to do in a place (a hazard to survey or clear, a commune to reach with risk
  education), with the output still needed (people, m², surveys), a priority (the
  analysis engine's score) and how many teams may work on it at once;
- resources: the teams offered for sharing, of one task type each, with a base, an output
  per period, the farthest they travel and what a period costs;
- availability (resource, period; none listed: always available), blocked (task, period:
  no access), forbidden (organisation, task: where it will not operate), budgets
  (organisation or donor, amount; funders: donor, organisation — a donor's budget covers
  the teams of the organisations it funds), fixed (task, period, output: ongoing and
  committed work, which lowers the need), status_quo (each organisation's own plans, for
  the dividend), accepted and declined assignments (a re-plan keeps the first and never
  proposes the second).

The programme (x: a resource on a task in a period, binary; y: output credited to a task;
s: a region's shortfall from its equity floor):
  maximise  Σ priority·y/scale − travel_weight·Σ km·x − penalty·Σ s
  s.t.      Σ_t x[r,t,p] ≤ 1                 a team does one task per period
            Σ_r x[r,t,p] ≤ teams[t]          no two teams on a task unless it needs them
            y[t] ≤ Σ capacity[r]·x[r,t,p]    output comes from the teams sent
            y[t] ≤ need[t]                   nothing is credited beyond the need
            Σ cost[r]·x ≤ budget[o]          per organisation
            Σ_{t in g} y[t]/scale + s[g] ≥ floor[g]          equity
where floor[g] is `equity_floor` × the region's fair part of the team-periods available
(in proportion to its need), at most its need, and
`scale` is the typical output of a team of the task's type in a period, so that
people and m² weigh alike, and x exists only where the team is available, the task
accessible, the organisation willing and the distance (great circle × road factor)
within the team's reach. Each team considers its `candidates` most valuable tasks.
"""

import contextlib
import datetime
import math
import time
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
import pyarrow as pa

from kafo.analysis.engine import EARTH_KM
from kafo.analysis.equity import gini

TABLES: dict[str, dict[str, pa.DataType]] = {
    "tasks": {"id": pa.string(), "pcode": pa.string(), "region": pa.string(),
              "task_type": pa.string(), "lon": pa.float64(), "lat": pa.float64(),
              "need": pa.float64(), "priority": pa.float64(), "teams": pa.int64()},
    "resources": {"id": pa.string(), "organisation": pa.string(), "task_type": pa.string(),
                  "lon": pa.float64(), "lat": pa.float64(), "capacity": pa.float64(),
                  "max_km": pa.float64(), "cost": pa.float64()},
    "availability": {"resource": pa.string(), "period": pa.int64()},
    "blocked": {"task": pa.string(), "period": pa.int64()},
    "forbidden": {"organisation": pa.string(), "task": pa.string()},
    "budgets": {"organisation": pa.string(), "amount": pa.float64()},
    # A donor's budget covers the teams of the organisations it funds.
    "funders": {"donor": pa.string(), "organisation": pa.string()},
    "fixed": {"task": pa.string(), "period": pa.int64(), "output": pa.float64()},
    "status_quo": {"resource": pa.string(), "task": pa.string(), "period": pa.int64()},
    "accepted": {"resource": pa.string(), "task": pa.string(), "period": pa.int64()},
    "declined": {"resource": pa.string(), "task": pa.string(), "period": pa.int64()},
}  # fmt: skip


@dataclass(frozen=True)
class PlanOptions:
    periods: int = 12
    time_limit: float = 60.0
    gap: float = 0.01
    road_factor: float = 1.3
    # Each region gets at least this share of its fair part (by need) of the team-periods.
    equity_floor: float = 0.5
    candidates: int = 40
    # Value lost per km travelled, as a share of the largest priority per 100 km.
    travel_weight: float = 0.01
    threads: int | None = None
    start: datetime.date | None = None
    solver: str = "highs"  # or "greedy"


Tables = dict[str, pa.Table]
Columns = dict[str, np.ndarray]
Array = np.ndarray


class PlanningError(ValueError):
    """Input that cannot be planned, with the table and the reason."""


def _columns(tables: dict[str, pa.Table], name: str) -> dict[str, np.ndarray]:
    table = tables.get(name)
    columns = TABLES[name]
    if table is None:
        return {c: np.array([], dtype=object if t == pa.string() else float)
                for c, t in columns.items()}  # fmt: skip
    missing = sorted(set(columns) - set(table.column_names))
    if missing:
        raise PlanningError(f"table {name} lacks {', '.join(missing)}")
    return {c: table[c].to_numpy(zero_copy_only=False) for c in columns}


def distance_km(lon1: Array, lat1: Array, lon2: Array, lat2: Array) -> Array:
    """Great-circle distance in km."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float))
                              for v in (lon1, lat1, lon2, lat2))  # fmt: skip
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return np.asarray(2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1))))


@dataclass
class Candidates:
    """Every feasible (resource, task, period) with its distance and static value."""

    resource: np.ndarray
    task: np.ndarray
    period: np.ndarray
    km: np.ndarray
    value: np.ndarray


def _check(tasks: Columns, resources: Columns) -> None:
    checked = (("tasks", tasks, ("need", "priority", "lon", "lat")),
               ("resources", resources, ("capacity", "max_km", "lon", "lat")))  # fmt: skip
    for name, table, columns in checked:
        for column in columns:
            values = table[column].astype(float)
            bad = np.flatnonzero(~np.isfinite(values) | (values < 0 if column not in
                                                         ("lon", "lat") else False))  # fmt: skip
            if len(bad):
                row = int(bad[0])
                raise PlanningError(
                    f"{name} row {row + 1} ({table['id'][row]}): {column} must be a number"
                    + (" of 0 or more" if column not in ("lon", "lat") else "")
                )
    for name, table in (("tasks", tasks), ("resources", resources)):
        ids, counts = np.unique(table["id"], return_counts=True)
        if (counts > 1).any():
            raise PlanningError(f"{name}: the id {ids[counts > 1][0]} appears twice")


def plan(tables: dict[str, pa.Table], options: PlanOptions = PlanOptions()) -> dict[str, Any]:
    """The joint plan and its dividend (see the module's docstring) as
    `{"assignments", "objective", "gap", "status", "solve_seconds", "dividend", ...}`."""
    started = time.perf_counter()
    tasks, resources = _columns(tables, "tasks"), _columns(tables, "resources")
    _check(tasks, resources)
    task_index = {t: i for i, t in enumerate(tasks["id"])}
    resource_index = {r: i for i, r in enumerate(resources["id"])}

    need = tasks["need"].astype(float).copy()
    fixed = _columns(tables, "fixed")
    for task, output in zip(fixed["task"], fixed["output"], strict=True):
        if task in task_index:
            need[task_index[task]] = max(need[task_index[task]] - float(output), 0.0)
    scale = _scales(tasks, resources)
    priority = tasks["priority"].astype(float)
    top_priority = float(priority.max()) if len(priority) else 1.0
    travel = options.travel_weight * (top_priority or 1.0) / 100.0

    candidates = _candidates(tables, tasks, resources, need, scale, priority, travel, options,
                             task_index, resource_index)  # fmt: skip
    accepted = _triples(tables, "accepted", task_index, resource_index)
    available = _available(tables, resources, resource_index, options.periods)
    floors = _floors(tasks, resources, available, need, scale, options.equity_floor)
    result = None
    status = "greedy"
    gap = None
    if options.solver == "highs" and len(candidates.task):
        result = _solve(candidates, tasks, resources, tables, need, scale, priority, travel,
                        options, accepted, floors)  # fmt: skip
    if result is not None:
        chosen, status, gap = result
    else:
        chosen = _greedy(candidates, tasks, resources, tables, need, scale, accepted)
    assignments, covered = _assignments(chosen, candidates, tasks, resources, need)
    if options.start:
        for assignment in assignments:
            assignment["month"] = _month(options.start, assignment["period"])
    shortfall = _shortfall(tasks, covered, scale, floors)
    penalty = 2 * (top_priority or 1.0)
    objective = float((priority * covered / scale).sum() - travel * candidates.km[chosen].sum()
                      - penalty * shortfall.sum())  # fmt: skip
    dividend = _dividend(tables, tasks, resources, need, scale, priority, covered,
                         task_index, resource_index, options)  # fmt: skip
    return {
        "assignments": assignments,
        "objective": round(objective, 4),
        "gap": None if gap is None else round(gap, 6),
        "status": status,
        "solve_seconds": round(time.perf_counter() - started, 3),
        "candidates": len(candidates.task),
        "equity_shortfall": {
            str(region): round(float(value), 4)
            for region, value in zip(np.unique(tasks["region"].astype(str)), shortfall, strict=True)
            if value > 1e-9
        },
        "dividend": dividend,
    }


def _month(start: datetime.date, period: int) -> str:
    """The month of a period (periods are months from `start`), as YYYY-MM."""
    months = start.year * 12 + start.month - 1 + period
    return f"{months // 12:04d}-{months % 12 + 1:02d}"


def _shortfall(tasks: Columns, covered: Array, scale: Array, floors: Array) -> Array:
    """Per region (sorted): how far the covered need falls under its equity floor."""
    regions, region_of = np.unique(tasks["region"].astype(str), return_inverse=True)
    got = np.zeros(len(regions))
    np.add.at(got, region_of, covered / scale)
    return np.asarray(np.maximum(floors - got, 0))


def _scales(tasks: Columns, resources: Columns) -> Array:
    """Per task: the median output of a team of its type in a period (1 when none)."""
    scale = np.ones(len(tasks["id"]))
    for kind in np.unique(tasks["task_type"]):
        capacities = resources["capacity"][resources["task_type"] == kind].astype(float)
        capacities = capacities[capacities > 0]
        if len(capacities):
            scale[tasks["task_type"] == kind] = float(np.median(capacities))
    return scale


def _available(
    tables: Tables, resources: Columns, resource_index: dict[Any, int], periods: int
) -> Array:
    """(team, period) → available: the listed periods, or every period when none is."""
    available = np.ones((len(resources["id"]), periods), dtype=bool)
    calendar = _columns(tables, "availability")
    listed = {resource_index[r] for r in calendar["resource"] if r in resource_index}
    for r in listed:
        available[r] = False
    for r, p in zip(calendar["resource"], calendar["period"], strict=True):
        if r in resource_index and 0 <= int(p) < periods:
            available[resource_index[r], int(p)] = True
    return available


def _floors(
    tasks: Columns, resources: Columns, available: Array, need: Array, scale: Array, share: float
) -> Array:
    """Per region (sorted): the least output (in team-periods) it should get — `share` of
    its fair part of what the teams can do, in proportion to its need; never more than
    its need."""
    regions, region_of = np.unique(tasks["region"].astype(str), return_inverse=True)
    wanted = np.zeros(len(regions))
    np.add.at(wanted, region_of, need / scale)
    kinds = set(tasks["task_type"].tolist())
    useful = np.array([k in kinds for k in resources["task_type"]], dtype=bool)
    output = float(available[useful].sum(axis=1).sum()) if useful.any() else 0.0
    total = wanted.sum()
    if total <= 0:
        return np.zeros(len(regions))
    return np.asarray(np.minimum(share * output * wanted / total, wanted))


def _triples(
    tables: Tables, name: str, task_index: dict[Any, int], resource_index: dict[Any, int]
) -> set[tuple[int, int, int]]:
    columns = _columns(tables, name)
    return {
        (resource_index[r], task_index[t], int(p))
        for r, t, p in zip(columns["resource"], columns["task"], columns["period"], strict=True)
        if r in resource_index and t in task_index
    }


def _candidates(tables: Tables, tasks: Columns, resources: Columns, need: Array, scale: Array,
                priority: Array, travel: float, options: PlanOptions,
                task_index: dict[Any, int],
                resource_index: dict[Any, int]) -> Candidates:  # fmt: skip
    """Feasible (resource, task, period): the type matches, the task is within reach, the
    organisation is willing, the team available and the task accessible in the period;
    for each team, its most valuable tasks only."""
    periods = options.periods
    available = _available(tables, resources, resource_index, periods)
    open_ = np.ones((len(tasks["id"]), periods), dtype=bool)
    blocked = _columns(tables, "blocked")
    for t, p in zip(blocked["task"], blocked["period"], strict=True):
        if t in task_index and 0 <= int(p) < periods:
            open_[task_index[t], int(p)] = False
    forbidden: dict[str, set[int]] = {}
    refused = _columns(tables, "forbidden")
    for org, t in zip(refused["organisation"], refused["task"], strict=True):
        if t in task_index:
            forbidden.setdefault(org, set()).add(task_index[t])
    declined = _triples(tables, "declined", task_index, resource_index)
    accepted = _triples(tables, "accepted", task_index, resource_index)

    parts = []
    for r in range(len(resources["id"])):
        kind = resources["task_type"][r]
        same = np.flatnonzero((tasks["task_type"] == kind) & (need > 0))
        if not len(same):
            continue
        km = options.road_factor * distance_km(resources["lon"][r], resources["lat"][r],
                                               tasks["lon"][same], tasks["lat"][same])  # fmt: skip
        reach = km <= float(resources["max_km"][r])
        if resources["organisation"][r] in forbidden:
            reach &= ~np.isin(same, list(forbidden[resources["organisation"][r]]))
        same, km = same[reach], km[reach]
        capacity = float(resources["capacity"][r])
        value = priority[same] * np.minimum(capacity, need[same]) / scale[same] - travel * km
        keep = np.argsort(-value, kind="stable")[: options.candidates]
        kept_tasks = set(same[keep].tolist())
        # Accepted assignments stay candidates whatever their rank.
        extra = [t for (rr, t, _p) in accepted if rr == r and t not in kept_tasks]
        if extra:
            extra_positions = [int(np.flatnonzero(same == t)[0]) for t in extra if t in same]
            keep = np.concatenate([keep, np.array(extra_positions, dtype=int)])
        for p in np.flatnonzero(available[r]):
            ok = open_[same[keep], p]
            rows = keep[ok]
            if not len(rows):
                continue
            parts.append((np.full(len(rows), r), same[rows], np.full(len(rows), p), km[rows],
                          value[rows]))  # fmt: skip
    if not parts:
        empty = np.array([], dtype=int)
        return Candidates(empty, empty, empty, np.array([]), np.array([]))
    resource, task, period, km, value = (np.concatenate(c) for c in zip(*parts, strict=True))
    if declined:
        keep = np.array([(int(r), int(t), int(p)) not in declined
                         for r, t, p in zip(resource, task, period, strict=True)])  # fmt: skip
        resource, task, period, km, value = (v[keep] for v in (resource, task, period, km, value))
    return Candidates(resource.astype(int), task.astype(int), period.astype(int), km, value)


def _solve(candidates: Candidates, tasks: Columns, resources: Columns, tables: Tables,
           need: Array, scale: Array, priority: Array, travel: float, options: PlanOptions,
           accepted: set[tuple[int, int, int]], floors: Array,
           ) -> tuple[Array, str, float | None] | None:  # fmt: skip
    """The programme on HiGHS; the chosen candidates, the status and the gap, or None
    when no solution was found in time."""
    n_x = len(candidates.task)
    n_tasks = len(tasks["id"])
    regions, region_of = np.unique(tasks["region"].astype(str), return_inverse=True)
    n_y, n_s = n_tasks, len(regions)
    n_cols = n_x + n_y + n_s
    rows, cols, vals = [], [], []
    lower, upper = [], []

    def add(row_ids: Any, col_ids: Any, values: Any) -> None:
        rows.append(np.asarray(row_ids, dtype=np.int64))
        cols.append(np.asarray(col_ids, dtype=np.int64))
        vals.append(np.asarray(values, dtype=float))

    x = np.arange(n_x)
    next_row = 0
    # A team does one task per period.
    rp, rp_row = np.unique(candidates.resource * options.periods + candidates.period,
                           return_inverse=True)  # fmt: skip
    add(next_row + rp_row, x, np.ones(n_x))
    lower += [-np.inf] * len(rp)
    upper += [1.0] * len(rp)
    next_row += len(rp)
    # Teams per task and period.
    tp, tp_row = np.unique(candidates.task * options.periods + candidates.period,
                           return_inverse=True)  # fmt: skip
    add(next_row + tp_row, x, np.ones(n_x))
    lower += [-np.inf] * len(tp)
    upper += list(np.maximum(tasks["teams"][tp // options.periods].astype(float), 1))
    next_row += len(tp)
    # Output credited: y[t] − Σ capacity·x ≤ 0.
    capacity = resources["capacity"].astype(float)
    add(next_row + candidates.task, x, -capacity[candidates.resource])
    add(next_row + np.arange(n_tasks), n_x + np.arange(n_tasks), np.ones(n_tasks))
    lower += [-np.inf] * n_tasks
    upper += [0.0] * n_tasks
    next_row += n_tasks
    # Budgets, of an organisation or of a donor (over the organisations it funds).
    cost = resources["cost"].astype(float)
    for covered, amount in _budgets(tables):
        mine = np.flatnonzero(np.isin(resources["organisation"][candidates.resource], covered)
                              & (cost[candidates.resource] > 0))  # fmt: skip
        if len(mine):
            add(np.full(len(mine), next_row), mine, cost[candidates.resource[mine]])
            lower.append(-np.inf)
            upper.append(float(amount))
            next_row += 1
    # Equity floor per region, with a penalised shortfall.
    floor = floors
    add(next_row + region_of, n_x + np.arange(n_tasks), 1.0 / scale)
    add(next_row + np.arange(n_s), n_x + n_y + np.arange(n_s), np.ones(n_s))
    lower += list(floor)
    upper += [np.inf] * n_s
    next_row += n_s

    row = np.concatenate(rows)
    col = np.concatenate(cols)
    val = np.concatenate(vals)
    order = np.lexsort((row, col))
    row, col, val = row[order], col[order], val[order]
    start = np.searchsorted(col, np.arange(n_cols + 1))

    penalty = 2 * (float(priority.max()) or 1.0)
    cost_vector = np.concatenate([-travel * candidates.km, priority / scale,
                                  np.full(n_s, -penalty)])  # fmt: skip
    col_lower = np.zeros(n_cols)
    col_upper = np.concatenate([np.ones(n_x), need, np.full(n_s, np.inf)])
    forced = np.array([(int(r), int(t), int(p)) in accepted for r, t, p in
                       zip(candidates.resource, candidates.task, candidates.period,
                           strict=True)], dtype=bool)  # fmt: skip
    col_lower[:n_x][forced] = 1.0

    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, next_row
    lp.col_cost_ = cost_vector
    lp.col_lower_, lp.col_upper_ = col_lower, col_upper
    lp.row_lower_, lp.row_upper_ = np.array(lower, dtype=float), np.array(upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start.astype(np.int32)
    lp.a_matrix_.index_ = row.astype(np.int32)
    lp.a_matrix_.value_ = val
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_x + [
        highspy.HighsVarType.kContinuous] * (n_y + n_s)  # fmt: skip
    lp.sense_ = highspy.ObjSense.kMaximize
    solver = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("time_limit", float(options.time_limit))
    solver.setOptionValue("mip_rel_gap", float(options.gap))
    if options.threads:
        solver.setOptionValue("threads", int(options.threads))
    solver.passModel(lp)
    # The greedy plan as a first incumbent.
    greedy = _greedy(candidates, tasks, resources, tables, need, scale, accepted)
    start_values = np.zeros(n_cols)
    start_values[greedy] = 1.0
    solution = highspy.HighsSolution()
    solution.col_value = list(start_values[:n_x]) + [0.0] * (n_y + n_s)
    solution.value_valid = True
    with contextlib.suppress(Exception):  # an incumbent is a help, never a need
        solver.setSolution(solution)
    solver.run()
    status = solver.getModelStatus()
    info = solver.getInfo()
    if info.primal_solution_status != 2:  # no feasible solution
        return None
    values = np.asarray(solver.getSolution().col_value[:n_x])
    chosen = np.flatnonzero(values > 0.5)
    label = "optimal" if status == highspy.HighsModelStatus.kOptimal else "time_limit"
    return chosen, label, float(info.mip_gap) if math.isfinite(info.mip_gap) else None


def _budgets(tables: Tables) -> list[tuple[list[str], float]]:
    """Each budget with the organisations whose teams it pays: its own, or the ones a
    donor funds."""
    budgets, funders = _columns(tables, "budgets"), _columns(tables, "funders")
    funded: dict[str, list[str]] = {}
    for donor, organisation in zip(funders["donor"], funders["organisation"], strict=True):
        funded.setdefault(donor, []).append(organisation)
    rows = zip(budgets["organisation"], budgets["amount"], strict=True)
    return [([key, *funded.get(key, [])], float(amount)) for key, amount in rows]


def _greedy(
    candidates: Candidates,
    tasks: Columns,
    resources: Columns,
    tables: Tables,
    need: Array,
    scale: Array,
    accepted: set[tuple[int, int, int]],
) -> Array:
    """Take the most valuable candidate first while the team is free, the task has room
    and the need is not met; accepted assignments first of all."""
    capacity = resources["capacity"].astype(float)
    cost = resources["cost"].astype(float)
    budgets = _budgets(tables)
    left_budget = [float(amount) for _covered, amount in budgets]
    remaining = need.copy()
    busy: set[tuple[int, int]] = set()
    teams: dict[tuple[int, int], int] = {}
    forced = np.array([(int(r), int(t), int(p)) in accepted for r, t, p in
                       zip(candidates.resource, candidates.task, candidates.period,
                           strict=True)], dtype=bool)  # fmt: skip
    order = np.lexsort((-candidates.value, ~forced))
    chosen = []
    for i in order:
        r, t, p = int(candidates.resource[i]), int(candidates.task[i]), int(candidates.period[i])
        if (r, p) in busy or teams.get((t, p), 0) >= max(int(tasks["teams"][t]), 1):
            continue
        if remaining[t] <= 0 and not forced[i]:
            continue
        org = resources["organisation"][r]
        paying = [b for b, (covered, _a) in enumerate(budgets) if org in covered] if cost[r] else []
        if any(cost[r] > left_budget[b] + 1e-9 for b in paying):
            continue
        for b in paying:
            left_budget[b] -= cost[r]
        busy.add((r, p))
        teams[(t, p)] = teams.get((t, p), 0) + 1
        remaining[t] -= capacity[r]
        chosen.append(i)
    return np.array(sorted(chosen), dtype=int)


def _assignments(
    chosen: Array, candidates: Candidates, tasks: Columns, resources: Columns, need: Array
) -> tuple[list[dict[str, Any]], Array]:
    """The chosen candidates as assignments, each with its output (the need shared out in
    the order of the periods) and its reason: priority, need, the alternatives it beat."""
    capacity = resources["capacity"].astype(float)
    remaining = need.copy()
    covered = np.zeros(len(need))
    result: list[dict[str, Any]] = []
    order = sorted(chosen, key=lambda i: (candidates.period[i], -capacity[candidates.resource[i]]))
    # The other tasks each team could have done in the same period, best first.
    by_team_period: dict[tuple[int, int], list[int]] = {}
    for i in np.argsort(-candidates.value, kind="stable"):
        key = (int(candidates.resource[i]), int(candidates.period[i]))
        if len(by_team_period.setdefault(key, [])) < 4:
            by_team_period[key].append(int(i))
    for i in order:
        r, t, p = int(candidates.resource[i]), int(candidates.task[i]), int(candidates.period[i])
        output = float(min(capacity[r], max(remaining[t], 0.0)))
        if output <= 0:
            continue  # the need is met: the team stays free
        remaining[t] -= output
        covered[t] += output
        alternatives = [
            {"task": str(tasks["id"][candidates.task[j]]),
             "pcode": str(tasks["pcode"][candidates.task[j]]),
             "value": round(float(candidates.value[j]), 4)}
            for j in by_team_period[(r, p)] if j != i
        ][:3]  # fmt: skip
        result.append({
            "resource": str(resources["id"][r]), "organisation": str(resources["organisation"][r]),
            "task": str(tasks["id"][t]), "task_type": str(tasks["task_type"][t]),
            "pcode": str(tasks["pcode"][t]), "period": p, "output": round(output, 2),
            "km": round(float(candidates.km[i]), 1),
            "reason": {"priority": round(float(tasks["priority"][t]), 4),
                       "need": round(float(need[t]), 2),
                       "value": round(float(candidates.value[i]), 4),
                       "alternatives": alternatives},
        })  # fmt: skip
    # What became of each alternative: another team took it that month, or it was left.
    taken = {(a["task"], a["period"]): a["resource"] for a in result}
    for a in result:
        for alternative in a["reason"]["alternatives"]:
            alternative["taken_by"] = taken.get((alternative["task"], a["period"]))
    result.sort(key=lambda a: (a["period"], a["organisation"], a["resource"]))
    return result, covered


def _dividend(tables: Tables, tasks: Columns, resources: Columns, need: Array, scale: Array,
              priority: Array, covered: Array, task_index: dict[Any, int],
              resource_index: dict[Any, int], options: PlanOptions) -> dict[str, Any]:  # fmt: skip
    """The plan against the status quo (each organisation's own plans)."""
    quo = _columns(tables, "status_quo")
    capacity = resources["capacity"].astype(float)
    quo_covered = np.zeros(len(need))
    duplicated = 0
    teams: dict[tuple[int, int], int] = {}
    for r, t, p in zip(quo["resource"], quo["task"], quo["period"], strict=True):
        if t not in task_index or r not in resource_index:
            continue
        ti, ri = task_index[t], resource_index[r]
        teams[(ti, int(p))] = teams.get((ti, int(p)), 0) + 1
        quo_covered[ti] += capacity[ri]
    for (ti, _p), count in teams.items():
        duplicated += max(count - max(int(tasks["teams"][ti]), 1), 0)
    quo_covered = np.minimum(quo_covered, need)

    def weighted(values: np.ndarray) -> float:
        return float((priority * values / scale).sum())

    def equity(values: np.ndarray) -> float | None:
        regions, region_of = np.unique(tasks["region"].astype(str), return_inverse=True)
        got, wanted = np.zeros(len(regions)), np.zeros(len(regions))
        np.add.at(got, region_of, values / scale)
        np.add.at(wanted, region_of, need / scale)
        shares = [min(g / w, 1.0) for g, w in zip(got, wanted, strict=True) if w > 0]
        value = gini(shares)
        return None if value is None else round(float(value), 4)

    units_before = {tasks["pcode"][t] for t in np.flatnonzero(quo_covered > 0)}
    units_after = {tasks["pcode"][t] for t in np.flatnonzero(covered > 0)}
    return {
        "need_covered": round(weighted(covered) - weighted(quo_covered), 4),
        "need_covered_plan": round(weighted(covered), 4),
        "need_covered_status_quo": round(weighted(quo_covered), 4),
        "duplications_removed": duplicated,
        "units_newly_covered": len(units_after - units_before),
        "equity_before": equity(quo_covered),
        "equity_after": equity(covered),
    }
