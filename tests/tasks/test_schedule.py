"""Periodic jobs: each is enqueued once when due, whatever the number of workers; a run
missed while no worker was up is run once, not once per missed day."""

import datetime
import zoneinfo

import pytest
from django_tasks_db.models import DBTaskResult

from kafo.tasks.models import ScheduledRun
from kafo.tasks.schedule import check_schedule, enqueue_due_jobs, last_due

BAMAKO = zoneinfo.ZoneInfo("Africa/Bamako")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=BAMAKO)


@pytest.fixture
def one_job(db, settings, queued):
    settings.KAFO_SCHEDULE = {
        "retention": {"cron": "30 2 * * *", "task": "kafo.security.tasks.apply_retention"}
    }


def test_the_first_look_only_marks_the_start(one_job):
    assert enqueue_due_jobs(at(1, 12)) == []
    assert list(ScheduledRun.objects.values_list("job", "task_id")) == [("retention", "")]
    assert not DBTaskResult.objects.exists()


def test_a_due_job_is_enqueued_once_by_several_workers(one_job):
    enqueue_due_jobs(at(1, 12))
    assert enqueue_due_jobs(at(2, 1)) == []  # not due before 02:30
    assert enqueue_due_jobs(at(2, 2, 31)) == ["retention"]
    assert enqueue_due_jobs(at(2, 2, 31)) == []  # a second worker, the same minute
    assert enqueue_due_jobs(at(2, 9)) == []
    task = DBTaskResult.objects.get()
    assert task.task_path == "kafo.security.tasks.apply_retention"
    assert task.queue_name == "periodic"
    assert ScheduledRun.objects.get(task_id=str(task.pk)).due_at == at(2, 2, 30)


def test_days_missed_while_no_worker_ran_are_run_once(one_job):
    enqueue_due_jobs(at(1, 12))
    assert enqueue_due_jobs(at(5, 12)) == ["retention"]
    assert DBTaskResult.objects.count() == 1
    assert ScheduledRun.objects.order_by("-due_at").first().due_at == at(5, 2, 30)


def test_the_enqueued_job_runs_in_a_worker(one_job, worker):
    enqueue_due_jobs(at(1, 12))
    enqueue_due_jobs(at(2, 3))
    worker()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_last_due_is_in_the_platform_time_zone(settings):
    assert last_due("30 2 * * *", at(1, 12), at(3, 0)) == at(2, 2, 30)
    assert last_due("30 2 * * *", at(1, 12), at(2, 2)) is None


def test_the_default_schedule_is_valid(db):
    assert check_schedule() == []


def test_a_wrong_schedule_is_reported(settings):
    settings.KAFO_SCHEDULE = {"bad": {"cron": "99 * * *", "task": "kafo.nowhere.task"}}
    problems = check_schedule()
    assert len(problems) == 2 and all(p.startswith("bad:") for p in problems)


def test_what_is_over_is_pruned_but_the_latest_run_of_each_job(one_job, worker):
    from kafo.tasks.models import SentMessage
    from kafo.tasks.worker import prune

    enqueue_due_jobs(at(1, 12))
    enqueue_due_jobs(at(2, 3))
    enqueue_due_jobs(at(3, 3))
    worker()
    SentMessage.objects.create(key="notices:old")
    later = at(3, 3) + datetime.timedelta(days=40)
    deleted = prune(later)
    assert deleted == {"tasks": 2, "messages": 1, "workers": 0, "runs": 2}
    assert list(ScheduledRun.objects.values_list("due_at", flat=True)) == [at(3, 2, 30)]
    assert enqueue_due_jobs(later) == ["retention"]  # the schedule goes on from it


def test_recent_work_is_kept(one_job, worker):
    from kafo.tasks.worker import prune

    enqueue_due_jobs(at(1, 12))
    enqueue_due_jobs(at(2, 3))
    worker()
    assert prune(at(2, 4)) == {"tasks": 0, "messages": 0, "workers": 0, "runs": 0}
