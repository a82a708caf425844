"""Currency conversion with dated, sourced rates.

The CFA franc (XOF) is pegged to the euro at 655.957 XOF per EUR (since 1999), so an
amount in any currency reaches XOF through its USD value and the euro's USD value on
the same date: one stored rate per currency and date is enough.

A transaction is stored in its own currency and amount whatever rates exist; where none
does yet, its conversion is pending and `convert_pending` fills it once a rate is loaded.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from kafo.funding.models import ExchangeRate, Transaction

XOF_PER_EUR = Decimal("655.957")
PEG_SOURCE = "BCEAO: 1 EUR = 655,957 XOF"
QUANTUM = Decimal("0.00000001")


class MissingRate(ValueError):
    """No rate for a currency on or before a date."""


@dataclass(frozen=True)
class Rates:
    """Rates of one unit of a currency; to_usd or to_xof is None where no rate is known."""

    to_usd: Decimal | None
    to_xof: Decimal | None
    date: datetime.date | None
    source: str
    missing: str = ""  # why a rate is missing, in the reader's language

    @property
    def complete(self) -> bool:
        return self.to_usd is not None and self.to_xof is not None


def _usd_rate(currency: str, on: datetime.date) -> ExchangeRate | None:
    return ExchangeRate.objects.filter(currency=currency, date__lte=on).order_by("-date").first()


def _missing(currency: str, on: datetime.date) -> str:
    return _(
        "No %(currency)s rate on or before %(date)s: add one (date, value in USD, "
        "source) in the exchange rates."
    ) % {"currency": currency, "date": on.isoformat()}


def known_rates(currency: str, on: datetime.date) -> Rates:
    """The rates to USD and XOF of one unit of `currency` on `on` (latest known before),
    each None where no rate is known yet."""
    eur = _usd_rate("EUR", on) if currency != "EUR" else None
    if currency == "USD":
        usd, usd_date, sources = Decimal(1), on, ["USD"]
    elif currency == "XOF":
        if eur is None:
            usd, usd_date, sources = None, None, []
        else:
            usd, usd_date, sources = eur.to_usd / XOF_PER_EUR, eur.date, [eur.source, PEG_SOURCE]
    else:
        own = _usd_rate(currency, on)
        usd, usd_date, sources = (own.to_usd, own.date, [own.source]) if own else (None, None, [])
    if currency == "XOF":
        xof = Decimal(1)
    elif currency == "EUR":
        xof = XOF_PER_EUR
    elif usd is not None and eur is not None:
        xof = usd / eur.to_usd * XOF_PER_EUR
        sources += [eur.source, PEG_SOURCE]
        usd_date = min(usd_date, eur.date) if usd_date else eur.date
    else:
        xof = None
    missing = ""
    if usd is None:
        missing = _missing("EUR" if currency == "XOF" else currency, on)
    elif xof is None:
        missing = _missing("EUR", on)
    source = "; ".join(dict.fromkeys(sources))[:200]
    return Rates(
        usd.quantize(QUANTUM) if usd is not None else None,
        xof.quantize(QUANTUM) if xof is not None else None,
        usd_date,
        source,
        missing,
    )


def rates_for(currency: str, on: datetime.date) -> Rates:
    """The rates to USD and XOF of one unit of `currency` on `on`; MissingRate (saying
    which rate to add) when either is not known."""
    rates = known_rates(currency, on)
    if not rates.complete:
        raise MissingRate(rates.missing)
    return rates


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
