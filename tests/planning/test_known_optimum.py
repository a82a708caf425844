"""Small instances whose optimum is known by hand."""

import pytest

from kafo.planning.engine import PlanningError, PlanOptions, plan
from tests.planning.conftest import task, team


def _pairs(result):
    return sorted((a["resource"], a["task"], a["period"]) for a in result["assignments"])


def test_the_best_tasks_are_taken_one_team_each(table):
    tasks = table("tasks", [task("A", priority=1.0), task("B", lon=0.5, priority=0.5),
                            task("C", lon=1.0, priority=0.2)])  # fmt: skip
    teams = table("resources", [team("T1"), team("T2", org="DRC", lon=0.2)])
    result = plan({"tasks": tasks, "resources": teams}, PlanOptions(periods=1, equity_floor=0))
    assert result["status"] == "optimal" and result["gap"] == 0
    assert {a["task"] for a in result["assignments"]} == {"A", "B"}  # never two teams on A
    assert result["objective"] == pytest.approx(1.5, abs=0.01)  # less a little travel


def test_the_equity_floor_sends_a_team_to_the_forgotten_region(table):
    # Two team-months; R1 needs 2 of them, R2 half of one. At 0.75 of its fair part, R2
    # should get 0.3: worth more than B's small priority.
    tasks = table("tasks", [task("A", priority=1.0), task("B", lon=0.5, priority=0.25),
                            task("C", region="R2", lon=3.0, need=500, priority=0.2)])  # fmt: skip
    teams = table("resources", [team("T1"), team("T2", org="DRC", lon=0.2)])
    fair = PlanOptions(periods=1, equity_floor=0.75)
    result = plan({"tasks": tasks, "resources": teams}, fair)
    assert {a["task"] for a in result["assignments"]} == {"A", "C"}
    unfair = plan({"tasks": tasks, "resources": teams}, PlanOptions(periods=1, equity_floor=0))
    assert {a["task"] for a in unfair["assignments"]} == {"A", "B"}
    greedy = plan({"tasks": tasks, "resources": teams},
                  PlanOptions(periods=1, equity_floor=0.75, solver="greedy"))  # fmt: skip
    assert greedy["status"] == "greedy" and greedy["objective"] < result["objective"]
    assert greedy["equity_shortfall"] == {"R2": 0.3}


def test_a_large_need_takes_several_periods_and_the_output_stops_at_the_need(table):
    tasks = table("tasks", [task("A", need=2500)])
    teams = table("resources", [team("T1")])
    result = plan({"tasks": tasks, "resources": teams}, PlanOptions(periods=4))
    assert [a["output"] for a in result["assignments"]] == [1000, 1000, 500]


def test_committed_work_lowers_the_need(table):
    tasks = table("tasks", [task("A", need=1500)])
    fixed = table("fixed", [{"task": "A", "period": 0, "output": 1000}])
    result = plan({"tasks": tasks, "resources": table("resources", [team("T1")]),
                   "fixed": fixed}, PlanOptions(periods=3))  # fmt: skip
    assert sum(a["output"] for a in result["assignments"]) == 500


def test_budgets_bound_an_organisation(table):
    tasks = table("tasks", [task("A"), task("B")])
    teams = table("resources", [team("T1", cost=100), team("T2", cost=100)])
    budgets = table("budgets", [{"organisation": "HI", "amount": 150}])
    result = plan({"tasks": tasks, "resources": teams, "budgets": budgets},
                  PlanOptions(periods=1))  # fmt: skip
    assert len(result["assignments"]) == 1


def test_a_decline_is_replanned_keeping_what_was_accepted(table):
    tasks = table("tasks", [task("A"), task("B", priority=0.5), task("C", priority=0.4)])
    teams = table("resources", [team("T1"), team("T2", org="DRC")])
    first = plan({"tasks": tasks, "resources": teams}, PlanOptions(periods=1, equity_floor=0))
    assert _pairs(first) in ([("T1", "A", 0), ("T2", "B", 0)], [("T1", "B", 0), ("T2", "A", 0)])
    by_team = {a["resource"]: a for a in first["assignments"]}
    accepted = table("accepted", [{"resource": "T1", "task": by_team["T1"]["task"], "period": 0}])
    declined = table("declined", [{"resource": "T2", "task": by_team["T2"]["task"], "period": 0}])
    again = plan({"tasks": tasks, "resources": teams, "accepted": accepted,
                  "declined": declined}, PlanOptions(periods=1, equity_floor=0))  # fmt: skip
    kept = {(a["resource"], a["task"]) for a in again["assignments"]}
    assert ("T1", by_team["T1"]["task"]) in kept
    assert ("T2", by_team["T2"]["task"]) not in kept and ("T2", "C") in kept


def test_each_assignment_gives_its_reason(table):
    tasks = table("tasks", [task("A", priority=1.0), task("B", priority=0.5)])
    result = plan(
        {"tasks": tasks, "resources": table("resources", [team("T1")])},
        PlanOptions(periods=1, start=__import__("datetime").date(2026, 12, 1)),
    )
    (assignment,) = result["assignments"]
    assert assignment["month"] == "2026-12"
    assert assignment["reason"]["priority"] == 1.0 and assignment["reason"]["need"] == 1000
    assert [alt["task"] for alt in assignment["reason"]["alternatives"]] == ["B"]


def test_the_dividend_against_each_organisations_own_plans(table):
    tasks = table("tasks", [task("A"), task("B", region="R2", lon=1.0)])
    teams = table("resources", [team("T1"), team("T2", org="DRC")])
    # Both organisations planned on their own to go to A in the same month.
    quo = table("status_quo", [{"resource": "T1", "task": "A", "period": 0},
                               {"resource": "T2", "task": "A", "period": 0}])  # fmt: skip
    result = plan({"tasks": tasks, "resources": teams, "status_quo": quo}, PlanOptions(periods=1))
    dividend = result["dividend"]
    assert dividend["duplications_removed"] == 1
    assert dividend["units_newly_covered"] == 1  # B
    assert dividend["need_covered"] == pytest.approx(1.0)
    assert dividend["equity_before"] == 0.5 and dividend["equity_after"] == 0.0


@pytest.mark.parametrize(
    ("rows", "message"),
    [([task("A", need=-5)], "tasks row 1 (A): need must be a number of 0 or more"),
     ([task("A"), task("A")], "the id A appears twice")],
)  # fmt: skip
def test_bad_input_says_where_and_why(table, rows, message):
    with pytest.raises(PlanningError, match=message.replace("(", r"\(").replace(")", r"\)")):
        plan({"tasks": table("tasks", rows), "resources": table("resources", [team("T1")])})


@pytest.mark.parametrize("solver", ["highs", "greedy"])
def test_a_donor_budget_bounds_the_teams_it_funds(table, solver):
    tasks = table("tasks", [task("A"), task("B"), task("C")])
    teams = table("resources", [team("T1", org="HI", cost=100), team("T2", org="DRC", cost=100),
                                team("T3", org="MAG", cost=100)])  # fmt: skip
    # ECHO funds HI and DRC and can pay one team-month; MAG pays its own.
    budgets = table("budgets", [{"organisation": "ECHO", "amount": 150}])
    funders = table("funders", [{"donor": "ECHO", "organisation": "HI"},
                                {"donor": "ECHO", "organisation": "DRC"}])  # fmt: skip
    result = plan({"tasks": tasks, "resources": teams, "budgets": budgets, "funders": funders},
                  PlanOptions(periods=1, solver=solver))  # fmt: skip
    organisations = sorted(a["organisation"] for a in result["assignments"])
    assert len(organisations) == 2 and "MAG" in organisations
