"""Pages of the second half of a list are read from its end: the same rows, in the same
order, as reading every row from the start (ties broken by the primary key), with no
OFFSET over the first half (the 5W list's pages; the API's offsets are in
tests/api/test_offsets_read_from_the_end.py)."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from kafo.paging import in_total_order, page_of
from kafo.response.models import Activity

D = datetime.date


@pytest.fixture
def activities(db, organisation):
    """23 activities with many ties in the list's order (start, title), and no start."""
    hi = organisation("HI")
    starts = [D(2025, 1, 1), D(2025, 1, 1), None, D(2024, 6, 1)]
    return Activity.objects.bulk_create(
        Activity(title=f"T{n % 3}", organisation=hi, sector="PRO-MIN",
                 planned_start=starts[n % 4], source_id=f"S{n}")
        for n in range(23)
    )  # fmt: skip


def _page(number: int, per_page: int = 5) -> list[int]:
    request = RequestFactory().get("/", {"page": number})
    return [row.pk for row in page_of(request, Activity.objects.all(), per_page)["page"]]


def test_every_page_holds_the_rows_of_the_whole_order(activities):
    everything = list(in_total_order(Activity.objects.all()).values_list("pk", flat=True))
    assert sorted(everything) == sorted(a.pk for a in activities)
    pages = [_page(number) for number in range(1, 6)]
    assert [pk for page in pages for pk in page] == everything
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]


def test_ties_are_broken_by_the_primary_key_both_ways(activities):
    ordered = in_total_order(Activity.objects.all())
    forward = list(ordered.values_list("pk", flat=True))
    backward = list(ordered.reverse().values_list("pk", flat=True))
    assert backward == forward[::-1]


def test_the_last_page_skips_no_row_before_it(activities):
    with CaptureQueriesContext(connection) as queries:
        _page(5)
    reads = [q["sql"] for q in queries if "COUNT(" not in q["sql"].upper()]
    assert reads and all("OFFSET" not in sql.upper() for sql in reads), reads
