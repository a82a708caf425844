"""The largest amounts Kafo stores reach the analyses whole, from SQLite as from
PostgreSQL (DuckDB's decimal arithmetic overflowed past a million on PostgreSQL)."""

import datetime
from decimal import Decimal

import pytest

from kafo.coordination.source import analysis_connection
from kafo.funding.models import Transaction


@pytest.mark.django_db(transaction=True)
def test_a_large_converted_amount_is_read_by_the_engine(organisation):
    donor, receiver = organisation("ECHO"), organisation("HI")
    Transaction.objects.create(
        type="3", provider=donor, receiver=receiver, date=datetime.date(2025, 5, 1),
        amount=Decimal("9999999999999.99"), currency="XOF", rate_to_usd=Decimal("0.00152449"),
        rate_to_xof=Decimal("1"), country_share=Decimal("0.5"),
    )  # fmt: skip
    (amount,) = analysis_connection().execute("SELECT amount_usd FROM transactions").fetchone()
    assert amount == pytest.approx(9999999999999.99 * 0.00152449 * 0.5, rel=1e-12)
