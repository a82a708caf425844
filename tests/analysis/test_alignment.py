"""Alignment with a strategy on a planted case."""

import datetime

import pytest

from kafo.analysis.alignment import AlignmentOptions, alignment
from tests.analysis.tables import connection_with

D = datetime.date


@pytest.fixture
def con():
    objectives = [
        (1, 7, "Stratégie", None, "pillar", "P1", "Dépollution", 1000.0),
        (2, 7, "Stratégie", 1, "objective", "P1.1", "Enquêtes", 500.0),
        (3, 7, "Stratégie", None, "pillar", "P2", "Assistance", None),
        (9, 8, "Autre plan", None, "pillar", "X", "Autre", None),
    ]
    activities = [(i, f"A{i}", "HI", "PRO-MIN", "EORE", D(2025, 1, 1), None, 0, 0, [])
                  for i in (1, 2, 3, 4)]  # fmt: skip
    shares = [(1, 2, 100.0), (2, 3, 60.0), (2, 9, 40.0), (3, 9, 100.0)]
    flows = [
        (10, "3", "ECHO", "HI", 1, D(2025, 2, 1), 600.0, True, "a"),
        (11, "3", "AFD", "HI", 2, D(2025, 3, 1), 400.0, False, "b"),
        (12, "2", "ECHO", "HI", None, D(2025, 1, 1), 2000.0, False, "c"),
        (13, "3", "GFFO", "DRC", None, D(2025, 4, 1), 1000.0, False, "unaligned"),
    ]
    flow_shares = [(10, 2, 100.0), (11, 1, 50.0), (11, 3, 50.0), (12, 1, 100.0)]
    return connection_with(
        activities=activities,
        objectives=objectives,
        activity_objectives=shares,
        transactions=flows,
        transaction_objectives=flow_shares,
    )


def test_shares_of_activities_and_funding(con):
    result = alignment(con, AlignmentOptions(framework_id=7))
    assert result["framework"] == {"id": 7, "name": "Stratégie"}
    # Activity 1: 100 %, 2: 60 %, 3 and 4: nothing in this framework.
    assert result["activities"] == {"count": 4, "aligned": 1.6, "aligned_share": 0.4}
    disbursed = result["funding"]["disbursed"]
    assert disbursed["total_usd"] == 2000 and disbursed["aligned_usd"] == 1000
    assert (disbursed["aligned_share"], disbursed["on_budget_share"]) == (0.5, 0.3)
    assert result["funding"]["committed"]["aligned_share"] == 1.0


def test_pillars_against_targets_and_unaligned_funding(con):
    result = alignment(con, AlignmentOptions(framework_id=7))
    p1, p2 = result["pillars"]
    # P1: 600 (objective under it) + 200 (half of 400) disbursed; 2,000 committed.
    assert (p1["code"], p1["disbursed_usd"], p1["committed_usd"]) == ("P1", 800, 2000)
    assert (p1["target_usd"], p1["committed_of_target"]) == (
        1500,
        pytest.approx(2000 / 1500, abs=1e-4),
    )
    assert (p2["disbursed_usd"], p2["target_usd"]) == (200, None)
    assert [flow["id"] for flow in result["unaligned"]] == [13]


def test_an_unknown_framework_is_an_error(con):
    with pytest.raises(ValueError):
        alignment(con, AlignmentOptions(framework_id=99))
