"""The 5W's rows and map features as a list's filters choose them, for its pages and
for its exports when a task writes them (registered in kafo.response.apps)."""

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping

from kafo.response.activities.models import Activity
from kafo.response.geojson import point_feature
from kafo.response.hxl import activity_rows, locations_of
from kafo.security.disclosure import Audience, disclose, readable
from kafo.security.exports import ExportLayer, ExportTable, in_chunks


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


def activity_features(viewer: Audience, activities: Iterable[Activity], units) -> Iterator[dict]:
    """The map points of `activities`: their own where the viewer may read them, else the
    centre of each admin unit they work in (`units`: from `locations_of`)."""
    for activity in activities:
        properties = {
            "reference": activity.title,
            "url": activity.get_absolute_url(),
            "date": activity.planned_start.isoformat() if activity.planned_start else "",
            "device": str(activity.get_sector_display()),
        }
        if activity.points and disclose(viewer, activity).may_read("points"):
            places = [(lon, lat, False) for lon, lat in activity.points]
        else:  # at its units' centres: no point given, or one the viewer may not read
            places = [(lon, lat, True) for lon, lat, _pcode in units.get(activity.pk, [])
                      if lon is not None]  # fmt: skip
        for lon, lat, generalised in places:
            yield point_feature(lon, lat, properties, generalised)


def activity_layer(viewer, activities) -> ExportLayer:
    """The 5W's map layer of `activities` (readable by `viewer`) to download whole: read
    a few thousand activities at a time, each chunk with its admin units, so that
    memory does not grow with the 5W."""
    audience = Audience.of(viewer)

    def features_of(chunk: list[Activity]) -> list[dict]:
        units = locations_of(Activity.objects.filter(pk__in=[a.pk for a in chunk]))
        return list(activity_features(audience, chunk, units))

    return ExportLayer(in_chunks(activities.iterator(chunk_size=2000), features_of),
                       activities.count())  # fmt: skip


def activity_layer_export(viewer, params: Mapping[str, str]) -> ExportLayer:
    """The 5W's map layer of the list's filters, as `viewer` may read it."""
    return activity_layer(viewer, filtered_activities(viewer, params))
