"""HXL exports from the command line, through the same disclosure layer as the web."""

import json
from collections.abc import Callable
from dataclasses import dataclass

import shapely.geometry
from django.db.models import QuerySet

from kafo.actors.hxl import ORGANISATION_COLUMNS
from kafo.actors.models import Organisation, Role
from kafo.funding.hxl import TRANSACTION_COLUMNS
from kafo.funding.models import Transaction
from kafo.interop.records import EXTRA_COLUMNS
from kafo.mineaction.kinds import KINDS
from kafo.response.hxl import ACTIVITY_COLUMNS, NEED_COLUMNS, activity_table
from kafo.response.models import Activity, Need
from kafo.security.disclosure import Audience, disclosed_table
from kafo.security.exports import column_label


@dataclass(frozen=True)
class HxlExport:
    queryset: Callable[[], QuerySet]
    columns: dict[str, str]
    label: Callable[[str], str]
    cell: Callable[[str, object], object] = lambda _column, value: value


def _record_cell(column: str, value):
    """A record's value as its importer reads it back: lists joined by ";", a polygon
    (stored as GeoJSON) as WKT."""
    if isinstance(value, list):
        return "; ".join(str(part) for part in value)
    if column == "geometry" and value:
        return shapely.geometry.shape(json.loads(value)).wkt
    return value


def _kinds() -> dict[str, HxlExport]:

    kinds = {
        "activities": HxlExport(lambda: Activity.objects.order_by("pk"), ACTIVITY_COLUMNS, str),
        "organisations": HxlExport(
            lambda: Organisation.objects.order_by("name"), ORGANISATION_COLUMNS, str
        ),
        "needs": HxlExport(
            lambda: Need.objects.order_by("year", "admin_unit__pcode", "sector"),
            NEED_COLUMNS,
            lambda column: str(Need._meta.get_field(column.split("__")[0]).verbose_name),
        ),
        "transactions": HxlExport(
            lambda: Transaction.objects.order_by("date"), TRANSACTION_COLUMNS, str
        ),
    }

    for name, code in (("hazards", "hazard"), ("incidents", "accident")):
        kind = KINDS[code]
        # Every value its importer reads, so that an export imports back whole.
        extra = {f: tag for f, tag in EXTRA_COLUMNS[code].items() if f not in kind.columns}
        kinds[name] = HxlExport(
            lambda kind=kind: kind.model.objects.order_by("reference"),
            {**kind.columns, **extra},
            lambda column, kind=kind: column_label(kind.model, column),
            _record_cell,
        )
    return kinds


AUDIENCES = {
    "public": Audience(),
    "partners": Audience(role=Role.PARTNER_VIEWER),
    "national": Audience(role=Role.COORDINATOR),
}


def export_kinds() -> list[str]:
    return sorted(_kinds())


def hxl_table(kind: str, audience: Audience) -> tuple[list[str], list[str], list[list]]:
    """Header, hashtags and rows of a kind, as this audience may take them."""
    if kind == "activities":
        return activity_table(audience, Activity.objects.order_by("pk"))
    export = _kinds()[kind]
    columns, rows = disclosed_table(audience, export.queryset(), list(export.columns))
    rows = [[export.cell(c, v) for c, v in zip(columns, row, strict=True)] for row in rows]
    return [export.label(c) for c in columns], [export.columns[c] for c in columns], rows
