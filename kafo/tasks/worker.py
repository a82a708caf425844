"""The worker: django-tasks-db's worker loop, with a heartbeat, a lease after which the
running task of a silent worker is taken back, explicit retries, and the periodic jobs."""

import contextlib
import datetime
import logging
import os
import signal
import socket
import sys
import threading
import time
import uuid

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from kafo.tasks.jobs import TRANSIENT, in_worker, policy_of
from kafo.tasks.models import WorkerBeat

log = logging.getLogger("kafo.tasks")

# How often the periodic jobs and the lost tasks are looked for, in seconds.
HOUSEKEEPING_EVERY = 10.0
# How often, and after how long, what is over is deleted (see `prune`).
PRUNING_EVERY = 3600.0
KEPT_FOR = datetime.timedelta(days=30)


def new_worker_id() -> str:
    """A worker's name: its host and process, and a random part (a pid is reused)."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def lease() -> datetime.timedelta:
    """How long a worker may stay silent before its running task is taken back."""
    return datetime.timedelta(seconds=settings.KAFO_WORKER_LEASE)


def alive_workers():
    """The workers that beat within the lease."""
    return WorkerBeat.objects.filter(beat_at__gte=timezone.now() - lease())


def interrupted_reason() -> str:
    return _(
        "interrupted: the worker running it stopped (a restart, a crash, a machine lost) "
        "before the end, and it was tried as many times as it may be"
    )


def _give_up(result: DBTaskResult, error: BaseException | None) -> None:
    """Record the end of a task that will not run again on the object it worked for."""
    hook = policy_of(result.task_path).given_up
    if hook is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        hook(result.args_kwargs["args"], result.args_kwargs["kwargs"], error)


def requeue_or_fail(result: DBTaskResult, *, reason: str, error: BaseException | None) -> str:
    """A task that did not end: run it again after its back-off when its policy allows
    another attempt, else mark it failed with `reason` and tell its object. Returns
    "retried" or "failed"; "" when another worker settled it first."""
    with contextlib.suppress(ImportError):
        result.task  # noqa: B018 — imports the task's module, which declares its policy
    retry = policy_of(result.task_path).retry
    attempts = len(result.worker_ids)
    now = timezone.now()
    mine = DBTaskResult.objects.filter(
        pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
    )
    if attempts < retry.attempts and (error is None or isinstance(error, TRANSIENT)):
        run_after = now + datetime.timedelta(seconds=retry.delay(attempts))
        settled = mine.update(status=TaskResultStatus.READY, run_after=run_after)
        outcome = "retried"
    else:
        settled = mine.update(
            status=TaskResultStatus.FAILED, finished_at=now,
            exception_class_path=(
                f"{type(error).__module__}.{type(error).__qualname__}"
                if error is not None else "kafo.tasks.Interrupted"
            ),
            traceback=reason,
        )  # fmt: skip
        outcome = "failed"
        if settled:
            _give_up(result, error)
    if settled:
        log.warning("task %s (%s) %s: %s", result.pk, result.task_path, outcome, reason)
    return outcome if settled else ""


def prune(now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete what is over and older than KEPT_FOR: finished tasks, messages recorded as
    sent, periodic runs (the latest of each job is kept: the schedule counts from it),
    and workers silent for a day. Counts deleted, by kind."""
    from django.db.models import Max

    from kafo.tasks.models import ScheduledRun, SentMessage

    now = now or timezone.now()
    cutoff = now - KEPT_FOR
    deleted = {
        "tasks": DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()[0],
        "messages": SentMessage.objects.filter(sent_at__lt=cutoff).delete()[0],
        "workers": WorkerBeat.objects.filter(
            beat_at__lt=now - datetime.timedelta(days=1)).delete()[0],
        "runs": 0,
    }  # fmt: skip
    latest = ScheduledRun.objects.values("job").annotate(last=Max("due_at"))
    for row in latest:
        deleted["runs"] += ScheduledRun.objects.filter(
            job=row["job"], due_at__lt=min(row["last"], cutoff)
        ).delete()[0]
    return deleted


def take_back_lost_tasks() -> int:
    """Running tasks whose worker is silent past the lease (killed, its machine lost):
    retried or failed by their policy. How many were settled here."""
    silent_since = timezone.now() - lease()
    alive = set(WorkerBeat.objects.filter(beat_at__gte=silent_since)
                .values_list("worker_id", flat=True))  # fmt: skip
    settled = 0
    for result in DBTaskResult.objects.running().filter(started_at__lt=silent_since):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            reason = interrupted_reason()
        settled += bool(requeue_or_fail(result, reason=reason, error=None))
    return settled


