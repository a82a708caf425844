"""Import batches: what was accepted and what was rejected, row by row, kept for correction."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kafo.sensitivity import NATIONAL_IM, PARTNERS, Sensitivity, classed, protect


class BatchStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    IMPORTED = "imported", _("Imported")
    PARTIAL = "partial", _("Imported without the rejected rows")
    REJECTED = "rejected", _("Not imported: rows to correct")
    FAILED = "failed", _("Unreadable file")


@protect(
    owner="organisation_id",
    fields={
        **classed(
            PARTNERS,
            "id kind filename created_at status accepted created updated rejected pending "
            "dropped notes options file_error accept_valid columns rows_total rows_done "
            "organisation",
        ),
        **classed(NATIONAL_IM, "created_by task_id"),
    },
    rows=Sensitivity.NATIONAL_IM,
)
class ImportBatch(models.Model):
    kind = models.CharField(_("kind"), max_length=32)
    filename = models.CharField(_("file"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=BatchStatus.choices)
    accepted = models.PositiveIntegerField(_("rows accepted"), default=0)
    created = models.PositiveIntegerField(_("records created"), default=0)
    updated = models.PositiveIntegerField(_("records updated"), default=0)
    rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    # Values stored but not complete yet (e.g. amounts waiting for an exchange rate), and
    # values of the file not stored; each with its reason in `notes` ({"count", "reason"}).
    pending = models.PositiveIntegerField(_("values pending"), default=0)
    dropped = models.PositiveIntegerField(_("values dropped"), default=0)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    # What the importer was asked beyond the file ({"cod_version", "year", "sheet"}), so that
    # corrected rows are read the same way.
    options = models.JSONField(_("import options"), default=dict, blank=True)
    file_error = models.TextField(_("file error"), blank=True)
    accept_valid = models.BooleanField(_("import the valid rows only"), default=False)
    # The file's columns ([header, hashtag]), so that corrected rows can be imported again.
    columns = models.JSONField(_("columns"), default=list, blank=True)
    rows_total = models.PositiveIntegerField(_("rows to read"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("organisation"),
    )  # fmt: skip
    # The background task importing it (kafo.interop.tasks.run_import), for its page.
    task_id = models.CharField(_("task"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.get_status_display()})"

    @property
    def percent_done(self) -> int:
        return 100 * self.rows_done // self.rows_total if self.rows_total else 0

    def report(self) -> dict:
        """The batch report with stable English keys."""
        return {
            "batch": self.pk,
            "status": self.status,
            "accepted": self.accepted,
            "created": self.created,
            "updated": self.updated,
            "rejected": self.rejected,
            "pending": self.pending,
            "dropped": self.dropped,
            "notes": self.notes,
            "file_error": self.file_error or None,
            "errors": [
                {"row": row.row, **error}
                for row in self.rejected_rows.all()
                for error in row.errors
            ],
        }


@protect(
    owner="batch__organisation_id",
    fields={**classed(PARTNERS, "id batch row errors"), **classed(NATIONAL_IM, "values")},
    rows=Sensitivity.NATIONAL_IM,
)
class RejectedRow(models.Model):
    """A row that was not imported, kept whole (all its columns) with its reasons; a
    valid row of a rejected batch is kept too, without reasons, to be imported with the
    corrected ones."""

    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        related_name="rejected_rows",
        verbose_name=_("batch"),
    )
    row = models.PositiveIntegerField(_("row"))
    values = models.JSONField(_("values"), default=dict)
    errors = models.JSONField(_("reasons"), default=list)

    class Meta:
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")
        ordering = ["batch", "row"]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row}"
