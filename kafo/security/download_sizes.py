"""The size of a download, shown on its link before it is asked for: on a 2G link a
person decides whether to take a 20 MB file.

A file made at the request (a filtered list's CSV, a report's PDF) has no size until it
is made. Each one made is measured on its way out (`DownloadSizeMiddleware`): its bytes
per row, for its view and format, are kept in the shared cache. A link then shows
"≈ size" for its rows; before any has been made, a typical figure per format. Files
already written (a task's export, a form template) show their exact size.
"""

import re

from django.core.cache import cache
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

# Typical bytes per row (per document for reports) before any file was measured.
TYPICAL_BYTES = {"csv": 180, "hxl": 200, "xlsx": 90, "geojson": 350, "gpkg": 400,
                 "json": 2_000, "docx": 40_000, "pdf": 150_000, "ods": 90}  # fmt: skip
OVERHEAD = {"xlsx": 6_000, "gpkg": 100_000, "docx": 0, "pdf": 0}
KEEP_SECONDS = 90 * 86_400


def _key(view: str, fmt: str) -> str:
    return f"kafo-download-size:{view}:{fmt}"


def note(request, fmt: str, rows: int) -> None:
    """Say that this request answers a file of `rows` rows in `fmt` (called by the
    export helpers): the middleware measures it on the way out."""
    request.kafo_download = (fmt, max(int(rows), 0))


def record(view: str, fmt: str, rows: int, size: int) -> None:
    """Keep the bytes per row of a file just made by `view` in `fmt`."""
    overhead = OVERHEAD.get(fmt, 300)
    per_row = max(size - overhead, 0) / rows if rows else 0
    cache.set(_key(view, fmt), {"per_row": per_row, "overhead": min(size, overhead)},
              KEEP_SECONDS)  # fmt: skip


def estimate(view: str, fmt: str, rows: int) -> int:
    """The expected size in bytes of `view`'s file in `fmt` with `rows` rows."""
    measured = cache.get(_key(view, fmt))
    if measured:
        return round(measured["overhead"] + measured["per_row"] * rows)
    return OVERHEAD.get(fmt, 300) + TYPICAL_BYTES.get(fmt, 200) * rows


def size_label(size: int, exact: bool = False) -> str:
    """ "(1,2 Mo)" for an exact size, "(≈ 1,2 Mo)" for an expected one."""
    # "5,0 Kio" reads as "5 Kio" (Django's filesizeformat keeps one decimal always).
    shown = re.sub(r"[.,]0(?=\s)", "", str(filesizeformat(size)))
    return format_html("<small class=\"size\">({})</small>",
                       shown if exact else _("≈ %s") % shown)  # fmt: skip


class DownloadSizeMiddleware:
    """Measures each file made at the request (see `note`) as it goes out, streamed or
    not, and keeps its bytes per row."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        noted = getattr(request, "kafo_download", None)
        match = getattr(request, "resolver_match", None)
        if noted is None or match is None or response.status_code != 200:
            return response
        if "attachment" not in response.get("Content-Disposition", ""):
            return response
        fmt, rows = noted
        view = match.view_name
        if not response.streaming:
            record(view, fmt, rows, len(response.content))
            return response

        def counted(chunks):
            size = 0
            for chunk in chunks:
                size += len(chunk)
                yield chunk
            record(view, fmt, rows, size)  # once the whole file went out

        response.streaming_content = counted(response.streaming_content)
        return response
