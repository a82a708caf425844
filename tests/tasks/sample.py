"""Tasks for the tests of the worker: they record what happened to them."""

from django.db import OperationalError

from kafo.tasks.jobs import Retry, job

GIVEN_UP: list[tuple] = []


def _given_up(args, kwargs, error):
    GIVEN_UP.append((args, kwargs, None if error is None else type(error).__name__))


@job(retry=Retry(attempts=3, backoff=10), given_up=_given_up)
def flaky(kind: str) -> str:
    if kind == "transient":
        raise OperationalError("the server closed the connection")
    if kind == "bug":
        raise ZeroDivisionError("division by zero")
    return "done"


@job(given_up=_given_up)
def once(kind: str) -> str:
    if kind == "transient":
        raise OperationalError("the server closed the connection")
    return "done"
