"""Numbers as spreadsheets write them, read by the file's own convention.

"250.000" is two hundred and fifty thousand in a French file and two hundred and fifty
in an English one; "1,234" likewise. A column's convention (decimal and thousands
separators) is found from all its values, and a column whose values contradict each
other, or whose separators no value settles, is refused with the reason rather than
guessed. Spaces of any kind group thousands ("1 234 567,50" with the non-breaking or
narrow spaces of French Excel). Pure Python, no Django."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils.translation import gettext as _

from kafo.interop.hxl import distinct_values

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_SHAPE = re.compile(r"[+-]?(\d+([.,]\d+)*|[.,]\d+)")
SEPARATORS = (".", ",")


@dataclass(frozen=True)
class NumberFormat:
    """A column's convention: its decimal separator and its thousands separator."""

    decimal: str = "."
    thousands: str = ""

    @property
    def label(self) -> str:
        return _("decimal “%(decimal)s”, thousands “%(thousands)s”") % {
            "decimal": self.decimal, "thousands": self.thousands or " "
        }  # fmt: skip


PLAIN = NumberFormat(".", "")  # machine numbers: what a program or a number cell writes


def _squeeze(text: str) -> str:
    return _SPACES.sub("", text.strip())


def _evidence(text: str) -> tuple[str | None, str | None, bool]:
    """(decimal separator, thousands separator, ambiguous) that one value shows."""
    number = _squeeze(text).lstrip("+-")
    dots, commas = number.count("."), number.count(",")
    if dots and commas:
        decimal = "." if number.rfind(".") > number.rfind(",") else ","
        return decimal, "," if decimal == "." else ".", False
    if not dots and not commas:
        return None, None, False
    separator = "." if dots else ","
    if dots + commas > 1:
        return None, separator, False
    whole, _sep, fraction = number.partition(separator)
    if len(fraction) != 3 or not whole or whole == "0" or len(whole) > 3:
        return separator, None, False
    return None, None, True  # "250.000", "1,234": either separator


def column_format(values: Iterable[str], *, whole: bool = False) -> tuple[NumberFormat, str]:
    """The convention of a column from all its values, and "" or the reason it cannot be
    told. In a column of whole numbers (people), a lone separator before three digits
    groups thousands."""
    decimals: dict[str, str] = {}
    thousands: dict[str, str] = {}
    ambiguous = ""
    unsure_separators: set[str] = set()
    for text in dict.fromkeys(values):  # each value once, in the order first met
        if not _SHAPE.fullmatch(_squeeze(text)):
            continue  # not a number: the row's own error says so
        decimal, thousand, unsure = _evidence(text)
        if decimal:
            decimals.setdefault(decimal, text)
        if thousand:
            thousands.setdefault(thousand, text)
        if unsure:
            ambiguous = ambiguous or text
            unsure_separators.add("." if "." in text else ",")
    for separator in SEPARATORS:
        if separator in decimals and separator in thousands:
            return PLAIN, _(
                "“%(first)s” and “%(second)s” use “%(sep)s” once for decimals and once for "
                "thousands: write the column's numbers one way"
            ) % {"first": decimals[separator], "second": thousands[separator], "sep": separator}
    if len(decimals) > 1:
        return PLAIN, _(
            "“%(first)s” and “%(second)s” have different decimal separators: write the "
            "column's numbers one way"
        ) % {"first": decimals["."], "second": decimals[","]}
    if len(thousands) > 1:
        return PLAIN, _(
            "“%(first)s” and “%(second)s” have different thousands separators: write the "
            "column's numbers one way"
        ) % {"first": thousands["."], "second": thousands[","]}
    if decimals:
        decimal = next(iter(decimals))
        return NumberFormat(decimal, "," if decimal == "." else "."), ""
    if thousands:
        thousand = next(iter(thousands))
        return NumberFormat("," if thousand == "." else ".", thousand), ""
    if ambiguous and whole and len(unsure_separators) == 1:
        # Whole numbers (people): a lone separator before three digits groups thousands.
        thousand = next(iter(unsure_separators))
        return NumberFormat("," if thousand == "." else ".", thousand), ""
    if ambiguous:
        return PLAIN, _(
            "in “%s” the separator may mark decimals or thousands, and no other value of "
            "the column tells which: write the number without thousands separators"
        ) % ambiguous
    return PLAIN, ""


def read_number(text: str, number_format: NumberFormat = PLAIN) -> Decimal | None:
    """The number `text` writes in this convention, or None when it is not one (or its
    thousands are not grouped by three)."""
    return _read_number(text, number_format)


@lru_cache(maxsize=8192)  # a 5W repeats its figures; Decimals are immutable
def _read_number(text: str, number_format: NumberFormat) -> Decimal | None:
    number = _squeeze(text)
    if not _SHAPE.fullmatch(number):
        return None
    if number_format.thousands and number_format.thousands in number:
        whole = number.split(number_format.decimal)[0].lstrip("+-")
        groups = whole.split(number_format.thousands)
        if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            return None
        number = number.replace(number_format.thousands, "")
    if number.count(number_format.decimal) > 1:
        return None
    other = "," if number_format.decimal == "." else "."
    if other in number:
        return None
    try:
        return Decimal(number.replace(number_format.decimal, "."))
    except InvalidOperation:
        return None


def column_formats(rows: list[list[str]], columns: dict[str, int | None], *,
                   whole: set[str] = frozenset(), plain: set[int] = frozenset()):  # fmt: skip
    """The convention of each named column of a table (PLAIN for the columns in `plain`,
    number cells of a workbook), and the reasons of those that cannot be told."""
    formats: dict[str, NumberFormat] = {}
    reasons: dict[str, str] = {}
    for name, index in columns.items():
        if index is None or index in plain:
            formats[name] = PLAIN
            continue
        values = [value for value in distinct_values(rows, index) if value.strip()]
        formats[name], reason = column_format(values, whole=name in whole)
        if reason:
            reasons[name] = reason
    return formats, reasons
