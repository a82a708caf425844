"""CPU-heavy work (the analyses, joint plans) limited per user, so that one person, or
one script with their token, cannot occupy every worker: at most
KAFO_HEAVY_PER_MINUTE such requests a minute, and KAFO_HEAVY_AT_ONCE at once. Past it: 429, with the
reason and when to try again.

The counts live in Django's cache, a table of the database: every web process, on every
machine, counts the same. (Its increments are not atomic: two requests of one person in
the same instant may both pass; the limit is for fairness, not for security.)"""

import contextlib
import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# The clock the minutes are counted on (a test holds it still).
clock = time.time


def _who(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{request.META.get('REMOTE_ADDR', '')}"


def _refused(request: HttpRequest, reason: str, retry_after: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        import json

        body, kind = json.dumps({"detail": reason}, ensure_ascii=False), "application/json"
    else:
        body = render_to_string("429.html", {"reason": reason}, request=request)
        kind = "text/html; charset=utf-8"
    response = HttpResponse(body, status=429, content_type=kind)
    response["Retry-After"] = str(retry_after)
    return response


def heavy(view):
    """Limit a view that computes an analysis or a plan, per user."""

    @functools.wraps(view)
    def limited(request: HttpRequest, *args, **kwargs):
        who = _who(request)
        minute = int(clock() // 60)
        key = f"kafo:heavy:{who}:{minute}"
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:  # expired in between
            cache.set(key, 1, timeout=120)
            count = 1
        if count > settings.KAFO_HEAVY_PER_MINUTE:
            return _refused(request, _(
                "Too many analyses at once: %(limit)d a minute per person, so that everyone "
                "gets theirs. Try again in a minute."
            ) % {"limit": settings.KAFO_HEAVY_PER_MINUTE}, 60 - int(clock()) % 60)  # fmt: skip
        # At most a few at once: a page and its map, and the map of the page just left.
        running = f"kafo:heavy:{who}:running"
        cache.add(running, 0, timeout=settings.KAFO_HEAVY_SECONDS)
        try:
            now = cache.incr(running)
        except ValueError:
            cache.set(running, 1, timeout=settings.KAFO_HEAVY_SECONDS)
            now = 1
        try:
            if now > settings.KAFO_HEAVY_AT_ONCE:
                return _refused(request, _(
                    "Your previous analyses are still being computed: wait for them, then try "
                    "again."
                ), 5)  # fmt: skip
            return view(request, *args, **kwargs)
        finally:
            with contextlib.suppress(ValueError):
                cache.decr(running)

    return limited
