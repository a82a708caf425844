"""Percentage splits, as AMP does them: an activity's (or a transaction's) shares in the
objectives of one framework sum to 100."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

TOLERANCE = Decimal("0.01")


def parse_splits(text: str) -> list[tuple[str, Decimal]]:
    """Lines "CODE ; percentage" (or "CODE percentage") → [(code, percentage)]."""
    splits = []
    for number, line in enumerate(filter(str.strip, text.splitlines()), start=1):
        parts = line.replace(";", " ").replace("%", " ").replace(",", ".").split()
        try:
            if len(parts) != 2:
                raise ValueError
            splits.append((parts[0], Decimal(parts[1])))
        except (ValueError, ArithmeticError):
            raise ValueError(
                _("Line %(n)d: write an objective code and a percentage, e.g. “P1.2 ; 60”.")
                % {"n": number}
            ) from None
    return splits


def check_splits(shares: list[tuple[str, str, Decimal]]) -> list[str]:
    """Problems with (framework name, objective code, percentage) shares: each framework's
    shares must sum to 100, each share be above 0 and at most 100, no objective twice."""
    problems = []
    totals: dict[str, Decimal] = defaultdict(Decimal)
    seen = set()
    for framework, code, percentage in shares:
        if (framework, code) in seen:
            problems.append(_("%(code)s is given twice.") % {"code": code})
        seen.add((framework, code))
        if not Decimal(0) < percentage <= Decimal(100):
            problems.append(
                _("%(code)s: a share is above 0 and at most 100 (got %(value)s).")
                % {"code": code, "value": percentage}
            )
        totals[framework] += percentage
    for framework, total in totals.items():
        if abs(total - Decimal(100)) > TOLERANCE:
            problems.append(
                _("The shares in “%(framework)s” sum to %(total)s %%, not 100 %%.")
                % {"framework": framework, "total": format(total.normalize(), "f")}
            )
    return problems


def percent_text(value: Decimal) -> str:
    """60.00 → "60", 12.50 → "12.5" (for forms)."""
    return format(value.normalize(), "f")
