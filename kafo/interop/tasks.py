"""Imports as background tasks: an uploaded file (or corrected rows) imported as its
batch, by a worker, while the batch's page shows the progress the task writes."""

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _

from kafo.interop.batches import table_of_rejected
from kafo.interop.hxl import HxlTable
from kafo.interop.iati_import import import_iati
from kafo.interop.importers import IMPORTERS
from kafo.interop.models import BatchStatus, ImportBatch
from kafo.tasks.jobs import Retry, job


def upload_folder() -> Path:
    """Where uploaded files wait for their import (each deleted once its batch is over)."""
    folder = Path(settings.KAFO_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_path(batch: ImportBatch, suffix: str) -> Path:
    """A batch's uploaded file, named after it."""
    return upload_folder() / f"batch-{batch.pk}{suffix}"


def _delete_upload(batch_pk: int) -> None:
    # It may hold sensitive rows: it goes once its batch is over, whatever the end.
    for left in upload_folder().glob(f"batch-{batch_pk}.*"):
        left.unlink(missing_ok=True)


def stop_reason(error: BaseException | None) -> str:
    """Why an import stopped, for its page: the database is not the file's fault."""
    if error is None:
        return _("interrupted: the worker running the import stopped (a restart, a crash) "
                 "and the import was tried as many times as it may be; nothing was "
                 "written, import the file again")  # fmt: skip
    if isinstance(error, DatabaseError):
        reason = _("the database could not be reached during the import (%s): nothing was "
                   "written; import the file again once it answers")  # fmt: skip
        return reason % type(error).__name__
    return _("the import stopped: %s") % error


def _fail(batch_pk: int, reason: str) -> None:
    ImportBatch.objects.filter(pk=batch_pk, status=BatchStatus.RUNNING).update(
        status=BatchStatus.FAILED, file_error=reason
    )
    _delete_upload(batch_pk)


def _given_up(args: list, kwargs: dict, error: BaseException | None) -> None:
    _fail(args[0] if args else kwargs["batch_pk"], stop_reason(error))


@job(retry=Retry(attempts=3, backoff=10), given_up=_given_up, queue="imports")
def run_import(
    batch_pk: int, *, path: str = "", corrected_from: int | None = None,
    rows: list[int] | None = None, user_pk: int | None = None, accept_valid: bool = False,
    language: str = "fr",
) -> str:  # fmt: skip
    """Import the batch's file at `path` (or the rows `rows` of the batch
    `corrected_from`, as corrected). Run again after an interruption, it starts over:
    the batch writes in one transaction, so nothing was kept; a batch already over is
    left as it is. Returns the batch's status."""
    batch = ImportBatch.objects.filter(pk=batch_pk).first()
    if batch is None:
        raise ValueError(_("import batch %s no longer exists") % batch_pk)
    if batch.status != BatchStatus.RUNNING:
        _delete_upload(batch_pk)
        return batch.status
    user = None
    if user_pk is not None:
        user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
        if user is None:
            _fail(batch_pk, _("the account that started the import was deleted or "
                              "deactivated meanwhile: nothing was imported"))  # fmt: skip
            return BatchStatus.FAILED
    source: Path | HxlTable
    if path:
        source = Path(path)
        if not source.exists():
            _fail(batch_pk, _("the uploaded file is no longer on the server (%s): nothing "
                              "was imported; send it again") % source.name)  # fmt: skip
            return BatchStatus.FAILED
    else:
        earlier = ImportBatch.objects.filter(pk=corrected_from or 0).first()
        kept = list(earlier.rejected_rows.filter(pk__in=rows or []).order_by("row")
                    if earlier else [])  # fmt: skip
        if earlier is None or not kept:
            _fail(batch_pk, _("the corrected rows are no longer there (their batch was "
                              "deleted?): nothing was imported"))  # fmt: skip
            return BatchStatus.FAILED
        source = table_of_rejected(earlier, kept)
    ImportBatch.objects.filter(pk=batch_pk).update(rows_done=0)
    with translation.override(language):
        importer: Callable[..., ImportBatch] = (
            import_iati if batch.kind == "iati" else IMPORTERS[batch.kind]
        )
        options = dict(batch.options)
        if not path:
            options.pop("sheet", None)  # corrected rows are a table, not a workbook
        importer(source, user=user, accept_valid=accept_valid, batch=batch, **options)
    _delete_upload(batch_pk)
    return ImportBatch.objects.get(pk=batch_pk).status
