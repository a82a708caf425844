"""Running an uploaded import in the background, so the page can show its progress."""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from kafo import background
from kafo.interop.iati_import import import_iati
from kafo.interop.importers import IMPORTERS
from kafo.interop.models import BatchStatus, ImportBatch


def _run(batch_pk: int, source, user, accept_valid: bool, language: str) -> None:
    from django.utils import translation

    batch = ImportBatch.objects.get(pk=batch_pk)
    try:
        with translation.override(language):
            importer = import_iati if batch.kind == "iati" else IMPORTERS[batch.kind]
            options = dict(batch.options)
            if not isinstance(source, Path):
                options.pop("sheet", None)  # corrected rows are a table, not a workbook
            importer(source, user=user, accept_valid=accept_valid, batch=batch, **options)
    finally:
        if isinstance(source, Path):
            source.unlink(missing_ok=True)


def stop_reason(error: Exception) -> str:
    """Why an import stopped, for its page: the database is not the file's fault."""
    from django.db import DatabaseError

    if isinstance(error, DatabaseError):
        reason = _("the database could not be reached during the import (%s): nothing was "
                   "written; import the file again once it answers")  # fmt: skip
        return reason % type(error).__name__
    return _("the import stopped: %s") % error


def start(batch: ImportBatch, source, user, *, accept_valid: bool, language: str) -> None:
    """Run the batch's import now (tests, `KAFO_IMPORTS_IN_BACKGROUND=0`) or in a thread."""

    def failed(error: Exception) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, file_error=stop_reason(error)
        )

    background.run(lambda: _run(batch.pk, source, user, accept_valid, language),
                   f"import-{batch.pk}", failed)  # fmt: skip


def upload_folder() -> Path:
    """Where uploaded files wait for their import (each deleted once read)."""
    folder = Path(settings.KAFO_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_path(batch: ImportBatch, suffix: str) -> Path:
    """A batch's uploaded file, named after it."""
    return upload_folder() / f"batch-{batch.pk}{suffix}"


def settle(batch: ImportBatch) -> ImportBatch:
    """A running batch whose process stopped (a server restart, a killed command) is
    marked failed with the reason, and its uploaded file, which that process would have
    deleted, is deleted (it may hold sensitive rows). Its writes were one transaction:
    nothing was kept."""
    interrupted = background.settle(
        batch, running=BatchStatus.RUNNING, failed=BatchStatus.FAILED, field="file_error",
        reason=_("interrupted: the process running the import stopped (a server restart?) "
                 "before the end; nothing was written, import the file again"),
    )  # fmt: skip
    if interrupted:
        for left in upload_folder().glob(f"batch-{batch.pk}.*"):
            left.unlink(missing_ok=True)
    return batch
