"""CPU-heavy work (the analyses, joint plans) limited per user, so that one person, or
one script with their token, cannot occupy every worker: at most
KAFO_HEAVY_PER_MINUTE such requests a minute, and KAFO_HEAVY_AT_ONCE at once. Past it: 429, with the
reason and when to try again.

The counts live in a table of the database (HeavyCount): every web process, on every
machine, counts the same. Each count moves by one atomic statement (an upsert that
returns the new count), so two requests of one person in the same instant are counted
both, and a request costs two or three short statements, not a transaction each."""

import contextlib
import functools
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from kafo.security.models import HeavyCount

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


def _add_one(name: str, seconds: float) -> int:
    """Count one more under `name` and return the count, kept `seconds` from now; a count
    past its time starts again at 1."""
    now = clock()
    table = connection.ops.quote_name(HeavyCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, count, expires) VALUES (%s, 1, %s) "
            f"ON CONFLICT (name) DO UPDATE SET "
            f"count = CASE WHEN {table}.expires < %s THEN 1 ELSE {table}.count + 1 END, "
            f"expires = excluded.expires RETURNING count",
            [name, now + seconds, now],
        )
        count = int(cursor.fetchone()[0])
        if count == 1:  # once per person and minute: forget the counts past their time
            cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [now])
    return count


def _take_one(name: str) -> None:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(HeavyCount._meta.db_table)
        cursor.execute(f"UPDATE {table} SET count = count - 1 WHERE name = %s AND count > 0",
                       [name])  # fmt: skip


def heavy(view):
    """Limit a view that computes an analysis or a plan, per user."""

    @functools.wraps(view)
    def limited(request: HttpRequest, *args, **kwargs):
        who = _who(request)
        minute = int(clock() // 60)
        count = _add_one(f"kafo:heavy:{who}:{minute}", 120)
        if count > settings.KAFO_HEAVY_PER_MINUTE:
            return _refused(request, _(
                "Too many analyses at once: %(limit)d a minute per person, so that everyone "
                "gets theirs. Try again in a minute."
            ) % {"limit": settings.KAFO_HEAVY_PER_MINUTE}, 60 - int(clock()) % 60)  # fmt: skip
        # At most a few at once: a page and its map, and the map of the page just left.
        # (A count left by a process that died is forgotten after KAFO_HEAVY_SECONDS.)
        running = f"kafo:heavy:{who}:running"
        now = _add_one(running, settings.KAFO_HEAVY_SECONDS)
        try:
            if now > settings.KAFO_HEAVY_AT_ONCE:
                return _refused(request, _(
                    "Your previous analyses are still being computed: wait for them, then try "
                    "again."
                ), 5)  # fmt: skip
            return view(request, *args, **kwargs)
        finally:
            # A lost database must not hide the view's own error; the count then goes by
            # itself after KAFO_HEAVY_SECONDS.
            with contextlib.suppress(DatabaseError):
                _take_one(running)

    return limited
