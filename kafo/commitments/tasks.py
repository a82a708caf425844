"""The commitments' periodic task: deadline notices."""

from django.utils import timezone

from kafo.commitments.notifications import notify
from kafo.tasks.jobs import Retry, job


@job(retry=Retry(attempts=3, backoff=300), queue="periodic")
def notify_deadlines(days: int = 30) -> dict[str, int]:
    """E-mail the commitments due or overdue (retried: those e-mailed today are skipped)."""
    return notify(timezone.localdate(), days)
