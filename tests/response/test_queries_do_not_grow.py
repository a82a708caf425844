"""The 5W map layer and exports ask the database the same few queries whatever the
number of activities: no list of every id (SQLite refused "too many SQL variables" past
a few hundred thousand activities)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from tests.response.activities_made import make_activities


def _activities(organisation, count: int) -> None:
    make_activities(organisation, AdminUnit.objects.filter(level=2).order_by("pcode")[:2], count)


@pytest.fixture
def reader(client, demo_geography, user_with_role, organisation):
    hi = organisation("HI")
    client.force_login(user_with_role(Role.COORDINATOR, hi))
    return hi


PAGES = [
    ("response:activities_geojson", ""),
    ("response:activity_export", ""),
    ("response:activity_export", "?format=hxl"),
]


def _queries(client, name: str, query: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name) + query)
    assert response.status_code == 200
    return response, captured.captured_queries


@pytest.mark.parametrize(("name", "query"), PAGES)
def test_the_queries_do_not_grow_with_the_activities(client, reader, name, query):
    _activities(reader, 5)
    _response, few = _queries(client, name, query)
    _activities(reader, 3000)
    _response, many = _queries(client, name, query)
    assert len(many) <= len(few) + 2  # the iterator's chunks, at most
    assert max(len(q["sql"]) for q in many) < 5000  # no list of 3,005 ids


def test_every_activity_is_on_the_map_at_its_units(client, reader):
    _activities(reader, 300)
    response, _queries_made = _queries(client, "response:activities_geojson", "")
    assert len(response.json()["features"]) == 600


def test_the_export_names_the_units_of_each_activity(client, reader):
    _activities(reader, 300)
    response, _queries_made = _queries(client, "response:activity_export", "?format=hxl")
    lines = response.getvalue().decode("utf-8-sig").splitlines()
    pcodes = sorted(AdminUnit.objects.filter(level=2).values_list("pcode", flat=True))[:2]
    rows = [line for line in lines if line.startswith("HI,") or ",S" in line]
    assert len([line for line in lines if line.endswith(" ".join(pcodes))]) == 300, rows[:3]
