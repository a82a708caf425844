"""The 5W's rows as a list's filters choose them, for its pages and for its export when
a task writes it (registered in kafo.response.apps)."""

import datetime
from collections.abc import Callable, Mapping

from kafo.response.activities.models import Activity
from kafo.response.hxl import activity_rows
from kafo.security.disclosure import readable
from kafo.security.exports import ExportTable


def filtered_activities(viewer, params: Mapping[str, str],
                        bad_date: Callable[[str], None] | None = None):  # fmt: skip
    """The activities `viewer` may read, filtered by the list's parameters (sector, type,
    status, organisation, pcode, funded, start, end); a date that is not one is left out
    of the filters and given to `bad_date`."""
    rows = readable(viewer, Activity.objects.select_related("organisation"))
    for name, lookup in (("sector", "sector"), ("type", "activity_type"), ("status", "status")):
        if value := params.get(name, ""):
            rows = rows.filter(**{lookup: value})
    if (org := params.get("organisation", "")).isdigit():
        rows = rows.filter(organisation_id=org)
    if pcode := params.get("pcode", "").strip():
        rows = rows.filter(locations__pcode__startswith=pcode).distinct()
    if params.get("funded"):
        rows = rows.filter(transactions__isnull=False).distinct()
    for name, lookup in (("start", "planned_end__gte"), ("end", "planned_start__lte")):
        if value := params.get(name, ""):
            try:
                rows = rows.filter(**{lookup: datetime.date.fromisoformat(value)})
            except ValueError:
                if bad_date:
                    bad_date(value)
    return rows


def activity_export_table(viewer, params: Mapping[str, str]) -> ExportTable:
    """The 5W export (with labels, as the Excel workbook has them) of the list's filters,
    as `viewer` may read it."""
    activities = filtered_activities(viewer, params)
    header, _hashtags, rows = activity_rows(viewer, activities, labels=True)
    return ExportTable(header, rows, readable(viewer, activities).count())
