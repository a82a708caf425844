"""A field report that came from the field tells the field its outcome: once validated
or rejected, a task writes it back to the platform (KoBo's validation status)."""

from django.db import transaction

from kafo.intake.kobo import VALIDATION_STATUSES


def outcome_written_back(sender, instance, created: bool = False, **kwargs) -> None:
    """post_save of a field report: ask for the write-back of a final outcome, after the
    commit (never for a report whose outcome is rolled back)."""
    from kafo.intake.models import Submission
    from kafo.intake.tasks import write_back

    if created or instance.status not in VALIDATION_STATUSES or not instance.reference:
        return
    submission = Submission.objects.filter(field_report=instance.reference).first()
    if submission is None:
        return
    pk, outcome = submission.pk, str(instance.status)
    transaction.on_commit(lambda: write_back.enqueue(pk, outcome))
