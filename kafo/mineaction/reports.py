"""Field reports: submit, verify, accept, validate, reject; and the current view they make.

The current view of a record is its validated reports merged in date-of-information
order (the later information wins, field by field). It is written to the record
table when a report is validated, inside the same transaction, so the official
figures never see a half-applied report.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kafo.actors.models import Organisation
from kafo.actors.permissions import can_edit_for, can_validate, can_verify
from kafo.mineaction import forms as record_forms
from kafo.mineaction.kinds import KINDS, Kind
from kafo.mineaction.models import FieldReport, RecordKind, ReportStatus


def kind_of(code: str) -> Kind:
    """The kind for a code; ValueError for an unknown one."""
    return KINDS[RecordKind(code)]


def _json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def reported_values(form: record_forms.RecordForm) -> dict[str, Any]:
    """The form's values for the record's own fields, ready to keep as JSON."""
    names = {f.name for f in form._meta.model._meta.concrete_fields}
    return {name: _json_value(value) for name, value in form.cleaned_data.items() if name in names}


def current_values(kind: Kind, reference: str, statuses=(ReportStatus.VALIDATED,)) -> dict:
    """The record's values merged from its reports with these statuses."""
    merged: dict[str, Any] = {}
    reports = FieldReport.objects.filter(
        kind=kind.code, record_reference=reference, status__in=statuses
    ).order_by("date_of_information", "submitted_at", "id")
    for report in reports:
        merged.update(report.data)
    return merged


def initial_for(kind: Kind, reference: str) -> dict[str, Any]:
    """Form initial values for a correction: the validated current view, with links
    given as the form shows them (references, p-codes)."""
    return kind.form.initial_from(current_values(kind, reference))


def record_owner(kind: Kind, reference: str) -> int | None:
    """The organisation owning a record: the record's, or while it exists only as pending
    field reports, the organisation of its first report. None: no such record."""
    record = kind.model.objects.filter(reference=reference).only("organisation").first()
    if record is not None:
        return record.organisation_id
    first = (
        FieldReport.objects.filter(kind=kind.code, record_reference=reference)
        .order_by("pk")
        .first()
    )
    return first.organisation_id if first is not None else None


@transaction.atomic
def submit(
    kind: Kind,
    form: record_forms.RecordForm,
    *,
    user,
    organisation: Organisation,
    date_of_information: datetime.date,
    source: str = "",
    record_reference: str = "",
) -> FieldReport:
    """Keep a new field report; for a correction, only the values that change."""
    values = reported_values(form)
    if record_reference:
        owner_id = record_owner(kind, record_reference)
        if owner_id is None:
            raise ValidationError(_("No record %(ref)s.") % {"ref": record_reference})
        # The one check of the web, the API and imports: a report refers only to records,
        # pending or not, of the reporter's organisation (or any, for the coordination).
        # No user: the command line, run by the server's operator.
        if user is not None and not can_edit_for(user, owner_id):
            raise PermissionDenied(_("Only its organisation or the coordination may correct it."))
        known = current_values(kind, record_reference)
        values = {name: value for name, value in values.items() if known.get(name) != value}
        if not values:
            raise ValidationError(_("This report changes nothing in the current record."))
    report = FieldReport.objects.create(
        kind=kind.code, record_reference=record_reference, organisation=organisation,
        date_of_information=date_of_information, source=source, data=values,
        warnings=list(form.warnings), submitted_by=user,
    )  # fmt: skip
    report.reference = f"FR-{report.pk:06d}"
    report.record_reference = record_reference or f"{kind.prefix}-{report.pk:06d}"
    report.save(update_fields=["reference", "record_reference"])
    return report


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _step(report: FieldReport, expected: set[str], message: str) -> None:
    if report.status not in expected:
        raise ValidationError(message % {"status": report.get_status_display()})


@transaction.atomic
def verify(report: FieldReport, user) -> None:
    _require(can_verify(user, report), _("Only the reporting organisation verifies its reports."))
    _step(
        report,
        {ReportStatus.SUBMITTED},
        _("Only a submitted report is verified (now: %(status)s)."),
    )
    report.status, report.verified_by, report.verified_at = (
        ReportStatus.VERIFIED,
        user,
        timezone.now(),
    )
    report.save()


@transaction.atomic
def accept(report: FieldReport, user) -> None:
    _require(can_validate(user), _("Only the national IM team accepts reports."))
    _step(
        report, {ReportStatus.VERIFIED}, _("Only a verified report is accepted (now: %(status)s).")
    )
    report.status, report.accepted_by, report.accepted_at = (
        ReportStatus.ACCEPTED,
        user,
        timezone.now(),
    )
    report.save()


@transaction.atomic
def validate(report: FieldReport, user) -> models.Model:
    """Validate the report and rebuild its record's current view; all or nothing."""
    _require(can_validate(user), _("Only the national IM team validates reports."))
    _step(
        report,
        {ReportStatus.ACCEPTED},
        _("Only an accepted report is validated (now: %(status)s)."),
    )
    report.status, report.validated_by, report.validated_at = (
        ReportStatus.VALIDATED, user, timezone.now(),
    )  # fmt: skip
    report.save()
    return rebuild(kind_of(report.kind), report.record_reference)


@transaction.atomic
def reject(report: FieldReport, user, reason: str) -> None:
    own_submitted = report.status == ReportStatus.SUBMITTED and can_verify(user, report)
    _require(can_validate(user) or own_submitted, _("You may not reject this report."))
    _step(
        report,
        {ReportStatus.SUBMITTED, ReportStatus.VERIFIED, ReportStatus.ACCEPTED},
        _("A %(status)s report can no longer be rejected; submit a correction instead."),
    )
    if not reason.strip():
        raise ValidationError(_("Say why the report is rejected."))
    report.status, report.rejected_reason = ReportStatus.REJECTED, reason.strip()[:500]
    report.save()


def rebuild(kind: Kind, reference: str) -> models.Model:
    """Write the record's validated current view to its table."""
    values = current_values(kind, reference)
    first = (
        FieldReport.objects.filter(
            kind=kind.code, record_reference=reference, status=ReportStatus.VALIDATED
        )
        .order_by("validated_at", "id")
        .first()
    )
    record = kind.model.objects.filter(reference=reference).first() or kind.model(
        reference=reference, organisation_id=first.organisation_id
    )
    for name, value in values.items():
        field = kind.model._meta.get_field(name)
        setattr(record, field.attname, field.to_python(value))
    if kind.derive:
        kind.derive(record)
    record.validated_at = timezone.now()
    try:
        record.full_clean(exclude=["reference"] if record.pk else None)
    except ValidationError as error:
        raise ValidationError(
            _("The validated reports of %(ref)s do not make a complete record: %(errors)s")
            % {"ref": reference, "errors": "; ".join(
                f"{kind.model._meta.get_field(f).verbose_name}: {' '.join(m)}"
                if f != "__all__" else " ".join(m)
                for f, m in error.message_dict.items()
            )}
        ) from error  # fmt: skip
    record.save()
    if kind.after_save:
        kind.after_save(record)
    return record


def scrub_reports(kind: str, reference: str, fields) -> None:
    """Erase a person's values in every report of the record (anonymisation)."""
    for report in FieldReport.objects.filter(kind=kind, record_reference=reference):
        erased = {k: ("" if k in fields else v) for k, v in report.data.items()}
        if erased != report.data:
            report.data = erased
            report.save(update_fields=["data"])
