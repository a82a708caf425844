"""The overview counts in the database: its figures are those of the activities read one
by one, and its queries do not grow with the number of activities."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kafo.response.models import Activity

pytestmark = pytest.mark.django_db


def _rows(client) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("overview"))
    assert response.status_code == 200
    return {r["organisation"].pk: r for r in response.context["rows"]}, len(queries)


def test_the_overview_counts_what_the_activities_say(demo_loaded, client, coordinator):
    client.force_login(coordinator)
    rows, _queries = _rows(client)
    expected: dict[int, list[int]] = {}
    for activity in Activity.objects.all():
        count, reached = expected.setdefault(activity.organisation_id, [0, 0])
        expected[activity.organisation_id] = [count + 1, reached + activity.reached_total]
    assert expected
    for organisation, (count, reached) in expected.items():
        assert (rows[organisation]["activities"], rows[organisation]["reached"]) == (count, reached)


def test_its_queries_do_not_grow_with_the_activities(demo_loaded, client, coordinator):
    client.force_login(coordinator)
    _rows(client)  # sessions and caches settle
    _before, queries = _rows(client)
    template = Activity.objects.first()
    Activity.objects.bulk_create(
        Activity(organisation_id=template.organisation_id, title=f"Activité {n}",
                 sector="PRO-MIN", activity_type="EORE",
                 planned_start=datetime.date(2025, 1, 1), reached_girls=n)
        for n in range(300)
    )  # fmt: skip
    after, queries_after = _rows(client)
    assert queries_after == queries
    assert after[template.organisation_id]["reached"] >= sum(range(300))
