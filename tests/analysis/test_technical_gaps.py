"""Gaps by activity type (mine action's technical gaps): each type against the need it
answers — risk education where people live near open hazards, victim assistance where
people were hurt, survey, clearance and EOD where hazards of their stage are open."""

import datetime

import pytest

from kafo.analysis.engine import connect, register_tables
from kafo.analysis.gaps import GapOptions, gaps
from tests.analysis.tables import table

D = datetime.date
H1 = (D(2025, 1, 1), D(2025, 12, 31))


@pytest.fixture
def con():
    units = [("ML", "Mali", 0, None, 1.0, None), ("ML05", "Mopti", 1, "ML", 1.0, None),
             ("ML0501", "Mopti cercle", 2, "ML05", 1.0, 9000),
             ("ML0502", "Bandiagara", 2, "ML05", 1.0, 5000),
             ("ML0503", "Djenné", 2, "ML05", 1.0, 100),
             ("ML050301", "Djenné commune", 3, "ML0503", 1.0, 100)]  # fmt: skip
    hazards = [
        ("HAZ-1", "ML0501", -4.20, 14.50, "open", 20_000.0, 2, "cha"),
        ("HAZ-2", "ML0501", -4.25, 14.55, "worked_on", 0.0, 0, "indication"),
        ("HAZ-3", "ML0502", -3.60, 14.35, "closed", 0.0, 1, "sha"),  # released: no need
        ("HAZ-4", "ML050301", -4.50, 13.90, "open", 0.0, 0, "eod_spot_task"),
        ("HAZ-5", "ML0502", -3.70, 14.30, "open", 5_000.0, 0, None),  # unclassified
    ]
    incidents = [
        ("ACC-1", D(2025, 10, 1), "ML0501", -4.2, 14.5, 2),
        ("ACC-2", D(2023, 1, 1), "ML0502", -3.6, 14.35, 5),
    ]  # fmt: skip: too old
    settlements = [("S1", "ML0501", -4.21, 14.50, 1200)]
    # (id, organisation, sector, type, period, reached, place)
    planted = [
        (1, "HI", "PRO-MIN", "EORE", H1, 300, "ML0501"),
        (2, "MAG", "PRO-MIN", "CLR", H1, 0, "ML0501"),
        (3, "DDG", "PRO-MIN", "ADV", H1, 0, "ML0502"),
        (4, "HI", "PRO-MIN", "EOD", H1, 0, "ML050301"),  # nested: present in ML0503
        (5, "HI", "PRO-MIN", "VA", H1, 10, "ML05"),  # only the region: imprecise
        (6, "DRC", "WSH", "", H1, 900, "ML0501"),  # another sector
        (7, "HI", "PRO-MIN", "NTS", (D(2023, 1, 1), D(2023, 6, 30)), 0, "ML0501"),  # over
    ]
    activities = [
        (i, f"X-{i}", org, sector, kind, start, end, reached, reached, ["women"])
        for i, org, sector, kind, (start, end), reached, _place in planted
    ]
    places = [(i, place) for i, *_rest, place in planted]
    connection = connect()
    register_tables(connection, {
        "units": table("units", units), "hazards": table("hazards", hazards),
        "incidents": table("incidents", incidents),
        "settlements": table("settlements", settlements),
        "activities": table("activities", activities),
        "activity_units": table("activity_units", places),
    })  # fmt: skip
    return connection


def test_each_type_against_the_need_it_answers(con):
    result = gaps(con, GapOptions(level=2, start=H1[0], end=H1[1], by="activity_type"))
    rows = {(r["pcode"], r["activity_type"]): r for r in result["units"]}
    assert {key: row["class"] for key, row in rows.items()} == {
        ("ML0501", "EORE"): "below_target",  # 300 of the 1,200 people near HAZ-1
        ("ML0501", "CLR"): "on_track",
        ("ML0501", "NTS"): "no_presence",  # an open indication, the survey ended in 2023
        ("ML0501", "VA"): "no_presence",  # two casualties, no victim assistance
        ("ML0502", "ADV"): "on_track",  # no local need: listed as response
        ("ML0503", "EOD"): "on_track",
    }
    eore = rows[("ML0501", "EORE")]
    assert (eore["need"], eore["reached"], eore["coverage"]) == (1200, 300, 0.25)
    assert eore["sector"] == "PRO-MIN" and eore["organisations"] == ["HI"]
    clearance = rows[("ML0501", "CLR")]
    assert (clearance["need"], clearance["hazards"], clearance["remaining_m2"]) == (None, 1, 20_000)
    assert (rows[("ML0501", "VA")]["need"], rows[("ML0501", "VA")]["coverage"]) == (2, 0.0)
    assert rows[("ML0503", "EOD")]["activities"] == [4]
    assert [a["id"] for a in result["imprecise"]] == [5]


def test_the_sector_view_is_unchanged(con):
    rows = gaps(con, GapOptions(level=2, start=H1[0], end=H1[1]))["units"]
    assert all("activity_type" not in row for row in rows)
    mopti = next(r for r in rows if (r["pcode"], r["sector"]) == ("ML0501", "PRO-MIN"))
    # Mine action is present, so the sector view is on track: the gaps by type show what
    # is missing there (survey, victim assistance).
    assert mopti["mine_action"]["remaining_m2"] == 20_000 and mopti["class"] == "on_track"
    bandiagara = next(r for r in rows if (r["pcode"], r["sector"]) == ("ML0502", "PRO-MIN"))
    assert bandiagara["mine_action"]["remaining_m2"] == 5_000  # the unclassified hazard


def test_activity_types_are_those_of_mine_action(con):
    with pytest.raises(ValueError, match="PRO-MIN"):
        gaps(con, GapOptions(sector="WSH", by="activity_type"))
    with pytest.raises(ValueError, match="sector or activity_type"):
        gaps(con, GapOptions(by="organisation"))
