"""Declaring Kafo's tasks: a Django task with its retry policy, and what to record on the
object it works for (a batch, a plan, a campaign) when the task is given up."""

import functools
import smtplib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import InterfaceError, OperationalError
from django_tasks import task
from django_tasks.base import Task

# An error that can pass (the database restarting, the mail server not answering):
# a task that may be retried is retried on it; any other error fails the task at once.
# (An IntegrityError or a DataError is the data's fault: not transient.)
TRANSIENT: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
    smtplib.SMTPException,
)

# Called with the task's args and kwargs, and the error that ended it (None: its worker
# stopped under it), when the task ends failed, so that the object it worked for does not
# stay "running"; it records the reason there, in the active language.
GivenUp = Callable[[list, dict, BaseException | None], None]


@dataclass(frozen=True)
class Retry:
    """`attempts` runs at most (1: never retried); the second waits `backoff` seconds,
    each next one twice as long. A task is retried when its worker stopped under it (the
    lease ran out) or on a transient error, never on another error: only tasks that can
    run again without doing anything twice may have more than one attempt."""

    attempts: int = 1
    backoff: float = 30.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait before the run after `attempt` (1 for the first)."""
        return self.backoff * 2 ** (attempt - 1)


NEVER = Retry()


@dataclass(frozen=True)
class Policy:
    retry: Retry = NEVER
    given_up: GivenUp | None = None
    name: str = field(default="")


POLICIES: dict[str, Policy] = {}


class _InWorker(threading.local):
    active = False


# Set by Kafo's worker while it runs a task: it calls `given_up` itself, once no retry
# is left.
in_worker = _InWorker()


def job(
    *, retry: Retry = NEVER, given_up: GivenUp | None = None, queue: str = "default"
) -> Callable[[Callable[..., Any]], Task]:
    """Make `function` a task of Django's Tasks framework on `queue`, with its policy."""

    def declare(function: Callable[..., Any]) -> Task:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except Exception as error:
                # Only Kafo's worker retries; anywhere else (a task run in the request,
                # a command) this error is the end of it.
                if given_up is not None and not in_worker.active:
                    given_up(list(args), kwargs, error)
                raise

        declared = task(queue_name=queue)(run)
        POLICIES[declared.module_path] = Policy(retry, given_up, function.__name__)
        return declared

    return declare


def policy_of(task_path: str) -> Policy:
    """The policy of the task at `task_path` (never retried when it declares none)."""
    return POLICIES.get(task_path, Policy())
