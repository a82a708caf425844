"""Running an import as one batch: read, check every row, then write all or nothing
(or only the valid rows when asked), keeping each rejected row whole with its reasons."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from kafo.actors.permissions import membership_of
from kafo.collector import collector_paused
from kafo.interop.hxl import Hashtag, HxlError, HxlTable, read_hxl
from kafo.interop.models import BatchStatus, ImportBatch, RejectedRow

# How often (in rows) the batch's progress is written for the progress bar.
PROGRESS_STEP = 500  # rows between two saves of the progress (a multiple of the next)
REPORT_EVERY = 100  # rows between two calls of the progress callback

Progress = Callable[[int, int], None]


class OptionError(ValueError):
    """An import option that cannot be used (a COD version not stored...): the batch
    fails with this message, nothing read."""


@dataclass(slots=True)
class RowResult:
    """One checked row: the values to write, or the reasons it cannot be."""

    number: int
    values: dict = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)

    def error(self, table: HxlTable, column: int | None, value: str, reason: str) -> None:
        label = table.label(column) if column is not None else ""
        self.errors.append({"column": label, "value": value, "reason": reason})


def table_of_rejected(batch: ImportBatch, rows: list[RejectedRow]) -> HxlTable:
    """The batch's rejected rows (as corrected) as a table, to import them again."""
    headers = [header for header, _tag in batch.columns]
    hashtags = [Hashtag.parse(tag) for _header, tag in batch.columns]
    table = HxlTable([headers], hashtags, [], first_row=0, numbers=[row.row for row in rows])
    # JSON objects do not keep key order in PostgreSQL: order values by the labels.
    labels = [table.label(i) for i in range(len(hashtags))]
    table.rows = [[str(row.values.get(label, "")) for label in labels] for row in rows]
    return table


def _progress_writer(batch: ImportBatch, progress: Progress | None) -> Progress:
    def report(done: int, total: int) -> None:
        if progress:
            progress(done, total)
        if batch.pk and (done % PROGRESS_STEP == 0 or done == total):
            ImportBatch.objects.filter(pk=batch.pk).update(rows_done=done, rows_total=total)

    return report


