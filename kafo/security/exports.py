"""Exported files: each one logged, and stamped with who exported it and when.

Every export in Kafo (CSV, HXL, GeoJSON, JSON) is built with these helpers, after
`kafo.security.disclosure` has chosen the rows and columns the person may take.
"""

import csv
import io
import json
from collections.abc import Iterable, Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from kafo.geo.hxl import with_admin_levels
from kafo.security import audit
from kafo.security.models import Action, AuditEvent


def log_export(request: HttpRequest, what: str, count: int, fmt: str) -> AuditEvent:
    return audit.record(
        Action.EXPORT, request=request, object_type=what,
        changes={"rows": count, "format": fmt},
    )  # fmt: skip


def stamp_text(event: AuditEvent) -> str:
    """The line a file carries: who, organisation, when, and the audit reference."""
    who = event.username or _("anonymous")
    if event.organisation:
        who = f"{who} ({event.organisation})"
    when = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M %Z")
    return _("Exported from Kafo by %(who)s on %(when)s — audit reference %(ref)s") % {
        "who": who,
        "when": when,
        "ref": event.pk,
    }


def _filename(stem: str, extension: str) -> str:
    return f"kafo-{stem}-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def csv_response(
    request: HttpRequest,
    what: str,
    header: Sequence[str],
    rows: Sequence[Sequence],
    hashtags: Sequence[str] | None = None,
) -> HttpResponse:
    """A CSV (UTF-8 with BOM, for Excel) whose first line is the stamp.

    With `hashtags`, the file is HXL: the hashtag row follows the header; HXL tools
    skip the stamp line above the header as they skip any title row.
    """
    event = log_export(request, what, len(rows), "hxl" if hashtags else "csv")
    buffer = io.StringIO()
    write_table(buffer, event, header, rows, hashtags)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    extension = "hxl.csv" if hashtags else "csv"
    response["Content-Disposition"] = f'attachment; filename="{_filename(what, extension)}"'
    return response


def write_table(stream, event: AuditEvent, header, rows, hashtags=None) -> None:
    """Write the stamp line, the header, the hashtag row (HXL) and the rows as CSV."""
    if hashtags:
        header, hashtags, rows = with_admin_levels(list(header), list(hashtags), list(rows))
    writer = csv.writer(stream)
    writer.writerow([stamp_text(event)])
    writer.writerow(header)
    if hashtags:
        writer.writerow(hashtags)
    writer.writerows(rows)


def geojson_response(request: HttpRequest, what: str, features: Iterable[dict]) -> HttpResponse:
    """A GeoJSON FeatureCollection with a `kafo_export` member carrying the stamp."""
    features = list(features)
    event = log_export(request, what, len(features), "geojson")
    document = {
        "type": "FeatureCollection",
        "kafo_export": {
            "exported_by": event.username,
            "organisation": event.organisation,
            "exported_at": event.at.isoformat(),
            "audit_reference": event.pk,
            "note": stamp_text(event),
        },
        "features": features,
    }
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type="application/geo+json",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(what, "geojson")}"'
    return response


def xlsx_response(
    request: HttpRequest,
    what: str,
    header: Sequence[str],
    rows: Sequence[Sequence],
    hashtags: Sequence[str] | None = None,
) -> HttpResponse:
    """An Excel workbook: the stamp line, the header, the HXL row when given, the rows."""
    from openpyxl import Workbook

    event = log_export(request, what, len(rows), "xlsx")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = what[:31]
    sheet.append([stamp_text(event)])
    sheet.append(list(header))
    if hashtags:
        sheet.append(list(hashtags))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(what, "xlsx")}"'
    return response
