"""Where a task stands, for the pages that wait for it (a batch, a plan)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kafo.tasks.worker import alive_workers


@dataclass(frozen=True)
class QueueState:
    status: str  # TaskResultStatus value
    ahead: int  # ready tasks of its queue to run before it
    workers: int  # workers alive now

    @property
    def waiting(self) -> bool:
        return self.status == TaskResultStatus.READY


def queue_state(task_id: str) -> QueueState | None:
    """The state of the task `task_id` kept by the database backend; None when there is
    no such task (run in the request, or not kept)."""
    if not task_id:
        return None
    try:
        result = DBTaskResult.objects.filter(pk=task_id).first()
    except ValidationError:
        return None
    if result is None:
        return None
    ahead = 0
    if result.status == TaskResultStatus.READY:
        ahead = DBTaskResult.objects.ready().filter(queue_name=result.queue_name).filter(
            Q(priority__gt=result.priority)
            | Q(priority=result.priority, run_after__lt=result.run_after)
            | Q(priority=result.priority, run_after=result.run_after,
                enqueued_at__lt=result.enqueued_at)
        ).count()  # fmt: skip
    return QueueState(result.status, ahead, alive_workers().count())
