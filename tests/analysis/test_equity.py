"""Equity: shares, concentration indices, under-served units and the headline."""

import datetime

import pytest

from kafo.analysis.equity import equity, gini, theil
from kafo.analysis.gaps import GapOptions
from tests.analysis.test_gaps import con  # noqa: F401 - the planted scenario

D = datetime.date


def test_gini_and_theil_of_known_values():
    assert gini([1, 1, 1, 1]) == pytest.approx(0)
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)
    assert theil([2, 2, 2]) == pytest.approx(0)
    assert theil([0, 0, 3]) == pytest.approx(__import__("math").log(3))
    assert gini([]) is None and theil([0, 0]) is None


def test_shares_underserved_and_headline(con):  # noqa: F811
    result = equity(con, GapOptions(level=2, start=D(2025, 1, 1), end=D(2025, 12, 31)))
    by_unit = {u["pcode"]: u for u in result["units"]}
    # Need 1,000 + 500 + 200; reached 800 + 0 + 100.
    assert by_unit["ML0101"]["need_share"] == pytest.approx(1000 / 1700, abs=1e-4)
    assert by_unit["ML0101"]["response_share"] == pytest.approx(800 / 900, abs=1e-4)
    assert result["underserved"][0]["pcode"] == "ML0102"  # need, nobody there
    # Presence in Bafoulabé (200 km²) and Banamba (500 km²) of 1,000 km² of cercles.
    assert result["territory_covered"] == pytest.approx(0.7)
    assert result["people_in_need_covered"] == pytest.approx(1200 / 1700, abs=1e-4)
    assert result["gini"] == pytest.approx(gini([0.8, 0.0, 0.5]), abs=1e-4)


def test_gaps_computed_once_give_the_same_equity(con):  # noqa: F811
    from kafo.analysis.gaps import gaps

    options = GapOptions(level=2, start=D(2025, 1, 1), end=D(2025, 12, 31))
    assert equity(con, options, gaps_result=gaps(con, options)) == equity(con, options)
