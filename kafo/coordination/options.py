"""The analysis filters as the pages and the API read them from a query string (the
engine's tables come from kafo.interop.analysis_source)."""

import datetime

from kafo.analysis.gaps import BY, MINE_ACTION, GapOptions


def gap_options(params) -> GapOptions:
    """The analysis filters of a query string (level, sector, start, end, threshold, by), as
    the pages and the API take them; ValueError names the one that is wrong."""
    from django.utils.translation import gettext as _

    try:
        level = int(params.get("level") or 2)
        if not 0 <= level <= 4:
            raise ValueError
    except ValueError:
        raise ValueError(_("The level must be between 0 and 4.")) from None
    dates = {}
    for key in ("start", "end"):
        if text := (params.get(key) or "").strip():
            try:
                dates[key] = datetime.date.fromisoformat(text)
            except ValueError:
                raise ValueError(_("%s is not a date (YYYY-MM-DD)") % text) from None
    try:
        threshold = float(params.get("threshold") or 0.5)
    except ValueError:
        raise ValueError(_("The threshold is a share between 0 and 1.")) from None
    sector = (params.get("sector") or "").strip().upper() or None
    by = (params.get("by") or "sector").strip()
    if by not in BY:
        raise ValueError(_("Gaps are by sector or by activity type."))
    if by == "activity_type" and sector not in (None, MINE_ACTION):
        raise ValueError(_("Activity types are those of mine action (PRO-MIN)."))
    return GapOptions(level=level, sector=sector, threshold=threshold, by=by, **dates)
