"""Pulling a source's submissions into Kafo: each kept raw once, then, when it maps, a
submitted field report of the source's organisation entering the usual workflow
(verified → accepted → validated). A submission that does not map is kept with its
reasons; an edit at the source is taken while nobody has worked on the report (or the
submission was rejected), else flagged for the IM team, never written over a report.
A pull that fails keeps nothing and keeps its cursor."""

import datetime
import hashlib
import json
from collections import Counter
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kafo.intake import kobo
from kafo.intake.mapping import Unmapped, report_values
from kafo.intake.models import (
    Attachment,
    FormVersion,
    IntakeSource,
    Platform,
    Submission,
    SubmissionStatus,
)
from kafo.intake.xlsforms import FORM_KINDS, VERSION_FIELD
from kafo.mineaction import reports
from kafo.mineaction.forms import RecordForm
from kafo.mineaction.models import FieldReport, ReportStatus

# Submissions committed late on the server carry an earlier time than the last one seen:
# an incremental pull asks from this long before its cursor.
OVERLAP = datetime.timedelta(hours=6)


def _fetched(source: IntakeSource, full: bool) -> list[dict[str, Any]]:
    if source.platform != Platform.KOBO:
        raise kobo.IntakeError(_("Pulling from %(platform)s is not available yet.")
                               % {"platform": source.get_platform_display()})  # fmt: skip
    since = None
    if source.cursor and not full:
        since = (source.cursor - OVERLAP).isoformat()
    secret = kobo.token(source.token_env)
    return list(kobo.submissions(source.url, source.asset_uid, secret, since))


def reconcile(source: IntakeSource) -> dict[str, Any]:
    """An incremental pull can miss submissions (committed late, edited without a
    notice): pull them all, keep the missing ones, and flag those Kafo holds that the
    source no longer has (deleted there). The same keys as `pull`."""
    return pull(source, full=True, flag_deleted=True)


def pull(source: IntakeSource, full: bool = False, flag_deleted: bool = False) -> dict[str, Any]:
    """Pull the source's submissions (all of them with `full`, else from a little before
    the last pull) and keep each once. Returns the counts and the errors as
    `{"pulled", "created", "updated", "flagged", "rejected", "errors": [{"submission",
    "reason"}]}`. IntakeError: the server's failure (nothing kept, the cursor kept)."""
    try:
        fetched = _fetched(source, full or flag_deleted)
    except kobo.IntakeError as error:
        IntakeSource.objects.filter(pk=source.pk).update(last_error=str(error),
                                                         last_pull_at=timezone.now())  # fmt: skip
        raise
    counts: Counter = Counter()
    errors: list[dict[str, str]] = []
    known = set(FormVersion.objects.filter(kind=source.kind).values_list("version", flat=True))
    latest = source.cursor
    with transaction.atomic():
        # One pull of a source at a time (a webhook and the schedule may meet): the
        # second waits, then finds the submissions kept.
        IntakeSource.objects.select_for_update().filter(pk=source.pk).exists()
        for raw in fetched:
            outcome, submission = _keep(source, raw, known)
            counts[outcome] += 1
            if outcome == "rejected" and submission is not None:
                errors += [{"submission": submission.root_uuid, "reason": reason}
                           for reason in submission.reasons]  # fmt: skip
            when = parse_datetime(str(raw.get("_submission_time") or ""))
            if when is not None:
                when = when if timezone.is_aware(when) else timezone.make_aware(when, datetime.UTC)
                latest = max(latest, when) if latest else when
        if flag_deleted:
            counts["flagged"] += _flag_deleted(source, {_ids(raw)[0] for raw in fetched})
        IntakeSource.objects.filter(pk=source.pk).update(cursor=latest, last_error="",
                                                         last_pull_at=timezone.now())  # fmt: skip
    source.refresh_from_db()
    said = {name: counts[name] for name in ("created", "updated", "flagged", "rejected")}
    return {"pulled": len(fetched), **said, "errors": errors}


def _flag_deleted(source: IntakeSource, remote: set[str]) -> int:
    """Flag the submissions kept from the source that it no longer has; returns how many
    were newly flagged (the field report, if any, stays as it is)."""
    reason = _("Deleted at the source: the field report was kept; check it.")
    flagged = 0
    # Compared here, not as a NOT IN list of every remote id (SQLite bounds its variables).
    kept = Submission.objects.filter(source=source).values_list("pk", "root_uuid", "reasons")
    for pk, root, reasons in kept.iterator(chunk_size=2000):
        if root in remote or reason in reasons:
            continue
        Submission.objects.filter(pk=pk).update(status=SubmissionStatus.FLAGGED,
                                                reasons=[*reasons, reason])  # fmt: skip
        flagged += 1
    return flagged


def _ids(raw: dict[str, Any]) -> tuple[str, str]:
    instance = str(raw.get("meta/instanceID") or (f"uuid:{raw['_uuid']}" if raw.get("_uuid")
                                                   else f"id:{raw.get('_id', '')}"))  # fmt: skip
    return str(raw.get("meta/rootUuid") or instance), instance


