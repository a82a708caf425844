"""The web's periodic task: the daily notice e-mails."""

from django.utils import timezone

from kafo.tasks.jobs import Retry, job
from kafo.web.notices import send_notices as send_notice_emails


@job(retry=Retry(attempts=3, backoff=300), queue="periodic")
def send_notices() -> int:
    """E-mail what waits for each person (retried: those already e-mailed are skipped)."""
    return send_notice_emails(timezone.localdate())
