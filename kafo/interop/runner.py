"""Running an uploaded import in the background, so the page can show its progress."""

from pathlib import Path

from django.utils.translation import gettext as _

from kafo.interop.iati_import import import_iati
from kafo.interop.importers import IMPORTERS
from kafo.interop.models import BatchStatus, ImportBatch
from kafo.web import background


def _run(batch_pk: int, source, user, accept_valid: bool, language: str) -> None:
    from django.utils import translation

    batch = ImportBatch.objects.get(pk=batch_pk)
    try:
        with translation.override(language):
            importer = import_iati if batch.kind == "iati" else IMPORTERS[batch.kind]
            importer(source, user=user, accept_valid=accept_valid, batch=batch)
    finally:
        if isinstance(source, Path):
            source.unlink(missing_ok=True)


def start(batch: ImportBatch, source, user, *, accept_valid: bool, language: str) -> None:
    """Run the batch's import now (tests, `KAFO_IMPORTS_IN_BACKGROUND=0`) or in a thread."""

    def failed(error: Exception) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, file_error=_("the import stopped: %s") % error
        )

    background.run(lambda: _run(batch.pk, source, user, accept_valid, language),
                   f"import-{batch.pk}", failed)  # fmt: skip


def settle(batch: ImportBatch) -> ImportBatch:
    """A running batch whose process stopped (a server restart, a killed command) is
    marked failed with the reason. Its writes were one transaction: nothing was kept."""
    background.settle(batch, running=BatchStatus.RUNNING, failed=BatchStatus.FAILED,
                      field="file_error", reason=_(
        "interrupted: the process running the import stopped (a server restart?) "
        "before the end; nothing was written, import the file again"))  # fmt: skip
    return batch
