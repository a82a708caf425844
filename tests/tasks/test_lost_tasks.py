"""A task whose worker fell silent past the lease (killed, its machine lost) is taken
back by another worker: run again while its policy allows, else failed with a French
reason on its object. Liveness is the heartbeat, never a process id."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kafo.actors.models import Role
from kafo.coordination.models import JointPlan
from kafo.coordination.tasks import solve_plan
from kafo.interop import tasks as import_tasks
from kafo.interop.models import ImportBatch
from kafo.tasks.models import WorkerBeat
from kafo.tasks.worker import Heartbeat, alive_workers, take_back_lost_tasks

LONG_AGO = datetime.timedelta(minutes=10)


def _claimed(result, worker_id: str, attempts: int = 1) -> DBTaskResult:
    """The task as a worker left it: running, claimed `attempts` times."""
    stored = DBTaskResult.objects.get(pk=result.id)
    stored.status = "RUNNING"
    stored.started_at = timezone.now() - LONG_AGO
    stored.worker_ids = [f"earlier-{n}" for n in range(attempts - 1)] + [worker_id]
    stored.save()
    return stored


def _beat(worker_id: str, ago: datetime.timedelta) -> None:
    when = timezone.now() - ago
    WorkerBeat.objects.create(worker_id=worker_id, host="elsewhere", pid=1, queues="*",
                              started_at=when, beat_at=when)  # fmt: skip


@pytest.fixture
def editor(user_with_role, organisation):
    return user_with_role(Role.PARTNER_EDITOR, organisation("HI"))


@pytest.fixture
def running_batch(editor, queued):
    batch = ImportBatch.objects.create(
        kind="activities", filename="5w.csv", status="running", rows_total=200, rows_done=50,
        organisation=editor.membership.organisation, created_by=editor,
    )  # fmt: skip
    path = import_tasks.upload_path(batch, ".csv")
    path.write_text("#org+impl,#meta+id\nHI,secret-row\n")
    result = import_tasks.run_import.enqueue(batch.pk, path=str(path), user_pk=editor.pk)
    batch.task_id = str(result.id)
    batch.save()
    return batch, result, path


def test_a_task_of_a_silent_worker_is_run_again(running_batch):
    batch, result, path = running_batch
    _beat("dead-worker", ago=LONG_AGO)
    _claimed(result, "dead-worker")
    assert take_back_lost_tasks() == 1
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "READY" and stored.run_after > timezone.now()
    batch.refresh_from_db()
    assert batch.status == "running" and path.exists()  # kept until it is really over


def test_a_task_of_a_worker_that_beats_is_left_alone(running_batch):
    _batch, result, _path = running_batch
    _beat("busy-worker", ago=datetime.timedelta(seconds=5))
    _claimed(result, "busy-worker")
    assert take_back_lost_tasks() == 0
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"


def test_the_last_attempt_fails_the_batch_with_the_reason(client, editor, running_batch):
    batch, result, path = running_batch
    _claimed(result, "never-beat", attempts=3)  # no heartbeat at all: a lost machine
    assert take_back_lost_tasks() == 1
    assert DBTaskResult.objects.get(pk=result.id).status == "FAILED"
    batch.refresh_from_db()
    assert batch.status == "failed" and "interrompu" in batch.file_error.lower()
    assert not path.exists()  # over now: the file (it may hold sensitive rows) is gone
    client.force_login(editor)
    page = client.get(reverse("interop:batch", args=[batch.pk])).content.decode()
    assert "importez le fichier à nouveau" in page


def test_two_workers_taking_back_the_same_task_settle_it_once(running_batch):
    _batch, result, _path = running_batch
    stored = _claimed(result, "never-beat", attempts=3)
    from kafo.tasks.worker import requeue_or_fail

    first = requeue_or_fail(stored, reason="r", error=None)
    second = requeue_or_fail(stored, reason="r", error=None)
    assert (first, second) == ("failed", "")


def test_a_lost_plan_fails_with_the_reason(client, coordinator, queued):
    joint_plan = JointPlan.objects.create(
        name="Plan 2030", start=datetime.date(2030, 1, 1), months=2, status="solving",
        created_by=coordinator.membership.organisation,
    )  # fmt: skip
    result = solve_plan.enqueue(joint_plan.pk)
    _claimed(result, "never-beat", attempts=2)
    take_back_lost_tasks()
    joint_plan.refresh_from_db()
    assert joint_plan.status == "failed" and "Interrompu" in joint_plan.message
    client.force_login(coordinator)
    assert "Lancez un nouveau plan" in client.get(joint_plan.get_absolute_url()).content.decode()


def test_the_heartbeat_makes_a_worker_alive_and_its_stop_removes_it(db, settings):
    settings.KAFO_WORKER_LEASE = 60
    heartbeat = Heartbeat("w1", ["imports"])
    heartbeat.beat()
    assert list(alive_workers().values_list("worker_id", "queues")) == [("w1", "imports")]
    WorkerBeat.objects.filter(worker_id="w1").update(beat_at=timezone.now() - LONG_AGO)
    assert not alive_workers().exists()
    heartbeat.stopped.set()
    heartbeat.stop()
    assert not WorkerBeat.objects.exists()
