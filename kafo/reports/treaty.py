"""The life of a treaty report: a draft per treaty and year, drafted from the records,
its texts edited (each version kept), compared form by form with the last report, and
frozen when submitted; written as Word or Excel."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kafo.reports import article7, documents
from kafo.reports.models import TreatyReport, TreatyReportEdit, TreatyReportStatus

FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip
# Texts written beside the forms: the cover page's contact.
COVER_TEXTS = ("contact",)


def report_for(treaty: str, year: int) -> TreatyReport:
    """The treaty's report for the year (a new draft the first time)."""
    if treaty not in article7.FORMS:
        raise ValidationError(_("No such treaty: %(treaty)s.") % {"treaty": treaty})
    if not 1997 <= year <= timezone.localdate().year:
        raise ValidationError(_("A report covers a year from 1997 to this one."))
    report, _created = TreatyReport.objects.get_or_create(treaty=treaty, year=year)
    return report


def forms_of(report: TreatyReport) -> list[dict[str, Any]]:
    """The report's forms: as submitted once frozen, else drafted from the records now."""
    if report.frozen is not None:
        return report.frozen
    return article7.build(report.treaty, report.year, report.texts)


def changes(report: TreatyReport, forms: list[dict[str, Any]]) -> dict[str, str]:
    """Each form marked changed or unchanged since the last submitted report of the
    treaty (the cover page's marks); all new for a first report."""
    previous = (TreatyReport.objects.filter(treaty=report.treaty, year__lt=report.year,
                                            status=TreatyReportStatus.SUBMITTED)
                .order_by("-year").first())  # fmt: skip
    if previous is None or previous.frozen is None:
        return {form["code"]: _("first report") for form in forms}
    before = {form["code"]: article7.comparable(form) for form in previous.frozen}
    unchanged = _("unchanged (last reporting: %(year)s)") % {"year": previous.year}
    return {form["code"]: unchanged if before.get(form["code"]) == article7.comparable(form)
            else _("changed") for form in forms}  # fmt: skip


def editable(report: TreatyReport) -> list[str]:
    """The texts that may be written: the cover's contact and each form Kafo does not
    fill alone."""
    return [
        *COVER_TEXTS,
        *(form["code"] for form in forms_of(report) if form["source"] != "records"),
    ]


def edit_text(report: TreatyReport, form: str, text: str, user) -> bool:
    """Keep a new version of a form's text (who, when); False when it did not change.
    A submitted report is frozen (ValidationError)."""
    if report.status == TreatyReportStatus.SUBMITTED:
        raise ValidationError(_("This report was submitted: it is frozen."))
    if form not in editable(report):
        raise ValidationError(_("Form %(form)s is filled from the records.") % {"form": form})
    text = text.strip()
    if report.texts.get(form, "") == text:
        return False
    with transaction.atomic():
        TreatyReportEdit.objects.create(report=report, form=form, text=text, edited_by=user)
        report.texts = {**report.texts, form: text}
        report.save(update_fields=["texts"])
    return True


def submit(report: TreatyReport, user) -> None:
    """Freeze the report as it is sent: its forms (figures, rows and texts) kept whole."""
    with transaction.atomic():
        locked = TreatyReport.objects.select_for_update().get(pk=report.pk)
        if locked.status == TreatyReportStatus.SUBMITTED:
            raise ValidationError(_("This report was already submitted."))
        locked.frozen = article7.build(locked.treaty, locked.year, locked.texts)
        locked.status = TreatyReportStatus.SUBMITTED
        locked.submitted_at, locked.submitted_by = timezone.now(), user
        locked.save()
    report.refresh_from_db()


def document(report: TreatyReport, kind: str) -> bytes:
    """The report as a file: `docx` (the forms, to submit), `pdf` (to read) or `xlsx`
    (the annex)."""
    forms = forms_of(report)
    marks = changes(report, forms)
    if kind == "docx":
        return documents.word(report, forms, marks)
    if kind == "xlsx":
        return documents.excel(report, forms, marks)
    if kind == "pdf":
        return documents.pdf(report, forms, marks)
    raise ValidationError(_("A report is written as .docx, .pdf or .xlsx."))
