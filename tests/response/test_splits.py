from decimal import Decimal

import pytest

from kafo.response.strategies.splits import check_splits, parse_splits


def test_shares_are_read_in_french_or_english_notation():
    assert parse_splits("P1 ; 60\nP2 40 %\nP3 ; 12,5") == [
        ("P1", Decimal(60)), ("P2", Decimal(40)), ("P3", Decimal("12.5")),
    ]  # fmt: skip


def test_a_malformed_line_names_its_number():
    with pytest.raises(ValueError, match="Ligne 2"):
        parse_splits("P1 ; 60\nP2 ; soixante")


def test_each_framework_sums_to_100():
    shares = [("SNLAM", "P1", Decimal(60)), ("SNLAM", "P2", Decimal(40)),
              ("PRH", "S1", Decimal(100))]  # fmt: skip
    assert check_splits(shares) == []
    short = check_splits([("SNLAM", "P1", Decimal(60)), ("SNLAM", "P2", Decimal(30))])
    assert short == ["Les parts dans « SNLAM » totalisent 90 %, et non 100 %."]


def test_zero_over_100_and_twice_are_refused():
    problems = check_splits(
        [("F", "P1", Decimal(0)), ("F", "P1", Decimal(100)), ("G", "X", Decimal(120))]
    )
    assert any("P1 est donné deux fois" in p for p in problems)
    assert any("P1 : une part est supérieure à 0" in p for p in problems)
    assert any("X : une part" in p for p in problems)
