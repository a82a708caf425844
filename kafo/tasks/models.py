"""What the workers share through the database: their heartbeats, and the periodic jobs
already enqueued."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kafo.sensitivity import NATIONAL_IM, Sensitivity, classed, protect


@protect(fields=classed(NATIONAL_IM, "worker_id host pid queues started_at beat_at"),
         rows=Sensitivity.NATIONAL_IM)  # fmt: skip
class WorkerBeat(models.Model):
    """A worker process, alive while its `beat_at` is younger than the lease
    (`KAFO_WORKER_LEASE`). It beats from a thread of its own, so that a task computing
    for minutes (the solver releases Python's lock) does not make it look dead."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    queues = models.CharField(_("queues"), max_length=255)
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} ({self.worker_id})"


@protect(fields=classed(NATIONAL_IM, "id job due_at task_id enqueued_at"),
         rows=Sensitivity.NATIONAL_IM)  # fmt: skip
class ScheduledRun(models.Model):
    """A periodic job's run that was due at `due_at`: the unique pair makes one worker,
    and only one, enqueue it. A row without a task only marks when the schedule began."""

    job = models.CharField(_("job"), max_length=64)
    due_at = models.DateTimeField(_("due at"))
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(fields=["job", "due_at"], name="one_run_per_due_time")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.due_at:%Y-%m-%d %H:%M}"


@protect(fields=classed(NATIONAL_IM, "id key sent_at"), rows=Sensitivity.NATIONAL_IM)
class SentMessage(models.Model):
    """A message a task sent (an e-mail notice of a day to a person), so that the task
    run again after an interruption sends only what it had not sent yet."""

    key = models.CharField(_("message"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message sent")
        verbose_name_plural = _("messages sent")

    def __str__(self) -> str:
        return self.key
