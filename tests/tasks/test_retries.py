"""Retries are explicit: a task that may be retried runs again after its back-off on a
transient error; any other error, or the last attempt, fails it and tells its object."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.tasks import sample


@pytest.fixture(autouse=True)
def _forget():
    sample.GIVEN_UP.clear()


def test_a_task_runs_and_succeeds(db, worker):
    result = sample.flaky.enqueue("fine")
    worker()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "SUCCESSFUL" and stored.return_value == "done"


def test_a_transient_error_is_retried_after_the_back_off(db, worker):
    result = sample.flaky.enqueue("transient")
    before = timezone.now()
    worker()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "READY" and len(stored.worker_ids) == 1
    wait = (stored.run_after - before).total_seconds()
    assert 9 <= wait <= 11  # the first back-off: 10 s
    assert not sample.GIVEN_UP


def test_the_back_off_doubles_and_the_last_attempt_fails(db, worker):
    result = sample.flaky.enqueue("transient")
    for expected_wait in (10, 20):
        worker()
        stored = DBTaskResult.objects.get(pk=result.id)
        assert stored.status == "READY"
        assert round((stored.run_after - timezone.now()).total_seconds()) in (
            expected_wait - 1,
            expected_wait,
        )
        stored.run_after = timezone.now() - datetime.timedelta(seconds=1)
        stored.save(update_fields=["run_after"])
    worker()  # the third attempt of three
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "FAILED" and len(stored.worker_ids) == 3
    assert stored.exception_class_path == "django.db.utils.OperationalError"
    assert sample.GIVEN_UP == [(["transient"], {}, "OperationalError")]


def test_a_bug_is_not_retried(db, worker):
    result = sample.flaky.enqueue("bug")
    worker()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "FAILED" and "ZeroDivisionError" in stored.traceback
    assert sample.GIVEN_UP == [(["bug"], {}, "ZeroDivisionError")]


def test_a_task_without_retries_fails_at_the_first_transient_error(db, worker):
    result = sample.once.enqueue("transient")
    worker()
    assert DBTaskResult.objects.get(pk=result.id).status == "FAILED"
    assert sample.GIVEN_UP == [(["transient"], {}, "OperationalError")]


def test_a_failing_task_does_not_stop_the_worker(db, worker):
    bad, good = sample.flaky.enqueue("bug"), sample.flaky.enqueue("fine")
    worker()
    assert DBTaskResult.objects.get(pk=bad.id).status == "FAILED"
    assert DBTaskResult.objects.get(pk=good.id).status == "SUCCESSFUL"


def test_run_in_the_request_an_error_tells_the_object_at_once(db):
    # The immediate backend (tests, KAFO_TASKS_IMMEDIATE) has no worker to retry.
    sample.flaky.enqueue("transient")
    assert sample.GIVEN_UP == [(["transient"], {}, "OperationalError")]