class Heartbeat:
    """Beats for a worker every third of the lease from a thread with its own database
    connection, until stopped."""

    def __init__(self, worker_id: str, queues: list[str]):
        self.worker_id = worker_id
        self.queues = ",".join(queues)[:255]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="kafo-heartbeat", daemon=True)

    def beat(self) -> None:
        now = timezone.now()
        WorkerBeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"beat_at": now},
            create_defaults={"beat_at": now, "started_at": now, "host": socket.gethostname(),
                             "pid": os.getpid(), "queues": self.queues},
        )  # fmt: skip

    def _run(self) -> None:
        every = max(settings.KAFO_WORKER_LEASE / 3, 0.2)
        while not self.stopped.wait(every):
            try:
                self.beat()
            except DatabaseError:
                log.warning("heartbeat of %s missed: the database did not answer",
                            self.worker_id)  # fmt: skip
            finally:
                connection.close()

    def start(self) -> None:
        self.beat()
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)
        with contextlib.suppress(DatabaseError):  # else it simply falls silent
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()


class KafoWorker(Worker):
    """django-tasks-db's worker (its signals, its claim of a task under a lock), with
    Kafo's heartbeat, housekeeping between tasks, and retries."""

    def __init__(self, *, schedule: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.schedule = schedule
        self.housekept_at = -HOUSEKEEPING_EVERY
        self.pruned_at = -PRUNING_EVERY

    def shutdown(self, signum, frame) -> None:
        # Stop now, even in the middle of a task: its writes are one transaction, rolled
        # back, and the task goes back to the queue (see run_task).
        log.warning("worker %s stopping (%s)", self.worker_id, signal.strsignal(signum))
        self.running = False
        self.reset_signals()
        sys.exit(0)

    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id, self.queue_names)
        heartbeat.start()
        log.info("worker %s started, queues %s", self.worker_id, ",".join(self.queue_names))
        try:
            while self.running:
                self.housekeeping()
                result = self.claim_next()
                if result is not None:
                    self.run_task(result)
                elif self.batch:
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                if result is None:
                    time.sleep(self.interval)
        finally:
            heartbeat.stop()

    def claim_next(self) -> DBTaskResult | None:
        """The next ready task of this worker's queues, claimed under a lock so that no
        other worker runs it; None when there is none (or the database is busy)."""
        close_old_connections()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        try:
            with exclusive_transaction(tasks.db):
                result = tasks.get_locked()
                if result is not None:
                    result.claim(self.worker_id)
                return result
        except DatabaseError as error:
            log.warning("no task claimed: %s", error)
            time.sleep(self.interval)
            return None

    def housekeeping(self) -> None:
        """Take back lost tasks and enqueue the periodic jobs that are due, at most every
        HOUSEKEEPING_EVERY seconds; a database that does not answer is tried next time."""
        if time.monotonic() - self.housekept_at < HOUSEKEEPING_EVERY:
            return
        self.housekept_at = time.monotonic()
        try:
            close_old_connections()
            take_back_lost_tasks()
            if self.schedule:
                from kafo.tasks.schedule import enqueue_due_jobs

                enqueue_due_jobs()
            if time.monotonic() - self.pruned_at >= PRUNING_EVERY:
                self.pruned_at = time.monotonic()
                prune()
        except DatabaseError as error:
            log.warning("housekeeping skipped: %s", error)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run one task; a transient error of a task that may be retried requeues it, an
        interruption (Ctrl+C, SIGTERM) gives it back to the queue, unchanged."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            in_worker.active = True
            with translation.override(settings.LANGUAGE_CODE):
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
        except (KeyboardInterrupt, SystemExit):
            DBTaskResult.objects.filter(pk=db_task_result.pk).update(
                status=TaskResultStatus.READY,
                worker_ids=db_task_result.worker_ids[:-1],
            )
            raise
        except BaseException as error:  # a task's error never stops the worker
            log.exception("task %s (%s) raised", db_task_result.pk, db_task_result.task_path)
            with translation.override(settings.LANGUAGE_CODE):
                reason = _("the task stopped: %s") % (str(error) or type(error).__name__)
            outcome = requeue_or_fail(db_task_result, reason=reason, error=error)
            if outcome == "failed":
                # Keep the engine's own record of the error, with its traceback.
                db_task_result.refresh_from_db()
                db_task_result.set_failed(error)
        finally:
            in_worker.active = False
            self.running_task = False
            self._run_tasks += 1
            close_old_connections()
