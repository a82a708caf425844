"""The 5W list and the API's activities name each activity's admin units, never reading
their polygons: on PostgreSQL, reading them made the 5W list's first page 0.9 s at a
million activities (docs/benchmarks.md)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity


def _two_activities(hi) -> None:
    mopti = AdminUnit.objects.get(pcode="ML0501")
    for n in range(2):
        activity = Activity.objects.create(organisation=hi, title=f"EER {n}", sector="PRO-MIN",
                                           planned_start=datetime.date(2025, 1, 1))  # fmt: skip
        activity.locations.set([mopti])


def _polygons_read(client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    read = [q["sql"] for q in queries.captured_queries
            if '"geo_adminunit"."geometry"' in q["sql"]
            or '"geo_adminunit"."display_geojson"' in q["sql"]]  # fmt: skip
    return response.content.decode(), read


def test_the_5w_list_names_the_units_without_their_polygons(
    client, demo_geography, organisation, user_with_role
):
    hi = organisation("HI")
    _two_activities(hi)
    client.force_login(user_with_role(Role.PARTNER_VIEWER, hi))
    page, read = _polygons_read(client, reverse("response:activities"))
    assert "Mopti" in page and read == []


def test_the_apis_activities_name_the_units_without_their_polygons(
    client, demo_geography, organisation, user_with_role
):
    hi = organisation("HI")
    _two_activities(hi)
    client.force_login(user_with_role(Role.PARTNER_VIEWER, hi))
    answer, read = _polygons_read(client, "/api/v1/activities/")
    assert "ML0501" in answer and read == []
