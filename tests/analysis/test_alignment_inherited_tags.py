"""A flow not tagged to any objective serves what its activity serves (IATI's
disbursements are reported against an activity, not against a strategy)."""

import datetime

from kafo.analysis.alignment import AlignmentOptions, alignment
from tests.analysis.tables import connection_with

D = datetime.date


def _connection(flows, flow_shares):
    objectives = [
        (1, 7, "Stratégie", None, "pillar", "P1", "Dépollution", None),
        (2, 7, "Stratégie", None, "pillar", "P2", "Assistance", None),
        (9, 8, "Autre plan", None, "pillar", "X", "Autre", None),
    ]
    activities = [(i, f"A{i}", "HI", "PRO-MIN", "EORE", D(2025, 1, 1), None, 0, 0, [])
                  for i in (1, 2)]  # fmt: skip
    # Activity 1 serves P1 (60 %) and P2 (40 %); activity 2 only the other plan.
    shares = [(1, 1, 60.0), (1, 2, 40.0), (2, 9, 100.0)]
    return connection_with(
        activities=activities,
        objectives=objectives,
        activity_objectives=shares,
        transactions=flows,
        transaction_objectives=flow_shares,
    )


def test_an_untagged_disbursement_takes_its_activitys_shares():
    flows = [(10, "3", "ECHO", "HI", 1, D(2025, 5, 1), 1000.0, False, "")]
    result = alignment(_connection(flows, []), AlignmentOptions(framework_id=7))
    p1, p2 = result["pillars"]
    assert (p1["disbursed_usd"], p2["disbursed_usd"]) == (600, 400)
    assert result["funding"]["disbursed"]["aligned_usd"] == 1000
    assert result["unaligned"] == []


def test_a_flows_own_tags_win_over_its_activitys():
    flows = [(10, "3", "ECHO", "HI", 1, D(2025, 5, 1), 1000.0, False, "")]
    result = alignment(_connection(flows, [(10, 2, 100.0)]), AlignmentOptions(framework_id=7))
    p1, p2 = result["pillars"]
    assert (p1["disbursed_usd"], p2["disbursed_usd"]) == (0, 1000)


def test_an_activity_of_another_plan_leaves_the_flow_unaligned_here():
    flows = [(11, "3", "AFD", "HI", 2, D(2025, 5, 1), 500.0, False, ""),
             (12, "3", "AFD", "HI", None, D(2025, 5, 1), 300.0, False, "")]  # fmt: skip
    result = alignment(_connection(flows, []), AlignmentOptions(framework_id=7))
    assert result["funding"]["disbursed"]["aligned_usd"] == 0
    assert sorted(flow["id"] for flow in result["unaligned"]) == [11, 12]
