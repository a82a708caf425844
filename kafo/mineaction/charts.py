"""The situation page's charts (SVG made on the server, kafo.charts): casualties per
month and per region, land release per year, risk education by sex and age. Counts of
casualties a reader may not see exactly (the public, donors) are suppressed as in the
tables; the months of a year are one breakdown of its total (secondary suppression)."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from kafo.charts import Series, bar_chart, horizontal_bars
from kafo.mineaction import figures
from kafo.numbers import colon, whole
from kafo.security.suppression import suppress_breakdown


def casualties_per_month(last: datetime.date, exact: bool, pcode: str | None = None) -> str:
    """The 24 months up to `last`'s month: killed and injured (for those who see records);
    else the month's total, small counts suppressed within each year."""
    first = datetime.date(last.year - 2 + (last.month == 12), last.month % 12 + 1, 1)
    months = figures.casualties_by_month(first, 24, pcode)
    labels = [formats.date_format(datetime.date.fromisoformat(f"{key}-01"), "YEAR_MONTH_FORMAT")
              for key, _killed, _injured in months]  # fmt: skip
    title = _("Casualties per month")
    if exact:
        series = [Series(_("Killed"), [killed for _k, killed, _i in months]),
                  Series(_("Injured"), [injured for _k, _killed, injured in months])]  # fmt: skip
    else:
        totals: list[float | str | None] = []
        for year in sorted({key[:4] for key, _k, _i in months}):
            of_year = {key: killed + injured for key, killed, injured in months
                       if key.startswith(year)}  # fmt: skip
            shown = suppress_breakdown(of_year)
            totals += [shown[key] for key in of_year]
        series = [Series(_("Casualties"), totals)]
    return bar_chart(labels, series, title, _("%(title)s, %(first)s to %(last)s") % {
        "title": title, "first": labels[0], "last": labels[-1]}, number=whole,
        hidden_label=_("1 to 4 (not shown exactly)"), colon=colon())  # fmt: skip


def casualties_per_region(rows: list[dict]) -> str:
    """The units' casualties, most first (as the table shows them)."""
    ordered = sorted(rows, key=lambda row: -(row["casualties"] if isinstance(
        row["casualties"], int) else 2.5))  # fmt: skip
    return horizontal_bars([row["unit"].name for row in ordered],
                           [row["casualties"] for row in ordered],
                           _("Casualties per admin unit"), number=whole,
                           hidden_label=_("1 to 4 (not shown exactly)"), colon=colon())  # fmt: skip


def land_release_per_year(released: dict[str, dict]) -> str:
    """Area cancelled, reduced and cleared per year (m²)."""
    years = sorted(released)
    series = [Series(_("Cancelled (NTS)"), [released[y]["cancelled"] for y in years]),
              Series(_("Reduced (TS)"), [released[y]["reduced"] for y in years]),
              Series(_("Cleared"), [released[y]["cleared"] for y in years])]  # fmt: skip
    return bar_chart(years, series, _("Area released per year (m²)"), number=whole,
                     colon=colon())  # fmt: skip


def risk_education_by_sex_and_age(reached: dict[str, dict]) -> str:
    """People reached per year, by sex and age band."""
    years = sorted(reached)
    bands = [("girls_5_12", _("Girls 5–12")), ("boys_5_12", _("Boys 5–12")),
             ("girls_13_17", _("Girls 13–17")), ("boys_13_17", _("Boys 13–17")),
             ("women", _("Women")), ("men", _("Men"))]  # fmt: skip
    series = [Series(label, [reached[y][band] for y in years]) for band, label in bands]
    return bar_chart(years, series, _("Risk education beneficiaries by sex and age"),
                     number=whole, height=280, colon=colon())  # fmt: skip
