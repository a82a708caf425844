"""Dated, sourced exchange rates: a currency's value in USD and XOF on a date.

The CFA franc (XOF) is pegged to the euro at 655.957 XOF per EUR (since 1999), so an
amount in any currency reaches XOF through its USD value and the euro's USD value on
the same date: one stored rate per currency and date is enough."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from kafo.currencies.models import ExchangeRate

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
