"""Running an import as one batch: read, check every row, then write all or nothing
(or only the valid rows when asked), keeping each rejected row whole with its reasons."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from kafo.interop.hxl import HxlError, HxlTable, read_hxl
from kafo.interop.models import BatchStatus, ImportBatch, RejectedRow


@dataclass
class RowResult:
    """One checked row: the values to write, or the reasons it cannot be."""

    number: int
    values: dict = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)

    def error(self, table: HxlTable, column: int | None, value: str, reason: str) -> None:
        label = table.label(column) if column is not None else ""
        self.errors.append({"column": label, "value": value, "reason": reason})


def run_batch(
    kind: str,
    path: Path | str,
    check: Callable[[HxlTable], Callable[[int, list[str]], RowResult]],
    write: Callable[[ImportBatch, list[RowResult]], None],
    *,
    user=None,
    accept_valid: bool = False,
) -> ImportBatch:
    """`check(table)` gives the row checker; `write(batch, results)` writes the valid rows
    and counts `created`/`updated`. A file that cannot be read is a failed batch."""
    path = Path(path)
    batch = ImportBatch(kind=kind, filename=path.name[:255], created_by=user)
    try:
        table = read_hxl(path)
    except FileNotFoundError:
        table, batch.file_error = None, _("no file %s") % path
    except (HxlError, OSError) as error:
        table, batch.file_error = None, str(error)
    if table is None:
        batch.status = BatchStatus.FAILED
        batch.save()
        return batch
    check_row = check(table)
    numbered = [
        (table.first_row + i, row)
        for i, row in enumerate(table.rows)
        if any(c.strip() for c in row)
    ]
    results = [check_row(number, row) for number, row in numbered]
    rejected = [(result, row) for result, (_n, row) in zip(results, numbered, strict=True)
                if result.errors]  # fmt: skip
    batch.rejected = len(rejected)
    with transaction.atomic():
        if rejected and not accept_valid:
            batch.status = BatchStatus.REJECTED
        else:
            batch.accepted = len(results) - len(rejected)
            batch.status = BatchStatus.PARTIAL if rejected else BatchStatus.IMPORTED
            write(batch, [result for result in results if not result.errors])
        batch.save()
        labels = [table.label(i) for i in range(len(table.hashtags))]
        RejectedRow.objects.bulk_create(
            RejectedRow(batch=batch, row=result.number, errors=result.errors,
                        values=dict(zip(labels, row, strict=False)))
            for result, row in rejected
        )  # fmt: skip
    return batch