def _keep(source: IntakeSource, raw: dict[str, Any],
          known: set[str]) -> tuple[str, Submission | None]:  # fmt: skip
    root, instance = _ids(raw)
    digest = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()
    existing = Submission.objects.filter(source=source, root_uuid=root).first()
    if existing is not None:
        if existing.instance_uuid == instance:
            return "unchanged", existing  # pulled again: kept once
        edited = {"raw": raw, "instance_uuid": instance, "digest": digest,
                  "form_version": str(raw.get(VERSION_FIELD) or "")}  # fmt: skip
        taken = _edit_taken(source, existing, edited, known)
        if taken:
            return taken, existing
        reason = _(
            "Edited at the source (%(instance)s): the field report was not changed; check it "
            "and report a correction if needed."
        ) % {"instance": instance}
        Submission.objects.filter(pk=existing.pk).update(
            **edited, status=SubmissionStatus.FLAGGED, reasons=[*existing.reasons, reason]
        )
        return "flagged", existing
    submission = Submission(
        source=source, root_uuid=root, instance_uuid=instance, remote_id=str(raw.get("_id", "")),
        form_version=str(raw.get(VERSION_FIELD) or ""), raw=raw, digest=digest,
        submitted_at=parse_datetime(str(raw.get("_submission_time") or "")),
    )  # fmt: skip
    if submission.submitted_at and timezone.is_naive(submission.submitted_at):
        submission.submitted_at = timezone.make_aware(submission.submitted_at, datetime.UTC)
    submission.field_report, reasons = _mapped(source, raw, root, submission.form_version, known)
    submission.status = SubmissionStatus.REJECTED if reasons else SubmissionStatus.REPORTED
    submission.reasons = reasons
    submission.save()
    _note_attachments(submission, raw)
    return ("rejected" if reasons else "created"), submission


def _edit_taken(source: IntakeSource, existing: Submission, edited: dict[str, Any],
                known: set[str]) -> str:  # fmt: skip
    """Take an edit made at the source when nobody has worked on what it changes: a
    submission that was rejected (the team corrected it on the platform) is mapped
    again; a field report still only submitted (not yet verified) gets the edited
    values. Returns "updated" (or "rejected": the edit does not map either), or "" when
    the edit must be flagged instead (the report was verified, accepted, validated or
    rejected in Kafo; the submission was dismissed or flagged)."""
    root, raw, version = existing.root_uuid, edited["raw"], edited["form_version"]
    if existing.status == SubmissionStatus.REJECTED:
        made, reasons = _mapped(source, raw, root, version, known)
        status = SubmissionStatus.REJECTED if reasons else SubmissionStatus.REPORTED
        Submission.objects.filter(pk=existing.pk).update(
            **edited, status=status, reasons=reasons, field_report=made
        )
        return "rejected" if reasons else "updated"
    if existing.status != SubmissionStatus.REPORTED:
        return ""
    report = FieldReport.objects.filter(reference=existing.field_report,
                                        status=ReportStatus.SUBMITTED).first()  # fmt: skip
    if report is None or version not in known:
        return ""
    try:
        form, date_of_information, _said = report_values(source.kind, raw)
    except Unmapped:
        return ""  # flagged: the report keeps the values that mapped
    FieldReport.objects.filter(pk=report.pk).update(
        data=reports.reported_values(cast(RecordForm, form)),
        warnings=list(cast(RecordForm, form).warnings), date_of_information=date_of_information,
    )  # fmt: skip
    Submission.objects.filter(pk=existing.pk).update(**edited)
    return "updated"


def _note_attachments(submission: Submission, raw: dict[str, Any]) -> None:
    """Record the submission's files (KoBo's `_attachments`); a task fetches them small
    after the commit (the pull never waits for files)."""
    from kafo.intake.tasks import fetch_attachments

    files = [a for a in raw.get("_attachments") or [] if isinstance(a, dict)
             and a.get("download_url")]  # fmt: skip
    if not files:
        return
    Attachment.objects.bulk_create(
        Attachment(submission=submission,
                   filename=str(a.get("media_file_basename") or a.get("filename") or "")
                   .rsplit("/", 1)[-1][:255] or f"attachment-{n}",
                   mimetype=str(a.get("mimetype") or "")[:100],
                   download_url=a["download_url"],
                   small_url=a.get("download_small_url") or "")
        for n, a in enumerate(files)
    )  # fmt: skip
    pk = submission.pk
    transaction.on_commit(lambda: fetch_attachments.enqueue(pk))


def retry(submission: Submission) -> bool:
    """Map a rejected submission again (the form's version given out since, a reference
    validated since…): True when it became a field report; else its new reasons."""
    source = submission.source
    known = set(FormVersion.objects.filter(kind=source.kind).values_list("version", flat=True))
    report, reasons = _mapped(source, submission.raw, submission.root_uuid,
                              submission.form_version, known)  # fmt: skip
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.REJECTED if reasons else SubmissionStatus.REPORTED,
        reasons=reasons, field_report=report,
    )  # fmt: skip
    return not reasons


def _mapped(source: IntakeSource, raw: dict[str, Any], root: str, form_version: str,
            known: set[str]) -> tuple[str, list[str]]:  # fmt: skip
    """(the field report made, no reasons), or ("", why not): from a form Kafo gave out,
    mapped and checked as typed on the web; nothing is written when it does not map."""
    if form_version not in known:
        return "", [_(
            "Form version %(version)s is not one Kafo gave out: deploy the form downloaded "
            "from Kafo."
        ) % {"version": form_version or "?"}]  # fmt: skip
    try:
        with transaction.atomic():
            return _report(source, raw, root), []
    except Unmapped as unmapped:
        return "", unmapped.reasons


def _report(source: IntakeSource, raw: dict[str, Any], root: str) -> str:
    form, date_of_information, said = report_values(source.kind, raw)
    record_kind = FORM_KINDS[source.kind].record_kind
    kind = reports.kind_of(str(record_kind))
    origin = f"{source.platform}:{source.asset_uid}:{root}"
    report = reports.submit(
        kind, cast(RecordForm, form), user=None, organisation=source.organisation,
        date_of_information=date_of_information, source=f"{origin} {said}".strip()[:255],
    )  # fmt: skip
    return str(report.reference)
