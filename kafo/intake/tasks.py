"""Field intake's periodic tasks: every source pulled (every 15 minutes by default), and
reconciled each night."""

import logging
import mimetypes

from kafo.intake import kobo, odk
from kafo.intake.kobo import IntakeError
from kafo.intake.models import Attachment, IntakeSource, Platform, Submission
from kafo.intake.pull import pull, reconcile
from kafo.tasks.jobs import Retry, job

logger = logging.getLogger(__name__)


@job(retry=Retry(attempts=3, backoff=120), queue="periodic")
def pull_sources() -> dict[str, int]:
    """Pull each source's new submissions. A source whose server fails keeps its cursor
    and its error (shown with the source); the others are pulled all the same. Retried:
    a submission pulled twice is kept once."""
    created = failed = 0
    for source in IntakeSource.objects.all():
        try:
            created += pull(source)["created"]
        except IntakeError as error:
            failed += 1
            logger.warning("intake source %s: %s", source.name, error)
    return {"created": created, "failed": failed}


@job(retry=Retry(attempts=3, backoff=600), queue="periodic")
def reconcile_sources() -> dict[str, int]:
    """Reconcile each source (`kafo.intake.pull.reconcile`): what an incremental pull
    missed is pulled, what the source deleted is flagged."""
    created = flagged = failed = 0
    for source in IntakeSource.objects.all():
        try:
            counts = reconcile(source)
        except IntakeError as error:
            failed += 1
            logger.warning("intake source %s: %s", source.name, error)
            continue
        created += counts["created"]
        flagged += counts["flagged"]
    return {"created": created, "flagged": flagged, "failed": failed}


@job(retry=Retry(attempts=3, backoff=60), queue="imports")
def pull_source(source_pk: int) -> dict[str, int]:
    """Pull one source at once (asked by its webhook). A source gone meanwhile, or a
    server that fails, ends the task with the reason; the worker goes on."""
    source = IntakeSource.objects.filter(pk=source_pk).first()
    if source is None:
        raise ValueError(f"intake source {source_pk} no longer exists")
    counts = pull(source)
    return {key: counts[key] for key in ("pulled", "created", "flagged", "rejected")}


@job(retry=Retry(attempts=5, backoff=300), queue="imports")
def write_back(submission_pk: int, outcome: str) -> str:
    """Write a field report's outcome (validated, rejected) back to the platform its
    submission came from (KoBo's validation status, ODK Central's review state); retried
    while the server fails."""
    submission = Submission.objects.select_related("source").filter(pk=submission_pk).first()
    if submission is None:
        return "skipped"
    source = submission.source
    if source.platform == Platform.ODK:
        return odk.set_review_state(source, submission.root_uuid, outcome)
    status = kobo.VALIDATION_STATUSES[outcome]
    kobo.set_validation_status(source.url, source.asset_uid, kobo.token(source.token_env),
                               submission.remote_id, status)  # fmt: skip
    return status


def attachments_folder():
    """Where the intake's files are kept: KAFO_DATA_DIR/intake."""
    from pathlib import Path

    from django.conf import settings

    return Path(settings.DATA_DIR) / "intake"


def fetch(attachment: Attachment, full: bool = False) -> str:
    """Fetch one attachment (small, else full size) and note where it is kept."""
    from django.utils import timezone

    source = attachment.submission.source
    url = attachment.download_url if full or not attachment.small_url else attachment.small_url
    relative = (f"{source.pk}/{attachment.submission_id}/{attachment.pk}"
                f"{'-full' if full else ''}-{attachment.filename}")  # fmt: skip
    if source.platform == Platform.ODK:
        odk.download(source, url, attachments_folder() / relative)
    else:
        kobo.download(url, kobo.token(source.token_env), attachments_folder() / relative)
    field = "full_path" if full else "small_path"
    Attachment.objects.filter(pk=attachment.pk).update(**{field: relative},
                                                       fetched_at=timezone.now())  # fmt: skip
    return relative


@job(retry=Retry(attempts=5, backoff=300), queue="imports")
def fetch_attachments(submission_pk: int) -> int:
    """Fetch a submission's files, small first (a slow link pays for the full size only
    when someone asks); ODK Central's are listed first (it has no small version).
    Retried while the server fails. Returns how many were fetched."""
    submission = Submission.objects.select_related("source").filter(pk=submission_pk).first()
    if submission is None:
        return 0
    if submission.source.platform == Platform.ODK and not submission.attachments.exists():
        listed = odk.attachments(submission.source, submission.root_uuid)
        Attachment.objects.bulk_create(
            Attachment(submission=submission, filename=name.rsplit("/", 1)[-1][:255],
                       mimetype=mimetypes.guess_type(name)[0] or "", download_url=url)
            for name, url in listed
        )  # fmt: skip
    fetched = 0
    for attachment in Attachment.objects.select_related("submission__source").filter(
        submission_id=submission_pk, small_path=""
    ):
        fetch(attachment)
        fetched += 1
    return fetched


@job(retry=Retry(attempts=3, backoff=600), queue="periodic")
def publish_hazards() -> dict[str, int]:
    """Give each ODK Central project of a source the open hazards as its Entity List
    `hazards` (the phones choose from it offline, as from `hazards.csv`)."""
    from kafo.intake.xlsforms import hazard_rows

    totals = {"created": 0, "updated": 0, "deleted": 0, "failed": 0}
    rows = list(hazard_rows())
    for source in odk_projects():
        try:
            for key, value in odk.publish_hazards(source, rows).items():
                totals[key] += value
        except IntakeError as error:
            totals["failed"] += 1
            logger.warning("intake source %s: %s", source.name, error)
    return totals


def odk_projects() -> list[IntakeSource]:
    """One ODK Central source per server and project (an Entity List is the project's)."""
    chosen: dict[tuple[str, int | None], IntakeSource] = {}
    for source in IntakeSource.objects.filter(platform=Platform.ODK).order_by("pk"):
        chosen.setdefault((source.url.rstrip("/"), source.project_id), source)
    return list(chosen.values())
