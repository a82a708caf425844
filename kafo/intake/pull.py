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

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kafo.communities.forms import AlertForm
from kafo.communities.models import FocalPoint
from kafo.intake import kobo, odk
from kafo.intake.mapping import Unmapped, flattened, report_values
from kafo.intake.models import (
    Attachment,
    FormVersion,
    IntakeSource,
    Platform,
    Submission,
    SubmissionStatus,
)
from kafo.intake.xlsforms import FOCAL_POINT_FIELD, FORM_KINDS, VERSION_FIELD
from kafo.mineaction import reports
from kafo.mineaction.forms import RecordForm
from kafo.mineaction.models import FieldReport, ReportStatus

# Submissions committed late on the server carry an earlier time than the last one seen:
# an incremental pull asks from this long before its cursor.
OVERLAP = datetime.timedelta(hours=6)


def _fetched(source: IntakeSource, full: bool) -> list[dict[str, Any]]:
    since = None if full or not source.cursor else source.cursor - OVERLAP
    if source.platform == Platform.ODK:
        when = since and since.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return list(odk.submissions(source, when or None))
    secret = kobo.token(source.token_env)
    return list(kobo.submissions(source.url, source.asset_uid, secret,
                                 since.isoformat() if since else None))  # fmt: skip


def as_sent(source: IntakeSource, raw: dict[str, Any]) -> dict[str, Any]:
    """A submission as kept (raw) in KoBo's flat shape: an ODK Central OData row is
    flattened (`odk.flat`); KoBo's is already."""
    return odk.flat(raw) if source.platform == Platform.ODK else raw


def _time(text: Any) -> datetime.datetime | None:
    when = parse_datetime(str(text or ""))
    if when is not None and timezone.is_naive(when):
        when = timezone.make_aware(when, datetime.UTC)
    return when


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
            sent = as_sent(source, raw)
            outcome, submission = _keep(source, raw, sent, known)
            counts[outcome] += 1
            if outcome == "rejected" and submission is not None:
                errors += [{"submission": submission.root_uuid, "reason": reason}
                           for reason in submission.reasons]  # fmt: skip
            # An edit on Central changes `updatedAt`, and its feed is asked from it too.
            for when in (_time(sent.get("_submission_time")), _time(sent.get("_updated_time"))):
                if when is not None:
                    latest = max(latest, when) if latest else when
        if flag_deleted:
            remote = {_ids(as_sent(source, raw))[0] for raw in fetched}
            counts["flagged"] += _flag_deleted(source, remote)
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


def _keep(source: IntakeSource, raw: dict[str, Any], sent: dict[str, Any],
          known: set[str]) -> tuple[str, Submission | None]:  # fmt: skip
    root, instance = _ids(sent)
    digest = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()
    existing = Submission.objects.filter(source=source, root_uuid=root).first()
    if existing is not None:
        if existing.instance_uuid == instance:
            return "unchanged", existing  # pulled again: kept once
        edited = {"raw": raw, "instance_uuid": instance, "digest": digest,
                  "answers_digest": answers_digest(sent),
                  "form_version": str(sent.get(VERSION_FIELD) or "")}  # fmt: skip
        taken = _edit_taken(source, existing, edited, sent, known)
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
        source=source, root_uuid=root, instance_uuid=instance, remote_id=str(sent.get("_id", "")),
        form_version=str(sent.get(VERSION_FIELD) or ""), raw=raw, digest=digest,
        submitted_at=_time(sent.get("_submission_time")), answers_digest=answers_digest(sent),
    )  # fmt: skip
    twin = (Submission.objects.filter(source=source, answers_digest=submission.answers_digest)
            .exclude(status=SubmissionStatus.DISMISSED).first())  # fmt: skip
    if twin is not None:
        # The same answers under another instance id: sent twice from the phone (a form
        # duplicated, a draft sent again). Kept, not reported twice; "try again" if it
        # really is a second report.
        reasons = [_("The same answers as submission %(other)s: sent twice? Dismiss it, or "
                     "try again if it is another report.") % {"other": twin.root_uuid}]  # fmt: skip
        submission.status, submission.reasons = SubmissionStatus.REJECTED, reasons
        submission.save()
        return "rejected", submission
    submission.field_report, reasons = _mapped(source, sent, root, submission.form_version, known)
    submission.status = SubmissionStatus.REJECTED if reasons else SubmissionStatus.REPORTED
    submission.reasons = reasons
    submission.save()
    _note_attachments(submission, sent)
    return ("rejected" if reasons else "created"), submission


def answers_digest(sent: dict[str, Any]) -> str:
    """The digest of a submission's answers, without the platform's keys and the times
    the phone notes (start, end, device)."""
    answers = flattened(sent)
    return hashlib.sha256(json.dumps(answers, sort_keys=True, default=str).encode()).hexdigest()


