"""Exported files: each one logged, and stamped with who exported it and when.

Every export in Kafo (CSV, HXL, GeoJSON, JSON) is built with these helpers, after
`kafo.security.disclosure` has chosen the rows and columns the person may take.
"""

import csv
import functools
import io
import itertools
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kafo.geo.hxl import admin_level_columns
from kafo.security import audit, download_sizes
from kafo.security.models import Action, AuditEvent, ExportFile


def log_export(request: HttpRequest, what: str, count: int, fmt: str) -> AuditEvent:
    """The audit line of an export; the file's size is measured as it goes out
    (kafo.security.download_sizes)."""
    download_sizes.note(request, fmt, count)
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
    rows: Iterable[Sequence],
    hashtags: Sequence[str] | None = None,
    *,
    count: int | None = None,
    pcodes: set[str] | None = None,
) -> HttpResponseBase:
    """A CSV (UTF-8 with BOM, for Excel): the header first, the stamp on the last line.
    `?excel=fr` gives French Excel's CSV (semicolons, decimal commas).

    With `hashtags`, the file is HXL: the hashtag row follows the header, and the stamp
    stays above the header, where HXL tools skip it as any title row (below the rows,
    they would read it as data).

    `rows` as a list: one response. As an iterator: the file is streamed as the rows
    come, in constant memory; `count` (the rows logged) is then needed, and for HXL
    `pcodes`, every p-code the rows may name (see `write_table`).
    """
    if count is None:
        rows = list(rows)
        count = len(rows)
    event = log_export(request, what, count, "hxl" if hashtags else "csv")
    french_excel = request.GET.get("excel") == "fr" and not hashtags
    extension = "hxl.csv" if hashtags else "csv"
    disposition = f'attachment; filename="{_filename(what, extension)}"'
    if isinstance(rows, list):
        buffer = io.StringIO()
        write_table(buffer, event, header, rows, hashtags, french_excel=french_excel)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = disposition
        return response
    lines = _Lines()
    written = (
        text
        for _step in _write_rows(lines, event, header, rows, hashtags, french_excel, pcodes)
        for text in lines.take()
    )
    streamed = StreamingHttpResponse(
        _encoded(itertools.chain(["\ufeff"], written)), content_type="text/csv; charset=utf-8"
    )
    streamed["Content-Disposition"] = disposition
    return streamed


class _Lines:
    """A stream `csv.writer` writes to, whose lines are taken as they come."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.append(text)

    def take(self) -> list[str]:
        taken, self.lines = self.lines, []
        return taken


def write_table(stream, event: AuditEvent, header, rows, hashtags=None, *,
                french_excel: bool = False, pcodes: set[str] | None = None) -> None:  # fmt: skip
    """Write a table as CSV: the header first and the stamp on the last line, so that
    Excel's first row is the header; HXL (with `hashtags`): the stamp, the header, the
    hashtag row, the rows. `french_excel`: semicolons and decimal commas.

    HXL's admin units go in one column per level (kafo.geo.hxl), read from `pcodes` when
    given (else from the rows, which are then read whole first)."""
    for _step in _write_rows(stream, event, header, rows, hashtags, french_excel, pcodes):
        pass


def _write_rows(stream, event, header, rows, hashtags, french_excel, pcodes):
    """`write_table`, one step per row: yields after each line written to `stream`."""
    if hashtags:
        if pcodes is None:
            rows = list(rows)
            code_at = list(hashtags).index("#adm+code") if "#adm+code" in hashtags else None
            pcodes = set() if code_at is None else {
                pcode for row in rows for pcode in str(row[code_at] or "").split()
            }  # fmt: skip
        header, hashtags, convert = admin_level_columns(list(header), list(hashtags), pcodes)
        writer = csv.writer(stream)
        writer.writerow([stamp_text(event)])
        writer.writerow([guarded(v) for v in header])
        writer.writerow(hashtags)
        yield
        for row in rows:
            writer.writerow([guarded(v) for v in convert(row)])
            yield
        return
    writer = csv.writer(stream, delimiter=";" if french_excel else ",")
    writer.writerow([guarded(v) for v in header])
    yield
    for row in rows:
        row = [guarded(v) for v in row]
        writer.writerow([_french_number(v) for v in row] if french_excel else row)
        yield
    writer.writerow([stamp_text(event)])
    yield


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guarded(value):
    """A text a spreadsheet would run as a formula ("=HYPERLINK(…)", "@SUM(…)", "+1+1"),
    prefixed with a quote as OWASP advises; numbers and other values unchanged. Kafo's
    importers take the quote off again."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS and value[:1]:
        return "'" + value
    return value


