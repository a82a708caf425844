"""Exchange rates loaded from a file, in one batch: every row is checked first, and the
rates are written only when all are valid. Pending conversions are then made.

Two layouts are read, by their headers (case-insensitive):
- Kafo's: `currency`, `date`, `to_usd` (the value of one unit in USD) and `source`;
- the IMF rates that IATI tools and hdx-python-country use (codeforIATI's
  imf_exchangerates.csv): `Date`, `Rate` (units of the currency per USD), `Currency`
  and `Source`.
"""

import csv
import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from kafo.currencies.models import ExchangeRate
from kafo.funding.conversion import convert_pending
from kafo.funding.models import validate_currency

# Header (lower case) → field, per layout; the value column says which layout it is.
HEADERS = {
    "currency": "currency", "devise": "currency", "date": "date", "source": "source",
    "to_usd": "to_usd", "value in usd": "to_usd", "valeur en usd": "to_usd",
    "rate": "per_usd",
}  # fmt: skip
MAX_ROWS = 1_000_000


class RatesError(ValueError):
    """A file that cannot be read as a table of rates; the message says why."""


@dataclass
class RatesReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    converted: int = 0
    still_pending: int = 0


def _rows(path: Path):
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise RatesError(_("no file %s") % path) from None
    except UnicodeDecodeError:
        raise RatesError(_("the file is not UTF-8 text")) from None
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # RFC 4180 quoting always: the sniffer misreads a doubled quote at a cell's end.
    reader = csv.reader(text.splitlines(), delimiter=delimiter, doublequote=True)
    header = next(reader, None)
    if not header:
        raise RatesError(_("the file is empty"))
    columns = {HEADERS[h.strip().lower()]: i for i, h in enumerate(header)
               if h.strip().lower() in HEADERS}  # fmt: skip
    wanted = {"currency", "date"}
    if not wanted <= columns.keys() or not ({"to_usd", "per_usd"} & columns.keys()):
        raise RatesError(
            _("the columns are currency, date and to_usd (value of one unit in USD), or "
              "the IMF layout Date, Rate (units per USD), Currency; found: %s")
            % ", ".join(header)
        )  # fmt: skip
    for line, row in enumerate(reader, start=2):
        if line > MAX_ROWS:
            raise RatesError(_("more than %d rows") % MAX_ROWS)
        if any(cell.strip() for cell in row):
            yield line, {name: (row[i].strip() if i < len(row) else "")
                         for name, i in columns.items()}  # fmt: skip


def _rate(values: dict, default_source: str) -> tuple[str, datetime.date, Decimal, str]:
    currency = values["currency"].upper()
    currency = {"FCFA": "XOF", "CFA": "XOF"}.get(currency, currency)
    try:
        validate_currency(currency)
    except Exception:
        raise ValueError(_("%s is not an ISO 4217 currency code") % values["currency"]) from None
    try:
        on = datetime.date.fromisoformat(values["date"][:10])
    except ValueError:
        raise ValueError(_("“%s” is not a date (YYYY-MM-DD)") % values["date"]) from None
    per_usd = "per_usd" in values and "to_usd" not in values
    text = values["per_usd" if per_usd else "to_usd"]
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%s” is not a number") % text) from None
    if not number.is_finite() or number <= 0:
        raise ValueError(_("a rate is a positive number, not “%s”") % text)
    to_usd = (Decimal(1) / number) if per_usd else number
    to_usd = to_usd.quantize(Decimal("0.00000001"))
    if to_usd <= 0 or to_usd >= Decimal("1e10"):
        raise ValueError(_("the rate %s is out of range") % text)
    source = (values.get("source") or default_source).strip()[:200]
    if not source:
        raise ValueError(_("the source is missing (a column, or --source)"))
    return currency, on, to_usd, source


def load_rates(path: Path | str, *, source: str = "") -> RatesReport:
    """Load the rates of a CSV file, all or nothing, then convert the transactions that
    were waiting for them."""
    report = RatesReport()
    rates: dict[tuple[str, datetime.date], tuple[Decimal, str, int]] = {}
    for line, values in _rows(Path(path)):
        try:
            currency, on, to_usd, where = _rate(values, source)
        except ValueError as error:
            report.errors.append((line, str(error)))
            continue
        if (currency, on) in rates:
            first = rates[currency, on][2]
            report.errors.append(
                (line, _("%(currency)s on %(date)s is already on line %(first)d")
                 % {"currency": currency, "date": on.isoformat(), "first": first})
            )  # fmt: skip
            continue
        rates[currency, on] = (to_usd, where, line)
    if report.errors or not rates:
        if not rates and not report.errors:
            raise RatesError(_("the file has no rate"))
        return report
    with transaction.atomic():
        for (currency, on), (to_usd, where, _line) in rates.items():
            _rate_row, created = ExchangeRate.objects.update_or_create(
                currency=currency, date=on, defaults={"to_usd": to_usd, "source": where}
            )
            report.created += created
            report.updated += not created
        report.converted, report.still_pending = convert_pending()
    return report
