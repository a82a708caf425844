"""Amounts in their own currency, converted to USD and XOF with a dated, sourced rate."""

import datetime
from decimal import Decimal

import pytest

from kafo.currencies.models import ExchangeRate
from kafo.currencies.rates import XOF_PER_EUR, MissingRate, rates_for


@pytest.fixture
def rates(db):
    for currency, date, value in [
        ("EUR", "2024-01-01", "1.10"), ("EUR", "2024-06-01", "1.08"), ("GBP", "2024-05-15", "1.25"),
    ]:  # fmt: skip
        ExchangeRate.objects.create(
            currency=currency, date=date, to_usd=Decimal(value), source="BCEAO"
        )


def test_the_euro_reaches_xof_through_the_fixed_parity(rates):
    got = rates_for("EUR", datetime.date(2024, 3, 1))
    assert (got.to_usd, got.to_xof, got.date) == (
        Decimal("1.1"),
        XOF_PER_EUR,
        datetime.date(2024, 1, 1),
    )


def test_the_latest_rate_before_the_date_is_used(rates):
    assert rates_for("EUR", datetime.date(2024, 7, 1)).to_usd == Decimal("1.08")


def test_other_currencies_reach_xof_through_usd_and_the_euro(rates):
    got = rates_for("GBP", datetime.date(2024, 7, 1))
    # 1 GBP = 1.25 USD = 1.25 / 1.08 EUR = 1.25 / 1.08 × 655.957 XOF
    assert got.to_usd == Decimal("1.25")
    assert got.to_xof == (Decimal("1.25") / Decimal("1.08") * XOF_PER_EUR).quantize(Decimal("1e-8"))
    assert "BCEAO" in got.source


def test_xof_and_usd(rates):
    xof = rates_for("XOF", datetime.date(2024, 7, 1))
    assert xof.to_xof == 1 and xof.to_usd == (Decimal("1.08") / XOF_PER_EUR).quantize(
        Decimal("1e-8")
    )
    usd = rates_for("USD", datetime.date(2024, 7, 1))
    assert usd.to_usd == 1 and usd.to_xof == (XOF_PER_EUR / Decimal("1.08")).quantize(
        Decimal("1e-8")
    )


def test_a_missing_rate_says_what_to_add(rates):
    with pytest.raises(MissingRate, match="Aucun taux GBP au plus tard le 2024-01-01"):
        rates_for("GBP", datetime.date(2024, 1, 1))
