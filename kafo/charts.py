"""Charts and maps as SVG, made on the server (`colon`: the language's own, " : " in
French): the situation page shows them and the
monthly bulletin prints them. A few kilobytes each (no library to download, no glyphs
embedded: the reader's font draws the text), each bar with its value as a tooltip, and
a `<title>` and a `<desc>` that a screen reader says.

Values are numbers, or what a reader sees instead of a small count ("<5", "≥5": the
disclosure layer's suppression): such a bar is drawn hatched at the height of 2.5, and
its tooltip says the words."""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

PALETTE = ("#1f5f8b", "#e07b39", "#6a9f3a", "#b53f51", "#7a5c99", "#8c8c8c")
HIDDEN = 2.5  # where a count of 1 to 4, not shown exactly, is drawn
FONT = 'font-family="Noto Sans, DejaVu Sans, Arial, sans-serif"'


@dataclass(frozen=True)
class Series:
    """One series of a chart: its name, a value per category, its colour."""

    name: str
    values: Sequence["Value"]
    colour: str = ""


def _plain(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def nice_ceiling(value: float) -> float:
    """The axis's top: 1, 2 or 5 times a power of ten, at or above the value."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


Value = float | str | None


def ticks(ceiling: float) -> int:
    """How many steps divide the axis into round numbers: 1→5 (0.2), 2→4 (0.5), 5→5."""
    leading = round(ceiling / 10 ** math.floor(math.log10(ceiling)))
    return 4 if leading == 2 else 5


def _shown(value: Value) -> float:
    if isinstance(value, str):
        return HIDDEN
    return value or 0


def _said(value: Value, number) -> str:
    return value if isinstance(value, str) else number(value or 0)


def _tip(name: str, category: str, value: Value, number, colon: str) -> str:
    return f"{category} · {name}{colon}{_said(value, number)}"


def _frame(width: int, height: int, title: str, description: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" class="chart" {FONT} '
            f'font-size="11">',
            f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
            '<defs><pattern id="hidden" width="4" height="4" patternUnits="userSpaceOnUse">'
            '<path d="M0,4 l4,-4" stroke="#666" stroke-width="1"/></pattern></defs>']  # fmt: skip


def _legend(series: Sequence[Series], x: float, y: float, hidden: bool,
            hidden_label: str) -> list[str]:  # fmt: skip
    parts = []
    entries = [(s.name, s.colour) for s in series]
    if hidden:
        entries.append((hidden_label, "url(#hidden)"))
    for name, colour in entries:
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{x + 14:.1f}" y="{y:.1f}">'
                     f"{escape(name)}</text>")  # fmt: skip
        x += 24 + 7 * len(name)
    return parts


def bar_chart(categories: Sequence[str], series: Sequence[Series], title: str,
              description: str = "", number: Callable[[float], str] = _plain,
              width: int = 640, height: int = 260, stacked: bool = True,
              hidden_label: str = "1 to 4", colon: str = ": ") -> str:  # fmt: skip
    """Vertical bars, one group (stacked, else side by side) per category."""
    series = [Series(s.name, s.values, s.colour or PALETTE[n % len(PALETTE)])
              for n, s in enumerate(series)]  # fmt: skip
    if stacked:
        tallest = max((sum(_shown(s.values[i]) for s in series) for i in range(len(categories))),
                      default=0)  # fmt: skip
    else:
        tallest = max((_shown(v) for s in series for v in s.values), default=0)
    ceiling = nice_ceiling(tallest)
    steps = ticks(ceiling)
    # Room on the left for the longest tick's words (about 6.5 px a character).
    left = 12 + int(6.5 * max(len(number(ceiling * t / steps)) for t in range(steps + 1)))
    right, top, bottom = 10, 28, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = _frame(width, height, title, description or title)
    for tick in range(steps + 1):
        level = ceiling * tick / steps
        y = top + plot_h - plot_h * tick / steps
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#ddd"/><text x="{left - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{escape(number(level))}</text>')  # fmt: skip
    slot = plot_w / max(len(categories), 1)
    bar_w = slot * 0.7 if stacked else slot * 0.8 / max(len(series), 1)
    hidden = False
    widest = max((len(c) for c in categories), default=1) * 6.5 + 8
    every = max(1, math.ceil(widest / slot))  # labels that fit side by side
    for i, category in enumerate(categories):
        x0 = left + slot * i + slot * (0.15 if stacked else 0.1)
        base = 0.0
        for n, s in enumerate(series):
            value: Value = s.values[i]
            if not _shown(value):
                continue
            hidden = hidden or isinstance(value, str)
            h = plot_h * _shown(value) / ceiling
            x = x0 if stacked else x0 + n * bar_w
            y = top + plot_h - plot_h * base / ceiling - h
            fill = "url(#hidden)" if isinstance(value, str) else s.colour
            tip = escape(_tip(s.name, category, value, number, colon))
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{fill}"><title>{tip}</title></rect>')  # fmt: skip
            if stacked:
                base += _shown(value)
        if i % every == 0:
            half = len(category) * 3.25  # half the label's width: kept inside the drawing
            cx = min(max(left + slot * (i + 0.5), half + 2), width - half - 2)
            parts.append(f'<text x="{cx:.1f}" y="{top + plot_h + 14}" text-anchor="middle">'
                         f"{escape(category)}</text>")  # fmt: skip
    parts += _legend(series, left, height - 8, hidden, hidden_label)
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(labels: Sequence[str], values: Sequence[Value], title: str,
                    description: str = "", number: Callable[[float], str] = _plain,
                    width: int = 640, colour: str = PALETTE[0],
                    hidden_label: str = "1 to 4", colon: str = ": ") -> str:  # fmt: skip
    """One bar per label, longest first as given, its value written at its end."""
    row, left, right, top = 20, 150, 70, 8
    height = top + row * len(labels) + 26
    ceiling = nice_ceiling(max((_shown(v) for v in values), default=0))
    parts = _frame(width, height, title, description or title)
    hidden = False
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + row * i
        w = (width - left - right) * _shown(value) / ceiling
        hidden = hidden or isinstance(value, str)
        fill = "url(#hidden)" if isinstance(value, str) else colour
        shown = _said(value, number)
        parts.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>'
                     f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
                     f'fill="{fill}"><title>{escape(f"{label}{colon}{shown}")}</title></rect>'
                     f'<text x="{left + w + 4:.1f}" y="{y + 13}">'
                     f"{escape(shown)}</text>")  # fmt: skip
    if hidden:
        parts += _legend([], left, height - 6, True, hidden_label)
    parts.append("</svg>")
    return "".join(parts)


def choropleth(shapes: Sequence[tuple[str, object, Value]], title: str,
               description: str = "", points: Sequence[tuple[float, float]] = (),
               number: Callable[[float], str] = _plain, width: int = 480,
               colours: Sequence[str] = ("#f7e4d8", "#efb99a", "#e07b39", "#b3501c", "#6e2a08"),
               point_label: str = "", hidden_label: str = "1 to 4",
               colon: str = ": ") -> str:  # fmt: skip
    """Units shaded by their value (five classes of equal width up to the largest; none
    for 0), and points over them (e.g. open hazards), drawn from the boundaries
    (shapely geometries in longitude and latitude), simplified to the drawing's scale."""
    import shapely

    geometries = [geometry for _name, geometry, _value in shapes]
    if not geometries:
        return ""
    min_x, min_y, max_x, max_y = shapely.total_bounds(geometries)
    squeeze = math.cos(math.radians((min_y + max_y) / 2))
    scale = (width - 20) / max((max_x - min_x) * squeeze, 1e-9)
    height = int((max_y - min_y) * scale) + 56

    def at(lon: float, lat: float) -> tuple[float, float]:
        return 10 + (lon - min_x) * squeeze * scale, 10 + (max_y - lat) * scale

    tolerance = 1.5 / scale  # a pixel and a half
    top = max((_shown(v) for _n, _g, v in shapes), default=0) or 1
    parts = _frame(width, height, title, description or title)
    hidden = False
    for name, geometry, value in shapes:
        simple = shapely.simplify(geometry, tolerance, preserve_topology=True)
        polygons = getattr(simple, "geoms", [simple])
        path = []
        for polygon in polygons:
            for ring in [polygon.exterior, *polygon.interiors]:
                xy = [at(x, y) for x, y in ring.coords]
                path.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
        if isinstance(value, str):
            fill, hidden = "url(#hidden)", True
        elif not value:
            fill = "#f4f4f4"
        else:
            fill = colours[min(int(len(colours) * value / top), len(colours) - 1)]
        shown = _said(value, number)
        parts.append(f'<path d="{"".join(path)}" fill="{fill}" stroke="#fff" stroke-width="0.8">'
                     f"<title>{escape(f'{name}{colon}{shown}')}</title></path>")  # fmt: skip
    for lon, lat in points:
        x, y = at(lon, lat)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="#b53f51" '
                     'fill-opacity="0.8"/>')  # fmt: skip
    y = height - 30
    valued = any(isinstance(v, str) or v for _n, _g, v in shapes)
    for n, colour in enumerate(colours if valued else ()):
        low, high = top * n / len(colours), top * (n + 1) / len(colours)
        parts.append(f'<rect x="{10 + n * 70}" y="{y}" width="14" height="10" fill="{colour}"/>'
                     f'<text x="{28 + n * 70}" y="{y + 9}" font-size="9">'
                     f"{escape(number(math.floor(low) + 1))}–{escape(number(math.ceil(high)))}"
                     "</text>")  # fmt: skip
    if points:
        label = escape(point_label)
        parts.append(f'<circle cx="15" cy="{height - 9}" r="3" fill="#b53f51"/>'
                     f'<text x="24" y="{height - 5}" font-size="9">{label}</text>')  # fmt: skip
    if hidden:
        parts.append(f'<rect x="{width - 90}" y="{height - 16}" width="10" height="10" '
                     f'fill="url(#hidden)"/><text x="{width - 76}" y="{height - 7}" '
                     f"font-size=\"9\">{escape(hidden_label)}</text>")  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)