@collector_paused()
def run_batch(
    kind: str,
    source: Path | str | HxlTable,
    check: Callable[[HxlTable], Callable[[int, list[str]], RowResult]],
    write: Callable[[ImportBatch, list[RowResult]], None],
    *,
    user=None,
    accept_valid: bool = False,
    batch: ImportBatch | None = None,
    progress: Progress | None = None,
    sheet: str | None = None,
) -> ImportBatch:
    """`check(table)` gives the row checker; `write(batch, results)` writes the valid rows
    and counts `created`/`updated`. A file that cannot be read is a failed batch.

    `source` is a file or a table (corrected rows); `batch` an already saved running batch
    (a web upload) to complete; `progress(done, total)` is called as rows are checked;
    `sheet` names a workbook's sheet."""
    membership = membership_of(user)
    if batch is None:
        name = Path(source).name if isinstance(source, Path | str) else _("corrected rows")
        batch = ImportBatch(kind=kind, filename=name[:255])
    batch.created_by = user if getattr(user, "pk", None) else None
    batch.organisation_id = membership.organisation_id if membership else None
    batch.accept_valid = accept_valid
    table = source if isinstance(source, HxlTable) else None
    if table is None:
        try:
            table = read_hxl(Path(source), sheet=sheet)
        except FileNotFoundError:
            batch.file_error = _("no file %s") % source
        except (HxlError, OSError) as error:
            batch.file_error = str(error)
    if table is None:
        batch.status = BatchStatus.FAILED
        batch.save()
        return batch
    batch.columns = [[table.header(i), table.tag_text(i)] for i in range(len(table.hashtags))]
    report = _progress_writer(batch, progress)
    try:
        check_row = check(table)
    except OptionError as error:
        batch.status, batch.file_error = BatchStatus.FAILED, str(error)
        batch.save()
        return batch
    numbered = [
        (number, row) for number, row in zip(table.row_numbers(), table.rows, strict=True)
        if "".join(row).strip()  # a row of blank cells is no row
    ]  # fmt: skip
    if not numbered:  # a header and nothing under it: say so, rather than "0 imported"
        batch.status = BatchStatus.FAILED
        batch.file_error = _("the file has no data row under its hashtag row")
        batch.save()
        return batch
    results = []
    total = len(numbered)
    for done, (number, row) in enumerate(numbered, start=1):
        results.append(check_row(number, row))
        if done % REPORT_EVERY == 0 or done == total:
            report(done, total)
    rejected = [(result, row) for result, (_n, row) in zip(results, numbered, strict=True)
                if result.errors]  # fmt: skip
    # What the checker learnt of the whole file (names taken as close spellings, the COD
    # version the file seems to use...), for the report.
    checker = getattr(check_row, "__self__", None)
    batch.notes = checker.notes() if hasattr(checker, "notes") else []
    batch.rows_total = batch.rows_done = len(numbered)
    batch.rejected = len(rejected)
    with transaction.atomic():
        if rejected and not accept_valid:
            batch.status = BatchStatus.REJECTED
        else:
            batch.accepted = len(results) - len(rejected)
            batch.status = BatchStatus.PARTIAL if rejected else BatchStatus.IMPORTED
            write(batch, [result for result in results if not result.errors])
            if hasattr(checker, "used_columns"):
                written = [row for result, (_n, row) in zip(results, numbered, strict=True)
                           if not result.errors]  # fmt: skip
                _count_dropped(batch, table, written, checker.used_columns())
        batch.save()
        labels = [table.label(i) for i in range(len(table.hashtags))]
        # A rejected batch keeps its valid rows too (without reasons): sent again with the
        # corrected ones, the whole file is imported, not only what was corrected.
        kept = (
            [(result, row) for result, (_n, row) in zip(results, numbered, strict=True)]
            if batch.status == BatchStatus.REJECTED else rejected
        )  # fmt: skip
        RejectedRow.objects.bulk_create(
            RejectedRow(batch=batch, row=result.number, errors=result.errors,
                        values=dict(zip(labels, row, strict=False)))
            for result, row in kept
        )  # fmt: skip
    return batch


def _count_dropped(batch: ImportBatch, table: HxlTable, rows: list, used: set[int]) -> None:
    """The values of the written rows in columns no importer reads (untagged, or a
    hashtag Kafo does not keep) are not stored: the batch counts them and names the
    columns (a rejected row is kept whole)."""
    kafo_numbers = {
        index for index, tag in enumerate(table.hashtags) if tag and "x_kafo" in tag.attributes
    }  # Kafo's own row numbers in its exports: not the source's data
    dropped = {
        index: sum(1 for row in rows if index < len(row) and row[index].strip())
        for index in range(len(table.hashtags))
        if index not in used | kafo_numbers
    }
    dropped = {index: count for index, count in dropped.items() if count}
    batch.dropped = sum(dropped.values())
    if dropped:
        names = ", ".join(table.label(index) for index in dropped)
        batch.notes = [*batch.notes, {
            "count": batch.dropped,
            "reason": _("values not imported: their columns have no hashtag Kafo keeps (%s)")
            % names,
        }]  # fmt: skip


def print_report(stdout, batch: ImportBatch, *, as_json: bool) -> None:
    """A batch's report for the command line (JSON with stable keys, or a summary with
    the first 50 reasons); exits with 1 when nothing was imported."""
    report = batch.report()
    if as_json:
        stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        stdout.write(
            _("Batch %(batch)s: %(status)s. Accepted %(accepted)d (created %(created)d, "
              "updated %(updated)d), rejected %(rejected)d.")
            % {**report, "status": batch.get_status_display()}
        )  # fmt: skip
        if batch.pending or batch.dropped:
            stdout.write(
                _("Values pending %(pending)d, dropped %(dropped)d.") % report
            )  # fmt: skip
        for note in batch.notes:
            stdout.write(f"  {note['count']} : {note['reason']}")
        if batch.file_error:
            stdout.write(batch.file_error)
        for error in report["errors"][:50]:
            stdout.write(_("row %(row)d, %(column)s, “%(value)s”: %(reason)s") % error)
    if batch.status in (BatchStatus.REJECTED, BatchStatus.FAILED):
        raise SystemExit(1)
