"""The share at each score drawn as SVG segments (no inline style: the CSP forbids it)."""

from django import template

register = template.Library()

ORDER = [("3", "score-3"), ("2", "score-2"), ("1", "score-1"), ("0", "score-0"),
         ("not_assessed", "score-none")]  # fmt: skip


@register.filter
def score_segments(summary: dict) -> list[dict]:
    """[{"css", "x", "width", "count"}] along a bar of `summary["total"]` units."""
    segments, x = [], 0
    for key, css in ORDER:
        count = summary["counts"].get(key, 0)
        if count:
            segments.append({"css": css, "x": x, "width": count, "count": count})
            x += count
    return segments
