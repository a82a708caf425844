"""Serving through trouble: one log line per request with its time, and requests that
wait for a database restarting rather than fail."""

import logging
import re
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


class MapLayerPrecisionMiddleware:
    """Map layers (GeoJSON that is not a download) carry coordinates to 5 decimals,
    about a metre: a hazard's polygon drawn from a GPS track kept 7. Downloads keep the
    coordinates as recorded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from kafo.geo.geometry import shorten_coordinates

        response = self.get_response(request)
        kind = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if (kind == "application/geo+json" and not response.streaming
                and not response.has_header("Content-Encoding")
                and "attachment" not in response.get("Content-Disposition", "")):  # fmt: skip
            response.content = shorten_coordinates(response.content)
            if response.has_header("Content-Length"):
                response.headers["Content-Length"] = str(len(response.content))
        return response


# Text worth compressing; PDF, XLSX, DOCX, GeoPackage and images are compressed already.
COMPRESSIBLE = ("text/", "application/json", "application/geo+json", "application/javascript",
                "application/xml", "image/svg+xml")  # fmt: skip


class TextCompressionMiddleware:
    """Pages, JSON and GeoJSON sent compressed to a browser that accepts it (a 2G link
    pays for every byte): Brotli where the browser asks for it, gzip otherwise. Files that
    are compressed already pass as they are.

    gzip is Django's own GZipMiddleware, with its BREACH mitigation (random bytes in each
    response's gzip header). Brotli has no such header; what BREACH reads in a page is
    its CSRF token, which Django masks with new random bytes in every response."""

    def __init__(self, get_response):
        from django.middleware.gzip import GZipMiddleware

        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request):
        response = self.get_response(request)
        kind = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if not kind.startswith(COMPRESSIBLE):
            return response
        if accepts_brotli(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return compress_with_brotli(response)
        return self.gzip.process_response(request, response)


_BROTLI = re.compile(r"(?:^|,)\s*br\s*(?:,|;(?!\s*q\s*=\s*0(?:\.0*)?\s*(?:,|$))|$)")
BROTLI_QUALITY = 5  # on the fly: 6 kB pages in about a millisecond; static files get 11


def accepts_brotli(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header takes `br` (and not with q=0)."""
    return bool(_BROTLI.search(accept_encoding.lower()))


def compress_with_brotli(response):
    """The response compressed with Brotli, streamed if it streams; as it is when it is
    already encoded or too small to gain."""
    import brotli
    from django.utils.cache import patch_vary_headers

    if response.has_header("Content-Encoding"):
        return response
    if not response.streaming and len(response.content) < 200:
        return response
    if response.streaming and response.is_async:
        return response  # Kafo is served by WSGI: no asynchronous bodies to compress
    patch_vary_headers(response, ("Accept-Encoding",))
    if response.streaming:
        compressor = brotli.Compressor(quality=BROTLI_QUALITY)

        def chunks(content):
            for chunk in content:
                data = compressor.process(chunk if isinstance(chunk, bytes) else chunk.encode())
                if data:
                    yield data
            yield compressor.finish()

        response.streaming_content = chunks(response.streaming_content)
        del response.headers["Content-Length"]
    else:
        compressed = brotli.compress(response.content, quality=BROTLI_QUALITY)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
    if response.has_header("ETag"):
        response.headers["ETag"] = re.sub(r'"$', ';br"', response.headers["ETag"])
    response.headers["Content-Encoding"] = "br"
    return response
