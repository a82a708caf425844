"""Currency conversion with dated, sourced rates.

The CFA franc (XOF) is pegged to the euro at 655.957 XOF per EUR (since 1999), so an
amount in any currency reaches XOF through its USD value and the euro's USD value on
the same date: one stored rate per currency and date is enough.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from kafo.funding.models import ExchangeRate

XOF_PER_EUR = Decimal("655.957")
PEG_SOURCE = "BCEAO: 1 EUR = 655,957 XOF"


class MissingRate(ValueError):
    """No rate for a currency on or before a date."""


@dataclass(frozen=True)
class Rates:
    to_usd: Decimal
    to_xof: Decimal
    date: datetime.date
    source: str


def _usd_rate(currency: str, on: datetime.date) -> ExchangeRate:
    rate = ExchangeRate.objects.filter(currency=currency, date__lte=on).order_by("-date").first()
    if rate is None:
        raise MissingRate(
            _("No %(currency)s rate on or before %(date)s: add one (date, value in USD, "
              "source) in the exchange rates.") % {"currency": currency, "date": on.isoformat()}
        )  # fmt: skip
    return rate


def rates_for(currency: str, on: datetime.date) -> Rates:
    """The rates to USD and XOF of one unit of `currency` on `on` (latest known before)."""
    if currency == "USD":
        usd, usd_date, usd_source = Decimal(1), on, "USD"
    elif currency == "XOF":
        eur = _usd_rate("EUR", on)
        usd, usd_date, usd_source = (
            eur.to_usd / XOF_PER_EUR,
            eur.date,
            f"{eur.source}; {PEG_SOURCE}",
        )
    else:
        rate = _usd_rate(currency, on)
        usd, usd_date, usd_source = rate.to_usd, rate.date, rate.source
    if currency == "XOF":
        xof = Decimal(1)
    elif currency == "EUR":
        xof = XOF_PER_EUR
    else:
        eur = _usd_rate("EUR", on)
        xof = usd / eur.to_usd * XOF_PER_EUR
        if eur.source not in usd_source:
            usd_source = f"{usd_source}; {eur.source}; {PEG_SOURCE}"
        usd_date = min(usd_date, eur.date)
    quantum = Decimal("0.00000001")
    return Rates(usd.quantize(quantum), xof.quantize(quantum), usd_date, usd_source[:200])
