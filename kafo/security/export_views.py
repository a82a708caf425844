"""The exports written by a task: their page (progress, then the download), for the one
who asked for them only."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from kafo.security.exports import XLSX
from kafo.security.models import ExportFile, ExportStatus
from kafo.tasks.state import queue_state

CONTENT_TYPES = {"xlsx": XLSX, "gpkg": "application/geopackage+sqlite3"}


def _export_for(request: HttpRequest, pk) -> ExportFile:
    # Another person's export is not found: its existence is not theirs to know.
    export = ExportFile.objects.filter(pk=pk, owner_id=request.user.pk).first()
    if export is None:
        raise Http404(_("No such export (an export is kept %(hours)s hours).")
                      % {"hours": _keep_hours()})  # fmt: skip
    return export


def _keep_hours() -> int:
    return settings.KAFO_EXPORT_KEEP_HOURS


def _context(export: ExportFile) -> dict:
    waiting = export.status in (ExportStatus.WAITING, ExportStatus.RUNNING)
    return {"export": export, "keep_hours": _keep_hours(),
            "queue": queue_state(export.task_id) if waiting else None,
            "waiting": waiting}  # fmt: skip


def export_file(request: HttpRequest, pk) -> HttpResponse:
    """An export being written: its progress; once written, its download."""
    return render(request, "security/export_file.html", _context(_export_for(request, pk)))


def export_progress(request: HttpRequest, pk) -> HttpResponse:
    """The progress bar (htmx polls it); once the file is written the page reloads."""
    export = _export_for(request, pk)
    response = render(request, "security/_export_progress.html", _context(export))
    if export.status not in (ExportStatus.WAITING, ExportStatus.RUNNING):
        response["HX-Refresh"] = "true"
    return response


def export_download(request: HttpRequest, pk) -> HttpResponseBase:
    """The written file, as an attachment."""
    export = _export_for(request, pk)
    path = export.path()
    if export.status != ExportStatus.DONE or not path.exists():
        raise Http404(_("This export has no file (yet, or any more)."))
    name = f"kafo-{export.what}-{export.created_at:%Y%m%d-%H%M}.{export.format}"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name,
                        content_type=CONTENT_TYPES.get(export.format))  # fmt: skip
