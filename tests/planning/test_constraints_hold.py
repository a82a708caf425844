"""Property: whatever the instance, no team is ever assigned beyond its capacity (one task
per period) or outside its availability, the task's accessibility or its reach."""

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kafo.planning.engine import TABLES, PlanOptions, distance_km, plan

KINDS = ("EORE", "CLR")


@st.composite
def instances(draw):
    periods = draw(st.integers(1, 4))
    n_tasks, n_teams = draw(st.integers(1, 8)), draw(st.integers(1, 5))
    tasks = [{"id": f"T{i}", "pcode": f"P{i}", "region": draw(st.sampled_from(["R1", "R2"])),
              "task_type": draw(st.sampled_from(KINDS)),
              "lon": draw(st.floats(-5, 5)), "lat": draw(st.floats(10, 20)),
              "need": draw(st.floats(0, 5000)), "priority": draw(st.floats(0, 1)),
              "teams": draw(st.integers(1, 2))} for i in range(n_tasks)]  # fmt: skip
    teams = [{"id": f"E{i}", "organisation": draw(st.sampled_from(["HI", "DRC", "MAG"])),
              "task_type": draw(st.sampled_from(KINDS)), "lon": draw(st.floats(-5, 5)),
              "lat": draw(st.floats(10, 20)), "capacity": draw(st.floats(1, 3000)),
              "max_km": draw(st.floats(10, 800)), "cost": 0.0} for i in range(n_teams)]  # fmt: skip
    availability = [{"resource": t["id"], "period": p} for t in teams for p in range(periods)
                    if draw(st.booleans())]  # fmt: skip
    blocked = [{"task": t["id"], "period": p} for t in tasks for p in range(periods)
               if draw(st.integers(0, 3)) == 0]  # fmt: skip
    return periods, {
        name: pa.Table.from_pylist(rows, schema=pa.schema(TABLES[name]))
        for name, rows in (("tasks", tasks), ("resources", teams),
                           ("availability", availability), ("blocked", blocked))
    }  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.sampled_from(["highs", "greedy"]))
def test_no_team_beyond_capacity_availability_access_or_reach(instance, solver):
    periods, tables = instance
    options = PlanOptions(periods=periods, solver=solver, time_limit=5)
    result = plan(tables, options)
    tasks = {t["id"]: t for t in tables["tasks"].to_pylist()}
    teams = {t["id"]: t for t in tables["resources"].to_pylist()}
    calendar = tables["availability"].to_pylist()
    listed = {row["resource"] for row in calendar}
    available = {(row["resource"], row["period"]) for row in calendar}
    blocked = {(row["task"], row["period"]) for row in tables["blocked"].to_pylist()}
    seen, per_task = set(), {}
    for a in result["assignments"]:
        team, task, period = teams[a["resource"]], tasks[a["task"]], a["period"]
        assert (a["resource"], period) not in seen  # one task per team and period
        seen.add((a["resource"], period))
        per_task[(a["task"], period)] = per_task.get((a["task"], period), 0) + 1
        assert per_task[(a["task"], period)] <= task["teams"]
        assert 0 <= period < periods
        assert a["resource"] not in listed or (a["resource"], period) in available
        assert (a["task"], period) not in blocked
        assert team["task_type"] == task["task_type"]
        km = options.road_factor * distance_km(team["lon"], team["lat"], task["lon"], task["lat"])
        assert km <= team["max_km"] + 1e-6
        assert 0 <= a["output"] <= team["capacity"] + 0.01
    for task_id, task in tasks.items():
        given_ = sum(a["output"] for a in result["assignments"] if a["task"] == task_id)
        assert given_ <= task["need"] + 0.01 * len(result["assignments"])