def unguarded(cell: str) -> str:
    """A cell as written before `guarded` ("'=SUM(…)" → "=SUM(…)"): what Kafo's importers
    read, so that an export imports back the same."""
    if cell[:1] == "'" and cell[1:2] and cell[1:2] in FORMULA_STARTS:
        return cell[1:]
    return cell


def _french_number(value):
    """A decimal number as French Excel reads it (a comma); anything else unchanged."""
    if isinstance(value, float | Decimal) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    return value


def geojson_response(request: HttpRequest, what: str, features: Iterable[dict]) -> HttpResponse:
    """A GeoJSON FeatureCollection with a `kafo_export` member carrying the stamp."""
    features = list(features)
    event = log_export(request, what, len(features), "geojson")
    document = {
        "type": "FeatureCollection",
        "kafo_export": _export_member(event),
        "features": features,
    }
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type="application/geo+json",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(what, "geojson")}"'
    return response


def _export_member(event: AuditEvent) -> dict:
    return {
        "exported_by": event.username,
        "organisation": event.organisation,
        "exported_at": event.at.isoformat(),
        "audit_reference": event.pk,
        "note": stamp_text(event),
    }


# The exports a task may write again, away from the request: name → builder(user,
# params) giving the same table the view gives (kafo.response registers the 5W's).
@dataclass(frozen=True)
class ExportTable:
    header: Sequence[str]
    rows: Iterable[Sequence]
    count: int
    hashtags: Sequence[str] | None = None


ExportBuilder = Callable[[Any, QueryDict], ExportTable]
EXPORT_BUILDERS: dict[str, ExportBuilder] = {}


def register_export(what: str, builder: ExportBuilder) -> None:
    """Let the export `what` be written by a task when too large for a request: `builder`
    gives its table for a user and the list's filters, through the disclosure layer."""
    EXPORT_BUILDERS[what] = builder


@dataclass(frozen=True)
class ExportLayer:
    """A map layer downloaded whole: `chunks` yields, a few thousand records at a time,
    how many records and their features (`in_chunks`); `count` is the records'."""

    chunks: Iterable[tuple[int, list[dict]]]
    count: int

    def features(self, records_done: Callable[[int], None] | None = None) -> Iterator[dict]:
        """Every feature, chunk after chunk; `records_done(records so far)` after each."""
        done = 0
        for records, features in self.chunks:
            yield from features
            done += records
            if records_done:
                records_done(done)


def in_chunks(records: Iterable, features_of: Callable[[list], list[dict]],
              size: int = 2000) -> Iterator[tuple[int, list[dict]]]:  # fmt: skip
    """`ExportLayer.chunks` of `records` (an iterator over the database, best), read
    `size` at a time: (how many, `features_of(them)`)."""
    records = iter(records)
    while chunk := list(itertools.islice(records, size)):
        yield len(chunk), features_of(chunk)


LayerBuilder = Callable[[Any, QueryDict], ExportLayer]
# The map layers a task may write as a GeoPackage: name → builder(user, params).
LAYER_BUILDERS: dict[str, LayerBuilder] = {}


def register_layer_export(what: str, builder: LayerBuilder) -> None:
    """Let the map layer `what` be written as a GeoPackage by a task when it has more
    than KAFO_EXPORT_ROWS_IN_REQUEST records: `builder` gives its layer for a user and
    the map's filters, through the disclosure layer."""
    LAYER_BUILDERS[what] = builder


