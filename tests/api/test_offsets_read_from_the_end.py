"""An offset in the second half of an API list is read from the list's end: the same
rows as reading from the start, and the database steps over the rows after the page,
not over the first half."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kafo.actors.models import Role
from tests.test_paging_from_the_nearer_end import activities  # noqa: F401 (a fixture)

COUNT = 23


def _skipped(queries) -> list[int]:
    """The rows each read of the list steps over (its OFFSET)."""
    reads = [sql for sql in (q["sql"] for q in queries)
             if 'FROM "response_activity"' in sql and "COUNT(" not in sql.upper()]  # fmt: skip
    assert reads
    return [int(m.group(1)) if (m := re.search(r"OFFSET (\d+)", sql)) else 0 for sql in reads]


def test_the_api_reads_a_deep_offset_from_the_end(activities, api, user_with_role):  # noqa: F811
    client = api(user_with_role(Role.PARTNER_VIEWER, activities[0].organisation))
    whole = [row["id"] for row in client.get("/api/v1/activities/?limit=1000").json()["results"]]
    assert len(whole) == COUNT
    for offset in (0, 7, 12, 18, 20, 22, 23):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(f"/api/v1/activities/?limit=4&offset={offset}").json()
        assert [row["id"] for row in body["results"]] == whole[offset : offset + 4], offset
        assert body["count"] == COUNT
        if COUNT // 2 < offset < COUNT:
            assert max(_skipped(queries)) <= COUNT - offset, offset
