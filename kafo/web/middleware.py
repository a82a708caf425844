"""Serving through trouble: one log line per request with its time, and requests that
wait for a database restarting rather than fail."""

import logging
import sys
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connection
from django.dispatch import receiver

from kafo.database import wait_for_database

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
    once, on a new connection. A write is never run twice: it fails, and says so.

    Django turns an error into a 500 response inside each layer, so the cut is known by
    the `got_request_exception` signal, which marks the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wait = settings.KAFO_DATABASE_WAIT
        if _needs_database(request):
            wait_for_database(wait)
        response = self.get_response(request)
        if getattr(request, LOST, False) and request.method in SAFE_METHODS and wait:
            setattr(request, LOST, False)
            log.warning("%s %s: database connection lost, run again", request.method,
                        request.path)  # fmt: skip
            connection.close()
            wait_for_database(wait)
            response = self.get_response(request)
        return response


LOST = "kafo_database_lost"


@receiver(got_request_exception)
def _mark_lost_connection(sender, request=None, **kwargs) -> None:
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, (OperationalError, InterfaceError)):
        setattr(request, LOST, True)


# Text worth compressing; PDF, XLSX, DOCX, GeoPackage and images are compressed already.
COMPRESSIBLE = ("text/", "application/json", "application/geo+json", "application/javascript",
                "application/xml", "image/svg+xml")  # fmt: skip


class TextCompressionMiddleware:
    """Pages, JSON and GeoJSON sent gzipped to a browser that accepts it (a 2G link pays
    for every byte); files that are compressed already pass as they are. Django's own
    GZipMiddleware does the work, with its BREACH mitigation (random bytes in each
    response's gzip header)."""

    def __init__(self, get_response):
        from django.middleware.gzip import GZipMiddleware

        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request):
        response = self.get_response(request)
        kind = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if kind.startswith(COMPRESSIBLE):
            return self.gzip.process_response(request, response)
        return response
