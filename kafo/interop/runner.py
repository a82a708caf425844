"""Running an uploaded import in the background, so the page can show its progress."""

import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils.translation import gettext as _

from kafo.interop.iati_import import import_iati
from kafo.interop.importers import IMPORTERS
from kafo.interop.models import BatchStatus, ImportBatch

log = logging.getLogger(__name__)


def _run(batch_pk: int, source, user, accept_valid: bool, language: str) -> None:
    from django.utils import translation

    batch = ImportBatch.objects.get(pk=batch_pk)
    try:
        with translation.override(language):
            importer = import_iati if batch.kind == "iati" else IMPORTERS[batch.kind]
            importer(source, user=user, accept_valid=accept_valid, batch=batch)
    except Exception as error:  # a bug must not leave the batch running for ever
        log.exception("import batch %s failed", batch_pk)
        ImportBatch.objects.filter(pk=batch_pk).update(
            status=BatchStatus.FAILED, file_error=_("the import stopped: %s") % error
        )
    finally:
        if isinstance(source, Path):
            source.unlink(missing_ok=True)


def start(batch: ImportBatch, source, user, *, accept_valid: bool, language: str) -> None:
    """Run the batch's import now (tests, `KAFO_IMPORTS_IN_BACKGROUND=0`) or in a thread."""
    if not settings.KAFO_IMPORTS_IN_BACKGROUND:
        _run(batch.pk, source, user, accept_valid, language)
        return

    def work() -> None:
        close_old_connections()
        try:
            _run(batch.pk, source, user, accept_valid, language)
        finally:
            connections.close_all()

    threading.Thread(target=work, name=f"import-{batch.pk}", daemon=True).start()
