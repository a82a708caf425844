"""Priorities: ranked hazards and units with each criterion's contribution."""

import datetime

import pytest

from kafo.analysis.engine import connect, register_tables
from kafo.analysis.priorities import PriorityOptions, priorities
from tests.analysis.tables import table

D = datetime.date


@pytest.fixture
def con():
    units = [("ML", "Mali", 0, None, 1.0, 20_000_000), ("ML05", "Mopti", 1, "ML", 1.0, 2_000_000),
             ("ML0501", "Mopti cercle", 2, "ML05", 1.0, 400_000),
             ("ML0502", "Bandiagara", 2, "ML05", 1.0, 100_000)]  # fmt: skip
    hazards = [
        (
            "HAZ-1",
            "ML0501",
            -4.20,
            14.50,
            "open",
            10_000.0,
            2,
            "cha",
        ),  # near casualties and villages
        ("HAZ-2", "ML0502", -3.60, 14.35, "open", 5_000.0, 0, "sha"),  # remote
        ("HAZ-3", "ML0501", -4.20, 14.50, "closed", 0.0, 3, "cha"),  # released: not ranked
    ]
    incidents = [
        ("ACC-1", D(2025, 10, 1), "ML0501", -4.21, 14.51, 3),  # 1.5 km from HAZ-1
        ("ACC-2", D(2023, 1, 1), "ML0502", -3.60, 14.35, 9),  # too old
    ]
    settlements = [("S1", "ML0501", -4.22, 14.50, None), ("S2", "ML0501", -4.18, 14.52, None),
                   ("S3", "ML0502", -3.61, 14.36, None)]  # fmt: skip
    connection = connect()
    register_tables(connection, {
        "units": table("units", units), "hazards": table("hazards", hazards),
        "incidents": table("incidents", incidents),
        "settlements": table("settlements", settlements),
        "access": table("access", [("ML0502", 0.8)]),
    })  # fmt: skip
    return connection


def test_hazards_are_ranked_with_contributions(con):
    result = priorities(con, PriorityOptions(as_of=D(2025, 11, 1)))
    first, second = result["hazards"]
    assert [first["reference"], second["reference"]] == ["HAZ-1", "HAZ-2"]
    assert first["values"] == {"casualties": 3, "population": 400_000, "settlements": 2,
                               "blockages": 2, "access": 1.0}  # fmt: skip
    assert first["contributions"]["casualties"] == 0.35 and first["score"] == 1.0
    assert second["values"]["casualties"] == 0  # the 2023 accident is out of the window
    assert second["values"]["access"] == pytest.approx(0.2)
    assert second["score"] == pytest.approx(sum(second["contributions"].values()), abs=1e-3)


def test_weights_are_editable_and_units_ranked(con):
    only_access = {"casualties": 0, "population": 0, "settlements": 0, "blockages": 0,
                   "access": 1}  # fmt: skip
    result = priorities(con, PriorityOptions(weights=only_access, as_of=D(2025, 11, 1)))
    assert result["hazards"][0]["reference"] == "HAZ-1"  # fully accessible
    units = {u["pcode"]: u for u in result["units"]}
    assert units["ML0501"]["values"]["settlements"] == 2 and units["ML0501"]["rank"] == 1
    with pytest.raises(ValueError):
        priorities(con, PriorityOptions(weights={"luck": 1}))


def test_the_authoritys_weights_name_every_criterion_of_the_engine():
    from kafo.analysis.priorities import DEFAULT_WEIGHTS
    from kafo.mineaction.models import PriorityWeights

    assert tuple(DEFAULT_WEIGHTS) == PriorityWeights.CRITERIA
