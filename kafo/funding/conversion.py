"""Transactions converted with the dated, sourced rates of kafo.currencies.rates.

A transaction is stored in its own currency and amount whatever rates exist; where none
does yet, its conversion is pending and `convert_pending` fills it once a rate is loaded.
"""

from django.db.models import Q

from kafo.currencies.rates import known_rates
from kafo.funding.models import Transaction


def apply_rates(transaction: Transaction) -> bool:
    """Set the transaction's rates from those known on its date (None where none is);
    True when it is fully converted."""
    rates = known_rates(transaction.currency, transaction.conversion_date)
    transaction.rate_to_usd, transaction.rate_to_xof = rates.to_usd, rates.to_xof
    transaction.rate_date, transaction.rate_source = rates.date, rates.source
    return rates.complete


def pending_transactions():
    """Transactions whose conversion to USD or XOF waits for a rate."""
    return Transaction.objects.filter(Q(rate_to_usd=None) | Q(rate_to_xof=None))


def convert_pending() -> tuple[int, int]:
    """Convert the pending transactions for which a rate now exists, without re-importing
    them. Returns (converted, still pending)."""
    converted = still = 0
    for transaction in pending_transactions().order_by("pk").iterator(chunk_size=2000):
        before = (transaction.rate_to_usd, transaction.rate_to_xof)
        complete = apply_rates(transaction)
        if (transaction.rate_to_usd, transaction.rate_to_xof) != before:
            transaction.save(
                update_fields=["rate_to_usd", "rate_to_xof", "rate_date", "rate_source"]
            )
        converted += complete
        still += not complete
    return converted, still
