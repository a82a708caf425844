"""Mine action need in the gaps: people near open hazards, recent casualties, remaining
area and blocked services make a unit's need even without a people-in-need figure."""

import datetime

import pytest

from kafo.analysis.engine import connect, register_tables
from kafo.analysis.gaps import GapOptions, gaps
from tests.analysis.tables import table

D = datetime.date


@pytest.fixture
def con():
    units = [("ML", "Mali", 0, None, 1.0, None), ("ML05", "Mopti", 1, "ML", 1.0, None),
             ("ML0501", "Mopti cercle", 2, "ML05", 1.0, 9000),
             ("ML0502", "Bandiagara", 2, "ML05", 1.0, 5000),
             ("ML0503", "Djenné", 2, "ML05", 1.0, 100)]  # fmt: skip
    hazards = [("HAZ-1", "ML0501", -4.20, 14.50, "open", 20_000.0, 2, "cha"),
               ("HAZ-2", "ML0502", -3.60, 14.35, "closed", 0.0, 1, "sha")]  # fmt: skip
    incidents = [("ACC-1", D(2025, 10, 1), "ML0502", -3.6, 14.35, 2),
                 ("ACC-2", D(2023, 1, 1), "ML0503", -4.5, 13.9, 5)]  # fmt: skip
    # Two villages near HAZ-1 (one counted, one sharing its unit's 9,000 with two others).
    settlements = [("S1", "ML0501", -4.21, 14.50, 1200), ("S2", "ML0501", -4.19, 14.51, None),
                   ("S3", "ML0501", -5.50, 14.90, None)]  # fmt: skip
    connection = connect()
    register_tables(connection, {
        "units": table("units", units), "hazards": table("hazards", hazards),
        "incidents": table("incidents", incidents),
        "settlements": table("settlements", settlements),
    })  # fmt: skip
    return connection


def test_units_with_mine_action_need_and_no_activity(con):
    result = gaps(con, GapOptions(level=2, end=D(2025, 12, 31)))
    rows = {(row["pcode"], row["sector"]): row for row in result["units"]}
    mopti = rows[("ML0501", "PRO-MIN")]
    assert mopti["mine_action"] == {"people_near_hazards": 1200 + 3000,
                                    "casualties_12_months": 0, "remaining_m2": 20_000,
                                    "blocked_services": 2}  # fmt: skip
    assert (mopti["need"], mopti["class"]) == (None, "no_presence")
    bandiagara = rows[("ML0502", "PRO-MIN")]  # a closed hazard, a recent accident
    assert bandiagara["mine_action"]["casualties_12_months"] == 2
    assert bandiagara["mine_action"]["remaining_m2"] == 0 and bandiagara["class"] == "no_presence"
    assert ("ML0503", "PRO-MIN") not in rows  # its accident is older than 12 months


def test_other_sectors_leave_mine_action_out(con):
    assert gaps(con, GapOptions(level=2, sector="FSC", end=D(2025, 12, 31)))["units"] == []
