"""The 5W in HXL, written once: the hashtags of the people counted (read by the importer
and written by the template and the exports), the export's columns, and the export
table itself (pages, `kafo export-hxl`, the API's HXL)."""

from django.utils.translation import gettext as _

from kafo.geo.models import AdminUnit
from kafo.response.models import Activity
from kafo.security.disclosure import disclosed_rows
from kafo.security.exports import people_header, people_values

# People targeted and reached by group: Activity field → HXL hashtag (OCHA's 3W/5W
# attributes; +x_unknown for the people of unknown sex and age).
PEOPLE_TAGS = {
    f"{stage}_{group}": f"#{stage}{attributes}"
    for stage in ("targeted", "reached")
    for group, attributes in (
        ("girls", "+f+children"), ("boys", "+m+children"), ("women", "+f+adults"),
        ("men", "+m+adults"), ("pwd", "+disabled"), ("displaced", "+idps"),
        ("unknown", "+x_unknown"),
    )
}  # fmt: skip


def people_field(stage: str, attributes: frozenset[str]) -> str | None:
    """The Activity field of a people column read from a file (stage and attributes in
    any order), or None."""
    for field, tag in PEOPLE_TAGS.items():
        tag_stage, *tag_attributes = tag.lstrip("#").split("+")
        if tag_stage == stage and frozenset(tag_attributes) == attributes:
            return field
    return None


# 3W/5W export columns with the HXL hashtags OCHA uses.
ACTIVITY_COLUMNS = {
    # Kafo's own row number (+x_kafo: not an identifier of the source).
    "id": "#activity+id+x_kafo",
    "organisation__name": "#org+impl+name",
    "organisation__acronym": "#org+impl+acronym",
    "title": "#activity+name",
    "sector": "#sector+code",
    "activity_type": "#activity+type+code",
    "status": "#status",
    "planned_start": "#date+start+planned",
    "planned_end": "#date+end+planned",
    "actual_start": "#date+start",
    "actual_end": "#date+end",
    "budget": "#value+budget",
    "currency": "#currency",
    **{field: tag for field, tag in PEOPLE_TAGS.items() if field.startswith("reached_")},
    "source_id": "#meta+id",
}

# Needs export columns.
NEED_COLUMNS = {
    "admin_unit__pcode": "#adm+code", "admin_unit__name": "#adm+name", "sector": "#sector",
    "year": "#date+year", "population": "#population", "in_need": "#inneed",
    "targeted": "#targeted", "source": "#meta+source", "organisation__name": "#org+name",
}  # fmt: skip


def locations_of(queryset) -> dict[int, list[tuple[float | None, float | None, str]]]:
    """The admin units of each activity of `queryset`, in their usual order, as
    (label longitude, label latitude, p-code): one query joined on the queryset as a
    subquery, so that it does not grow with the number of activities (a list of their
    ids made SQLite refuse "too many SQL variables" past a few hundred thousand)."""
    through = Activity.locations.through
    ordering = [f"adminunit__{field}" for field in AdminUnit._meta.ordering or []]
    rows = (
        through.objects.filter(activity__in=queryset.order_by().values("pk"))
        .order_by("activity_id", *ordering)
        .values_list("activity_id", "adminunit__label_lon", "adminunit__label_lat",
                     "adminunit__pcode")
    )  # fmt: skip
    found: dict[int, list[tuple[float | None, float | None, str]]] = {}
    for activity, lon, lat, pcode in rows.iterator(chunk_size=5000):
        found.setdefault(activity, []).append((lon, lat, pcode))
    return found


def activity_table(
    viewer, queryset, labels: bool = False
) -> tuple[list[str], list[str], list[list]]:
    """Header, HXL hashtags and rows of a 5W export, as the viewer may take them.

    The identifier (`#meta+id`) is the activity's source id, or "kafo:<id>" for one made
    in Kafo, and the p-codes of its admin units close each row (`#adm+code`), so that
    an export imports back as updates.
    """
    header, hashtags, rows = activity_rows(viewer, queryset, labels)
    return header, hashtags, list(rows)


def activity_rows(viewer, queryset, labels: bool = False, chunk_size: int = 2000):
    """`activity_table` with its rows read from the database `chunk_size` at a time (in
    the queryset's order), each chunk's admin units in one query: an export of any size
    in constant memory."""
    columns, cells = disclosed_rows(viewer, queryset, list(ACTIVITY_COLUMNS))
    header = people_header(Activity, [*columns, "pcodes"], {"pcodes": _("P-codes")})
    hashtags = [ACTIVITY_COLUMNS[c] for c in columns] + ["#adm+code"]
    source_at = columns.index("source_id") if "source_id" in columns else None
    through = Activity.locations.through
    unit_order = [f"adminunit__{field}" for field in AdminUnit._meta.ordering or []]

    def rows():
        for chunk in _chunks(cells, chunk_size):
            places: dict[int, list[str]] = {}
            for activity, pcode in (
                through.objects.filter(activity_id__in=[pk for pk, _row in chunk])
                .order_by("activity_id", *unit_order)
                .values_list("activity_id", "adminunit__pcode")
            ):  # fmt: skip
                places.setdefault(activity, []).append(pcode)
            table = [row for _pk, row in chunk]
            if source_at is not None:
                for pk, row in chunk:
                    row[source_at] = row[source_at] or f"kafo:{pk}"
            if labels:  # for people: labels, not codes (HXL keeps the codes it is matched on)
                table = people_values(Activity, columns, table)
            for (pk, _row), row in zip(chunk, table, strict=True):
                yield [*row, " ".join(places.get(pk, []))]

    return header, hashtags, rows()


def _chunks(items, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def activity_pcodes(queryset) -> set[str]:
    """Every p-code the activities of `queryset` name: one query, however many."""
    through = Activity.locations.through
    return set(
        through.objects.filter(activity__in=queryset.order_by().values("pk"))
        .values_list("adminunit__pcode", flat=True)
        .distinct()
    )