def _edit_taken(source: IntakeSource, existing: Submission, edited: dict[str, Any],
                sent: dict[str, Any], known: set[str]) -> str:  # fmt: skip
    """Take an edit made at the source when nobody has worked on what it changes: a
    submission that was rejected (the team corrected it on the platform) is mapped
    again; a field report still only submitted (not yet verified) gets the edited
    values. Returns "updated" (or "rejected": the edit does not map either), or "" when
    the edit must be flagged instead (the report was verified, accepted, validated or
    rejected in Kafo; the submission was dismissed or flagged)."""
    root, version = existing.root_uuid, edited["form_version"]
    if existing.status == SubmissionStatus.REJECTED:
        made, reasons = _mapped(source, sent, root, version, known, existing.corrections)
        status = SubmissionStatus.REJECTED if reasons else SubmissionStatus.REPORTED
        Submission.objects.filter(pk=existing.pk).update(
            **edited, status=status, reasons=reasons, field_report=made
        )
        return "rejected" if reasons else "updated"
    if existing.status != SubmissionStatus.REPORTED:
        return ""
    report = FieldReport.objects.filter(reference=existing.field_report,
                                        status=ReportStatus.SUBMITTED).first()  # fmt: skip
    if report is None or version not in known or FORM_KINDS[source.kind].record_kind is None:
        return ""  # an alert's report was made from the alert, not from the answers
    try:
        form, date_of_information, _said = report_values(source.kind, sent)
    except Unmapped:
        return ""  # flagged: the report keeps the values that mapped
    FieldReport.objects.filter(pk=report.pk).update(
        data=reports.reported_values(cast(RecordForm, form)),
        warnings=list(cast(RecordForm, form).warnings), date_of_information=date_of_information,
    )  # fmt: skip
    Submission.objects.filter(pk=existing.pk).update(**edited)
    return "updated"


def _note_attachments(submission: Submission, sent: dict[str, Any]) -> None:
    """Record the submission's files (KoBo's `_attachments`; ODK Central lists them
    apart, in the task); a task fetches them small after the commit (the pull never
    waits for files)."""
    from kafo.intake.tasks import fetch_attachments

    pk = submission.pk
    if sent.get("_attachments_present"):
        transaction.on_commit(lambda: fetch_attachments.enqueue(pk))
        return
    files = [a for a in sent.get("_attachments") or [] if isinstance(a, dict)
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
    transaction.on_commit(lambda: fetch_attachments.enqueue(pk))


def retry(submission: Submission) -> bool:
    """Map a rejected submission again, with its corrected answers (the form's version
    given out since, a reference validated since, an answer corrected on Kafo's page):
    True when it became a field report; else its new reasons."""
    source = submission.source
    known = set(FormVersion.objects.filter(kind=source.kind).values_list("version", flat=True))
    report, reasons = _mapped(source, as_sent(source, submission.raw), submission.root_uuid,
                              submission.form_version, known, submission.corrections)  # fmt: skip
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.REJECTED if reasons else SubmissionStatus.REPORTED,
        reasons=reasons, field_report=report,
    )  # fmt: skip
    return not reasons


def _mapped(source: IntakeSource, sent: dict[str, Any], root: str, form_version: str,
            known: set[str], corrections: dict[str, Any] | None = None,
            ) -> tuple[str, list[str]]:  # fmt: skip
    """(the field report made, no reasons), or ("", why not): from a form Kafo gave out,
    mapped and checked as typed on the web; nothing is written when it does not map."""
    if form_version not in known:
        return "", [_(
            "Form version %(version)s is not one Kafo gave out: deploy the form downloaded "
            "from Kafo."
        ) % {"version": form_version or "?"}]  # fmt: skip
    try:
        with transaction.atomic():
            return _report(source, sent, root, corrections or {}), []
    except Unmapped as unmapped:
        return "", unmapped.reasons


def _report(source: IntakeSource, sent: dict[str, Any], root: str,
            corrections: dict[str, Any]) -> str:  # fmt: skip
    form, date_of_information, said = report_values(source.kind, sent, corrections)
    record_kind = FORM_KINDS[source.kind].record_kind
    if record_kind is None:
        return _alert(source, cast(AlertForm, form), sent, corrections)
    kind = reports.kind_of(str(record_kind))
    origin = f"{source.origin}:{root}"
    report = reports.submit(
        kind, cast(RecordForm, form), user=None, organisation=source.organisation,
        date_of_information=date_of_information, source=f"{origin} {said}".strip()[:255],
    )  # fmt: skip
    return str(report.reference)


def _alert(source: IntakeSource, form: AlertForm, sent: dict[str, Any],
           corrections: dict[str, Any]) -> str:  # fmt: skip
    """A community alert from the field: the focal point who gave it (one the source's
    organisation works with, or one shared with all) and the alert, which becomes a
    submitted field report for an operator to verify (as on the web)."""
    from kafo.communities.services import report_alert

    number = str(corrections.get(FOCAL_POINT_FIELD, flattened(sent).get(FOCAL_POINT_FIELD, "")))
    focal_point = None
    if number.strip().isdigit():
        partners = Q(organisation=source.organisation) | Q(shared=True)
        focal_point = FocalPoint.objects.filter(partners, pk=int(number), active=True).first()
    if focal_point is None:
        raise Unmapped([_("%(field)s: no active focal point %(number)s works with %(org)s.")
                        % {"field": f"{_('Focal point number')} ({FOCAL_POINT_FIELD})",
                           "number": number or "?", "org": source.organisation}])  # fmt: skip
    alert = form.save(commit=False)
    alert.focal_point, alert.admin_unit = focal_point, form.cleaned_data["pcode"]
    alert.organisation = source.organisation
    alert.save()
    try:
        return report_alert(alert, None)
    except ValidationError as error:
        raise Unmapped(list(error.messages)) from error
