"""The data version: a counter that the database moves at each committed change of the
domains' data (the triggers are installed by kafo.coordination.cache after every
`migrate`), and what is kept per version of it: the counts of long lists, and the few
rows of aggregates over every record (the overview, the map layers' counts)."""

import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import QuerySet

# The domains' tables, whose changes move the version.
DOMAIN_PREFIXES = (
    "actors_", "geo_", "mineaction_", "response_", "funding_", "commitments_", "communities_",
)  # fmt: skip
# Tables of the domains that no analysis reads: people's memberships change at each
# account made, and would make every answer computed again for nothing.
NOT_READ = {"actors_membership"}
# A count is kept a day at most (an unused version's counts go by themselves).
KEEP_SECONDS = 24 * 3600
_TABLES_READ = re.compile(r'(?:FROM|JOIN)\s+"([^"]+)"', re.IGNORECASE)


def data_version() -> int:
    """The data version now (it moves at each committed change of the domains' data)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM kafo_data_version WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


@contextmanager
def bulk_writing(*tables: str) -> Iterator[None]:
    """A transaction writing many rows into `tables`, which moves the version once.

    On SQLite the triggers move the version at each row written: a third of the time of
    writing a million activities. Here they are dropped, the version moved once, and the
    triggers made again before the end, all in one transaction: no other connection
    writes meanwhile (SQLite has one writer) nor sees them missing, and an error rolls
    the whole back, triggers included. PostgreSQL's triggers run once per statement."""
    with transaction.atomic():
        if connection.vendor != "sqlite":
            yield
            return
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                f"AND name LIKE 'kafo_version_%%' AND tbl_name IN ({marks})",
                list(tables),
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            if triggers:
                cursor.execute("UPDATE kafo_data_version SET version = version + 1 WHERE id = 1")
        yield
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)


def counted(rows: QuerySet) -> int:
    """`rows.count()`, counted once per version of the data for the same query (its SQL
    and parameters, so each reader's filters and permissions are part of it). A query
    reading a table whose changes do not move the version, or inside a transaction
    (rows not committed), is counted each time."""
    return int(_once_per_version(rows, "count", rows.count))


def rows_once_per_version(rows: QuerySet) -> list:
    """`list(rows)` of an aggregate (a row per organisation, per unit...), read once per
    version of the data for the same query, as `counted`."""
    return list(_once_per_version(rows, "rows", lambda: list(rows)))


def _once_per_version(rows: QuerySet, kind: str, read: Callable[[], Any]) -> Any:
    if connection.in_atomic_block:
        return read()
    sql, params = rows.query.sql_with_params()
    tables = set(_TABLES_READ.findall(sql))
    if not tables or any(not t.startswith(DOMAIN_PREFIXES) or t in NOT_READ for t in tables):
        return read()
    version = data_version()  # before reading: the answer is never older than its key
    digest = hashlib.sha256(f"{kind}\x00{sql}\x00{params!r}".encode()).hexdigest()[:32]
    key = f"kafo:{kind}:{digest}:{version}"
    found = cache.get(key)
    if found is None:
        found = read()
        cache.set(key, found, KEEP_SECONDS)
    return found
