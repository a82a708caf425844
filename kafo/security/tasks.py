"""The security's periodic task: personal data past its retention anonymised."""

from kafo.security.personal import apply_retention as anonymise_expired
from kafo.tasks.jobs import Retry, job


@job(retry=Retry(attempts=3, backoff=300), queue="periodic")
def apply_retention() -> dict[str, int]:
    """Anonymise what the retention rules say is past its time (retried: it only
    anonymises what is still there)."""
    return {str(model): count for model, count in anonymise_expired().items()}
