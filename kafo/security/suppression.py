"""Small-number suppression for public and donor aggregates (no Django: usable by engines).

A count from 1 to 4 can point at a person in a small commune; it is shown as "<5".
Zero stays zero (it identifies nobody). When a breakdown sits next to its total and
only one cell is hidden, that cell could be recovered by subtraction, so the next
smallest cell is hidden too (secondary suppression).
"""

from collections.abc import Mapping

THRESHOLD = 5
SUPPRESSED = "<5"


def suppress(count: int | None) -> int | str | None:
    """The count as it may be shown publicly: "<5" for 1 to 4."""
    if count is None or count == 0 or count >= THRESHOLD:
        return count
    return SUPPRESSED


def suppress_breakdown(counts: Mapping[str, int], total_shown: bool = True) -> dict:
    """A breakdown safe to publish, with secondary suppression when its total is shown."""
    shown = {key: suppress(value) for key, value in counts.items()}
    hidden = [key for key, value in shown.items() if value == SUPPRESSED]
    if total_shown and len(hidden) == 1:
        candidates = sorted(
            (value, str(key)) for key, value in counts.items() if key not in hidden and value
        )
        if candidates:
            smallest = next(key for key in counts if str(key) == candidates[0][1])
            shown[smallest] = f"≥{THRESHOLD}" if counts[smallest] >= THRESHOLD else SUPPRESSED
    return shown


def suppress_gap_rows(rows: list[dict]) -> list[dict]:
    """Gap rows as donors and the public see them: the casualties they carry (the mine
    action need of a unit, and the need of victim assistance, which is its casualties)
    under five become "<5"; people in need and reached are not victims and stay."""
    shown = []
    for row in rows:
        row = dict(row)
        if row.get("mine_action"):
            row["mine_action"] = {
                **row["mine_action"],
                "casualties_12_months": suppress(row["mine_action"]["casualties_12_months"]),
            }
        if row.get("activity_type") == "VA":
            row["need"] = suppress(row["need"])
            if isinstance(row["need"], str):
                row["coverage"] = None  # reached ÷ hidden casualties would reveal them
        shown.append(row)
    return shown
