"""The security's tasks: personal data past its retention anonymised; the exports too
large for a request written, and removed once past KAFO_EXPORT_KEEP_HOURS."""

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kafo.security.exports import (
    EXPORT_BUILDERS,
    LAYER_BUILDERS,
    stamp_text,
    write_geopackage,
    write_xlsx,
)
from kafo.security.models import ExportFile, ExportStatus
from kafo.security.personal import apply_retention as anonymise_expired
from kafo.tasks.jobs import Retry, job


@job(retry=Retry(attempts=3, backoff=300), queue="periodic")
def apply_retention() -> dict[str, int]:
    """Anonymise what the retention rules say is past its time (retried: it only
    anonymises what is still there)."""
    return {str(model): count for model, count in anonymise_expired().items()}


def _fail(export_pk: str, reason: str) -> str:
    ExportFile.objects.filter(pk=export_pk).exclude(status=ExportStatus.DONE).update(
        status=ExportStatus.FAILED, error=reason, finished_at=timezone.now()
    )
    return ExportStatus.FAILED


def _given_up(args: list, kwargs: dict, error: BaseException | None) -> None:
    export_pk = args[0] if args else kwargs["export_pk"]
    if error is None:
        reason = _("the worker writing the file stopped (a restart, a crash); export again")
    else:
        reason = _("the file could not be written: %s") % error
    _fail(export_pk, reason)
    for fmt in BUILDERS:
        _partial(export_pk, fmt).unlink(missing_ok=True)


# The formats a task writes, and where it finds their builders.
BUILDERS: dict[str, dict[str, Any]] = {"xlsx": EXPORT_BUILDERS, "gpkg": LAYER_BUILDERS}


def _partial(export_pk: str, fmt: str) -> Path:
    # The format's extension last: GDAL knows a GeoPackage by it.
    return Path(settings.KAFO_EXPORT_DIR) / f"{export_pk}.partial.{fmt}"


@job(retry=Retry(attempts=2, backoff=10), given_up=_given_up, queue="exports")
def write_export(export_pk: str) -> str:
    """Write the export file `export_pk` as its owner may read the rows today (the
    disclosure layer applies as in the request), noting the rows written as it goes.
    Run again after an interruption, it starts the file over. Returns its status."""
    export = ExportFile.objects.select_related("owner", "event").filter(pk=export_pk).first()
    if export is None:
        raise ValueError(_("export %s no longer exists") % export_pk)
    if export.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return export.status
    if not export.owner.is_active:
        return _fail(export_pk, _("the account that asked for it was deactivated meanwhile"))
    builder = BUILDERS.get(export.format, {}).get(export.what)
    if builder is None:
        return _fail(export_pk, _("this export cannot be written by a task: %s")
                     % f"{export.what}.{export.format}")  # fmt: skip
    ExportFile.objects.filter(pk=export_pk).update(status=ExportStatus.RUNNING, rows_done=0)
    folder = Path(settings.KAFO_EXPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    partial = _partial(export_pk, export.format)
    partial.unlink(missing_ok=True)  # a file begun before an interruption starts over

    def progress(done: int) -> None:
        ExportFile.objects.filter(pk=export_pk).update(rows_done=done)

    with translation.override(export.language):
        made = builder(export.owner, QueryDict(export.query))
        if export.format == "gpkg":
            write_geopackage(partial, export.what, made.features(progress),
                             stamp_text(export.event))  # fmt: skip
            written = made.count
        else:
            written = write_xlsx(partial, export.what, made.header, made.rows, made.hashtags,
                                 export.event, progress)  # fmt: skip
    partial.replace(export.path())
    ExportFile.objects.filter(pk=export_pk).update(
        status=ExportStatus.DONE, rows_done=written, finished_at=timezone.now()
    )
    return ExportStatus.DONE


@job(retry=Retry(attempts=3, backoff=300), queue="periodic")
def remove_old_exports() -> int:
    """Remove the export files (and their records) older than KAFO_EXPORT_KEEP_HOURS,
    and files of the folder that no record names. Returns how many files went."""
    since = timezone.now() - datetime.timedelta(hours=settings.KAFO_EXPORT_KEEP_HOURS)
    ExportFile.objects.filter(created_at__lt=since).delete()
    folder = Path(settings.KAFO_EXPORT_DIR)
    if not folder.is_dir():
        return 0
    kept = {str(pk) for pk in ExportFile.objects.values_list("pk", flat=True)}
    removed = 0
    for path in folder.iterdir():
        stem = path.name.split(".", 1)[0]
        old = path.is_file() and path.stat().st_mtime < since.timestamp()
        if old and stem not in kept:  # a file being written now is never old
            path.unlink(missing_ok=True)
            removed += 1
    return removed
