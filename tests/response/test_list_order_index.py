"""The 5W list's default order (latest planned start, then title) is read from an index:
no sort of the whole table at every page."""

import pytest
from django.db import connection

from kafo.response.models import Activity

pytestmark = pytest.mark.django_db


def test_the_default_order_reads_the_index():
    sql, params = Activity.objects.all()[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(part) for row in cursor.fetchall() for part in row)
    assert "activity_list_order" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan.split("activity_list_order")[0], plan
