"""Serving through trouble: one log line per request with its time, and requests that
wait for a database restarting rather than fail."""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

log = logging.getLogger("kafo.requests")

# Methods that change nothing: one that met a connection lost mid-way is run again.
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class RequestLogMiddleware:
    """`GET /response/ 200 12 ms user` for each request, at INFO on `kafo.requests`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        took = (time.perf_counter() - started) * 1000
        user = getattr(request, "user", None)
        name = user.get_username() if user is not None and user.is_authenticated else "-"
        log.info("%s %s %s %.0f ms %s", request.method, request.get_full_path()[:300],
                 response.status_code, took, name)  # fmt: skip
        return response


def wait_for_database(seconds: float) -> None:
    """Connect, trying again for up to `seconds` while the database does not answer (a
    restart takes about a second); the last error is raised after that."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            connection.ensure_connection()
            return
        except (OperationalError, InterfaceError):
            connection.close()
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.2)


def _needs_database(request) -> bool:
    """A request of someone logged in (a session, a token) or a write reads the database
    at once; an anonymous read (the login page, the schema, /health/) may not need it."""
    return bool(
        request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        or "HTTP_AUTHORIZATION" in request.META
        or request.method not in SAFE_METHODS
    )


class WaitForDatabaseMiddleware:
    """A request that arrives while the database restarts waits for it (up to
    KAFO_DATABASE_WAIT seconds); a read whose connection was cut mid-way is run again
    once, on a new connection. A write is never run twice: it fails, and says so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wait = settings.KAFO_DATABASE_WAIT
        if _needs_database(request):
            wait_for_database(wait)
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError):
            if request.method not in SAFE_METHODS or not wait:
                raise
            connection.close()
            wait_for_database(wait)
            return self.get_response(request)
