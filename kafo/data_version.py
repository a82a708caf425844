"""The data version: a counter that the database moves at each committed change of the
domains' data (the triggers are installed by kafo.coordination.cache after every
`migrate`), and what is kept per version of it, such as the counts of long lists."""

import hashlib
import re

from django.core.cache import cache
from django.db import connection
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


def counted(rows: QuerySet) -> int:
    """`rows.count()`, counted once per version of the data for the same query (its SQL
    and parameters, so each reader's filters and permissions are part of it). A query
    reading a table whose changes do not move the version, or inside a transaction
    (rows not committed), is counted each time."""
    if connection.in_atomic_block:
        return rows.count()
    sql, params = rows.query.sql_with_params()
    tables = set(_TABLES_READ.findall(sql))
    if not tables or any(not t.startswith(DOMAIN_PREFIXES) or t in NOT_READ for t in tables):
        return rows.count()
    version = data_version()  # before counting: the count is never older than its key
    digest = hashlib.sha256(f"{sql}\x00{params!r}".encode()).hexdigest()[:32]
    key = f"kafo:count:{digest}:{version}"
    found = cache.get(key)
    if found is None:
        found = rows.count()
        cache.set(key, found, KEEP_SECONDS)
    return int(found)
