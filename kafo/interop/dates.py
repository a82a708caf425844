"""Dates as partners' files write them: ISO dates and date-times (KoBo's
"2025-03-02T00:00:00.000+00:00"), workbook date cells, Excel serial numbers,
"31/12/2025", "01-01-2025", "31.12.2025", and a month "2025-03" (a period).

Day-first is the convention of French and West African files; a column is read
month-first only when one of its values can only be read so ("12/31/2025"), and a
column whose values say both is refused with the reason. Pure Python, no Django."""

import calendar
import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_YMD = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_SERIAL = re.compile(r"\d{5}(?:\.0+)?")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Serial numbers taken as dates: 1 January 1960 to 31 December 2100.
SERIALS = range(21916, 73416)


@dataclass(frozen=True)
class Period:
    """What a date cell says: one day (first == last) or a month."""

    first: datetime.date
    last: datetime.date


def _day(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def day_order(values: Iterable[str]) -> tuple[bool, str]:
    """(day first?, "" or the reason the column cannot be read) from all a column's
    values written d/m/y or m/d/y."""
    day_first = month_first = ""
    for text in values:
        if match := _DMY.fullmatch(text.strip()):
            first, second = int(match[1]), int(match[2])
            if first > 12 >= second:
                day_first = day_first or text
            elif second > 12 >= first:
                month_first = month_first or text
    if day_first and month_first:
        return True, _(
            "“%(dmy)s” is day/month/year and “%(mdy)s” month/day/year: write the column's "
            "dates one way (YYYY-MM-DD is never ambiguous)"
        ) % {"dmy": day_first, "mdy": month_first}
    return not month_first, ""


def read_period(text: str, *, day_first: bool = True) -> Period | None:
    """The day or month `text` writes, or None when it is not a date."""
    text = text.strip()
    found = None
    if (match := _ISO.fullmatch(text)) or (match := _YMD.fullmatch(text)):
        found = _day(int(match[1]), int(match[2]), int(match[3]))
    elif match := _DMY.fullmatch(text):
        first, second = int(match[1]), int(match[2])
        day, month = (first, second) if day_first else (second, first)
        found = _day(int(match[3]), month, day)
    elif _SERIAL.fullmatch(text) and int(float(text)) in SERIALS:
        found = EXCEL_EPOCH + datetime.timedelta(days=int(float(text)))
    elif match := _MONTH.fullmatch(text):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            return Period(datetime.date(year, month, 1), datetime.date(year, month, last))
    return Period(found, found) if found else None


def read_date(text: str, *, day_first: bool = True) -> datetime.date | None:
    """The one day `text` writes (a month is not a day), or None."""
    period = read_period(text, day_first=day_first)
    return period.first if period and period.first == period.last else None


# Month names of French and English files (folded), and their common abbreviations.
MONTHS = {
    name: number
    for number, names in enumerate([
        ("janvier", "january", "jan", "janv"), ("fevrier", "february", "feb", "fev", "fevr"),
        ("mars", "march", "mar"), ("avril", "april", "apr", "avr"), ("mai", "may"),
        ("juin", "june", "jun"), ("juillet", "july", "jul", "juil"),
        ("aout", "august", "aug"), ("septembre", "september", "sep", "sept"),
        ("octobre", "october", "oct"), ("novembre", "november", "nov"),
        ("decembre", "december", "dec"),
    ], start=1)
    for name in names
}  # fmt: skip
_MONTH_NAME = re.compile(r"([a-z]+)\.?(?:\s+(\d{4}))?")


def read_month(text: str, year: int | None = None) -> tuple[Period | None, str]:
    """The month a cell names ("June", "juin 2014", "2014-06"), in `year` when the cell
    gives none: (period, "") or (None, the reason)."""
    folded = unicodedata.normalize("NFKD", text.strip().lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    if match := _MONTH_NAME.fullmatch(folded):
        number = MONTHS.get(match[1])
        if number is None:
            return None, _("not a month (janvier… or January…, with its year)")
        given = int(match[2]) if match[2] else year
        if given is None:
            return None, _("a month without its year: give the year (--year YYYY, or the "
                           "year on the upload page)")  # fmt: skip
        last = calendar.monthrange(given, number)[1]
        return Period(datetime.date(given, number, 1), datetime.date(given, number, last)), ""
    period = read_period(text)
    if period is None:
        return None, _("not a month (janvier… or January…, with its year)")
    return period, ""