def xlsx_response(
    request: HttpRequest,
    what: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    hashtags: Sequence[str] | None = None,
    *,
    count: int | None = None,
) -> HttpResponseBase:
    """An Excel workbook: the header, the HXL row when given and the rows on the first
    sheet; the stamp on a sheet of its own. Written by openpyxl's write-only mode to a
    temporary file, row by row, so that memory does not grow with the rows (`count`, the
    rows logged, is needed when `rows` is an iterator).

    A workbook cannot be sent before it is whole. Past KAFO_EXPORT_ROWS_IN_REQUEST rows
    (for an export registered with `register_export`), a task writes it, and the answer
    is the page of that file: its progress, then its download."""
    from django.http import FileResponse

    if count is None:
        rows = list(rows)
        count = len(rows)
    event = log_export(request, what, count, "xlsx")
    too_many = count > settings.KAFO_EXPORT_ROWS_IN_REQUEST
    if too_many and what in EXPORT_BUILDERS and request.user.is_authenticated:
        return _written_by_a_task(request, what, "xlsx", count, event)
    file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response)
    write_xlsx(file, what, header, rows, hashtags, event)
    file.seek(0)
    return FileResponse(file, content_type=XLSX, as_attachment=True,
                        filename=_filename(what, "xlsx"))  # fmt: skip


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_xlsx(
    file: Any, what: str, header: Sequence[str], rows: Iterable[Sequence],
    hashtags: Sequence[str] | None, event: AuditEvent,
    progress: Callable[[int], None] | None = None,
) -> int:  # fmt: skip
    """Write the workbook of `rows` to `file` (a path or a binary file), stamped with
    `event`; `progress(rows written)` is called every PROGRESS_EVERY rows. Returns the
    rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(what[:31])

    def cells(values):
        out = []
        for value in values:
            if isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(sheet, value)  # a text starting with "=": never run
                cell.data_type = "s"
                out.append(cell)
            else:
                out.append(value)
        return out

    sheet.append(cells(header))
    if hashtags:
        sheet.append(list(hashtags))
    written = 0
    for row in rows:
        sheet.append(cells(row))
        written += 1
        if progress and written % PROGRESS_EVERY == 0:
            progress(written)
    workbook.create_sheet(_("Export")[:31]).append([stamp_text(event)])
    workbook.save(file)
    return written


# How often (in rows) a task writing an export notes its progress.
PROGRESS_EVERY = 5000


def _written_by_a_task(request: HttpRequest, what: str, fmt: str, count: int,
                       event: AuditEvent) -> HttpResponseBase:  # fmt: skip
    # Here, not at the top: the task's module imports this one.
    from kafo.security.tasks import write_export

    owner = cast(User, request.user)  # an authenticated user (xlsx_response, layer_download)
    export = ExportFile.objects.create(owner=owner, what=what, format=fmt,
                                       query=request.GET.urlencode(), event=event,
                                       language=get_language() or settings.LANGUAGE_CODE,
                                       rows_total=count)  # fmt: skip
    result = write_export.enqueue(str(export.pk))
    ExportFile.objects.filter(pk=export.pk, task_id="").update(task_id=str(result.id))
    return redirect("export_file", export.pk)


def geopackage_response(request: HttpRequest, what: str, features: Iterable[dict],
                        count: int | None = None) -> HttpResponseBase:  # fmt: skip
    """A GeoPackage for QGIS (written by GDAL through pyogrio): one layer of the features,
    their properties as columns (numbers stay numbers), the stamp in the layer's metadata.

    Written in chunks of CHUNK features to a temporary file sent as it is read, so that
    memory does not grow with the layer. A column's type is read from the first chunk; a
    later value that does not fit it stops the export with the reason (never changed).
    `count`: the number of records logged (by default, the features with a geometry)."""
    if count is None:
        features = [f for f in features if f.get("geometry")]
        count = len(features)
    return _geopackage_file(what, features, log_export(request, what, count, "gpkg"))


def _geopackage_file(what: str, features: Iterable[dict], event: AuditEvent) -> HttpResponseBase:
    from django.http import FileResponse

    folder = tempfile.TemporaryDirectory()
    path = f"{folder.name}/{what}.gpkg"
    write_geopackage(path, what, features, stamp_text(event))
    file = open(path, "rb")  # noqa: SIM115 (closed by the response)
    folder.cleanup()  # the open file stays readable until the response closes it (POSIX)
    return FileResponse(file, content_type="application/geopackage+sqlite3",
                        as_attachment=True, filename=_filename(what, "gpkg"))  # fmt: skip


CHUNK = 5000


def write_geopackage(path: Any, what: str, features: Iterable[dict], stamp: str) -> int:
    """Write the layer `what` of `features` (those with a geometry) to the GeoPackage
    `path`, CHUNK at a time, `stamp` in its metadata; returns the features written."""

    import numpy as np
    import shapely
    import shapely.geometry
    from pyogrio.raw import write

    located = (f for f in features if f.get("geometry"))
    names: list[str] | None = None
    numeric: list[bool] = []
    written = 0
    while chunk := list(itertools.islice(located, CHUNK)):
        if names is None:
            names = sorted({key for f in chunk for key in (f.get("properties") or {})})
            numeric = [all(_is_number(v) or v is None for v in _column(chunk, name))
                       for name in names]  # fmt: skip
        columns = []
        for name, is_number in zip(names, numeric, strict=True):
            values = _column(chunk, name)
            if is_number:
                if not all(_is_number(v) or v is None for v in values):
                    raise ValueError(f"{what}: column {name} holds numbers, then a text")
                columns.append(np.array([np.nan if v is None else v for v in values],
                                        dtype=np.float64))  # fmt: skip
            else:
                columns.append(np.array(["" if v is None else _text(v) for v in values],
                                        dtype=object))  # fmt: skip
        geometry = shapely.to_wkb([shapely.geometry.shape(f["geometry"]) for f in chunk])
        write(path, np.asarray(geometry, dtype=object), columns, names, layer=what[:60],
              driver="GPKG", crs="EPSG:4326", geometry_type="Unknown", append=written > 0,
              layer_metadata={"kafo_export": stamp})  # fmt: skip
        written += len(chunk)
    if names is None:  # no feature: an empty layer all the same
        write(
            path,
            np.asarray([], dtype=object),
            [],
            [],
            layer=what[:60],
            driver="GPKG",
            crs="EPSG:4326",
            geometry_type="Unknown",
            layer_metadata={"kafo_export": stamp},
        )
    return written


def _column(chunk: list[dict], name: str) -> list:
    return [(f.get("properties") or {}).get(name) for f in chunk]


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def layer_download(
    request: HttpRequest, what: str, wanted: str, layer: ExportLayer
) -> HttpResponseBase:
    """A map layer downloaded whole, in constant memory: `?download=gpkg` a GeoPackage,
    else a GeoJSON streamed feature by feature (`layer.count` records logged).

    A GeoPackage cannot be sent before it is whole. Past KAFO_EXPORT_ROWS_IN_REQUEST
    records (for a layer registered with `register_layer_export`), a task writes it, and
    the answer is the page of that file: its progress, then its download."""
    if wanted != "gpkg":
        return geojson_stream_response(request, what, layer.features(), layer.count)
    event = log_export(request, what, layer.count, "gpkg")
    too_many = layer.count > settings.KAFO_EXPORT_ROWS_IN_REQUEST
    if too_many and what in LAYER_BUILDERS and request.user.is_authenticated:
        return _written_by_a_task(request, what, "gpkg", layer.count, event)
    return _geopackage_file(what, layer.features(), event)


def geojson_stream_response(request: HttpRequest, what: str, features: Iterable[dict],
                            count: int) -> StreamingHttpResponse:  # fmt: skip
    """The stamped GeoJSON of `geojson_response`, written feature by feature as the
    features come (`count` records logged)."""
    event = log_export(request, what, count, "geojson")
    head = json.dumps({"type": "FeatureCollection", "kafo_export": _export_member(event)},
                      cls=DjangoJSONEncoder, ensure_ascii=False)  # fmt: skip

    def body():
        yield head[:-1] + ', "features": ['
        separator = ""
        for feature in features:
            yield separator + json.dumps(feature, cls=DjangoJSONEncoder, ensure_ascii=False)
            separator = ",\n"
        yield "]}"

    response = StreamingHttpResponse(_encoded(body()), content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{_filename(what, "geojson")}"'
    return response


def _encoded(parts: Iterable[str], size: int = 64 * 1024):
    """Text parts as UTF-8 chunks of about `size` bytes (not one write per row)."""
    buffered: list[str] = []
    length = 0
    for part in parts:
        buffered.append(part)
        length += len(part)
        if length >= size:
            yield "".join(buffered).encode()
            buffered, length = [], 0
    if buffered:
        yield "".join(buffered).encode()


def _text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           cls=DjangoJSONEncoder)  # fmt: skip


def _announce_download_sizes(request: HttpRequest, response: HttpResponse) -> None:
    """The expected sizes of the layer's downloads, for the map's download links:
    `X-Kafo-Download-Sizes: geojson=…; gpkg=…` (bytes; the labels come from the page)."""
    try:
        shown = json.loads(response.content)
    except ValueError:
        return
    records = (shown.get("kafo_shown") or {}).get("records", len(shown.get("features", [])))
    view = request.resolver_match.view_name if request.resolver_match else ""
    response["X-Kafo-Download-Sizes"] = "; ".join(
        f"{fmt}={download_sizes.estimate(view, fmt, records)}" for fmt in ("geojson", "gpkg")
    )


def downloadable(what: str | Callable[..., str]):
    """A map layer view (answering a GeoJSON FeatureCollection) that also downloads:
    `?download=geojson` (or 1) a stamped GeoJSON, `?download=gpkg` a GeoPackage; each
    logged as an export. `what` names the file (or is called with the view's arguments)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            wanted = request.GET.get("download", "")
            if not wanted and response.status_code == 200 and not response.streaming:
                _announce_download_sizes(request, response)
            if (
                not wanted
                or response.status_code != 200
                or response.has_header("Content-Disposition")
            ):
                return response
            features = json.loads(response.content).get("features", [])
            name = what(*args, **kwargs) if callable(what) else what
            if wanted == "gpkg":
                return geopackage_response(request, name, features)
            return geojson_response(request, name, features)

        return wrapped

    return decorate


def field_at(model, path: str):
    """The field a column path ("organisation__name") ends on."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def column_label(model, path: str) -> str:
    """A column's label: the field's name, with the linked field's in brackets."""
    first = str(model._meta.get_field(path.split("__")[0]).verbose_name)
    if "__" not in path:
        return first
    return f"{first} ({field_at(model, path).verbose_name})"


def people_header(model, columns: Sequence[str], extra: dict[str, str] | None = None):
    """The header people read: each field's name in the current language, the linked
    field's in brackets ("Organisation (acronym)"); `extra` names columns of no field."""
    extra = extra or {}
    names = []
    for path in columns:
        if path in extra:
            names.append(str(extra[path]))
            continue
        first = str(model._meta.get_field(path.split("__")[0]).verbose_name)
        if "__" in path:
            first = f"{first} ({field_at(model, path).verbose_name})"
        names.append(first[:1].upper() + first[1:])
    return names


def people_values(model, columns: Sequence[str], rows: Sequence[Sequence]) -> list[list]:
    """The rows as people read them (not for HXL, which keeps the codes machines match):
    a coded choice becomes its label, a yes/no field "yes" or "no"."""
    convert = people_converter(model, columns)
    return [convert(row) for row in rows]


def people_converter(model, columns: Sequence[str]) -> Callable[[Sequence], list]:
    """`people_values` for one row at a time, the labels looked up once: for a stream."""
    from django.db import models as fields

    labels: list[dict | None] = []
    for path in columns:
        try:
            field = field_at(model, path)
        except Exception:  # a column of no field (e.g. p-codes): kept as it is
            labels.append(None)
            continue
        if field.choices:
            labels.append({code: str(label) for code, label in field.flatchoices})
        elif isinstance(field, fields.BooleanField):
            labels.append({True: _("yes"), False: _("no")})
        else:
            labels.append(None)

    def convert(row: Sequence) -> list:
        return [value if names is None else names.get(value, value)
                for value, names in zip(row, labels, strict=False)]  # fmt: skip

    return convert
