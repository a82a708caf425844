"""Periodic jobs (retention, deadline notices, the notices' e-mail...): each worker looks
for the runs that are due, and the database lets one of them, and only one, enqueue each.

The times are cron expressions in `KAFO_SCHEDULE`, read by APScheduler's cron trigger, in
the platform's time zone. A run missed while no worker was up is run once when one
starts (not once per missed day)."""

import datetime
import zoneinfo

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from kafo.tasks.models import ScheduledRun


def trigger(cron: str) -> CronTrigger:
    """A crontab line ("minute hour day month weekday") as a trigger in the platform's
    time zone; ValueError saying what is wrong in it."""
    return CronTrigger.from_crontab(cron, timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def last_due(cron: str, since: datetime.datetime, now: datetime.datetime):
    """The latest time the schedule was due after `since` and not after `now`, or None."""
    schedule, due, found = trigger(cron), since, None
    while True:
        due = schedule.get_next_fire_time(None, due + datetime.timedelta(seconds=1))
        if due is None or due > now:
            return found
        found = due


def enqueue_due_jobs(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue each periodic job that is due; the names of those enqueued here."""
    now = now or timezone.now()
    enqueued = []
    for name, job in settings.KAFO_SCHEDULE.items():
        last = ScheduledRun.objects.filter(job=name).order_by("-due_at").first()
        if last is None:  # the schedule begins now: nothing is owed from before
            _claim(name, now, task=None)
            continue
        due = last_due(job["cron"], last.due_at, now)
        if due is not None and _claim(name, due, task=job["task"]):
            enqueued.append(name)
    return enqueued


def _claim(name: str, due: datetime.datetime, task: str | None) -> bool:
    """Record the run due at `due` and enqueue it, in one transaction; False when another
    worker recorded it first."""
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(job=name, due_at=due)
            if task:
                result = import_string(task).enqueue()
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
    except IntegrityError:
        return False
    return True


def check_schedule() -> list[str]:
    """What is wrong in `KAFO_SCHEDULE` (each job a cron line and a task that exists)."""
    problems = []
    for name, job in settings.KAFO_SCHEDULE.items():
        try:
            trigger(job["cron"])
        except (KeyError, ValueError) as error:
            problems.append(f"{name}: cron {error}")
        try:
            import_string(job["task"]).enqueue  # noqa: B018
        except (KeyError, ImportError, AttributeError) as error:
            problems.append(f"{name}: task {error}")
    return problems
