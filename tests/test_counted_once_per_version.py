"""Long lists are counted once per version of the data and query: the count is asked of
the database again after a committed change, or for other filters or another reader's
permissions; a query reading a table whose changes do not move the version, or inside a
transaction, is counted each time.

These tests commit (transactional_db): on PostgreSQL the version moves at commit."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kafo.actors.models import Membership, Organisation
from kafo.data_version import counted
from kafo.response.models import Activity


@pytest.fixture
def activities(transactional_db):
    cache.clear()
    hi = Organisation.objects.create(name="Humanité & Inclusion", acronym="HI")
    drc = Organisation.objects.create(name="Danish Refugee Council", acronym="DRC")
    for n in range(3):
        Activity.objects.create(title=f"HI {n}", organisation=hi, sector="PRO-MIN")
    Activity.objects.create(title="DRC", organisation=drc, sector="EDU")
    yield hi, drc
    cache.clear()


def _counts_asked(rows) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        found = counted(rows)
    table = rows.model._meta.db_table  # (the database cache counts its own rows too)
    return found, sum("COUNT(" in q["sql"].upper() and table in q["sql"] for q in queries)


def test_a_list_is_counted_once_per_version(activities):
    hi, _drc = activities
    assert _counts_asked(Activity.objects.all()) == (4, 1)
    assert _counts_asked(Activity.objects.all()) == (4, 0)
    Activity.objects.create(title="HI 4", organisation=hi, sector="PRO-MIN")
    assert _counts_asked(Activity.objects.all()) == (5, 1)


def test_other_filters_are_other_counts(activities):
    hi, drc = activities
    assert counted(Activity.objects.filter(organisation=hi)) == 3
    assert counted(Activity.objects.filter(organisation=drc)) == 1
    assert counted(Activity.objects.filter(sector="EDU")) == 1
    assert counted(Activity.objects.filter(organisation=hi)) == 3


def test_a_table_outside_the_version_is_counted_each_time(activities):
    hi, _drc = activities
    person = get_user_model().objects.create(username="a")
    Membership.objects.create(user=person, organisation=hi, role="partner_viewer")
    members = Membership.objects.filter(organisation=hi)
    assert _counts_asked(members) == (1, 1)
    assert _counts_asked(members) == (1, 1)
    assert _counts_asked(get_user_model().objects.all()) == (1, 1)


def test_uncommitted_rows_are_counted_each_time(activities):
    hi, _drc = activities
    counted(Activity.objects.all())
    with transaction.atomic():
        Activity.objects.create(title="pas encore", organisation=hi, sector="PRO-MIN")
        assert _counts_asked(Activity.objects.all()) == (5, 1)
        transaction.set_rollback(True)
    assert counted(Activity.objects.all()) == 4


def test_the_5w_list_and_the_api_count_once_per_version(activities, client, user_with_role):
    from kafo.actors.models import Role

    hi, _drc = activities
    client.force_login(user_with_role(Role.COORDINATOR, hi))
    for url in ("/response/activities/", "/api/v1/activities/"):
        asked = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            asked.append(sum("COUNT(" in q["sql"].upper() and "response_activity" in q["sql"]
                             and "GROUP BY" not in q["sql"].upper() for q in queries))  # fmt: skip
        assert asked[0] >= 1 and asked[1] == asked[0] - 1, (url, asked)


def _grouped(queries) -> int:
    return sum("GROUP BY" in q["sql"].upper() and "response_activity" in q["sql"]
               for q in queries)  # fmt: skip


def test_the_overview_sums_once_per_version(activities, client, user_with_role):
    from kafo.actors.models import Role

    hi, _drc = activities
    client.force_login(user_with_role(Role.COORDINATOR, hi))
    with CaptureQueriesContext(connection) as first:
        client.get("/response/")
    with CaptureQueriesContext(connection) as second:
        page = client.get("/response/").content.decode()
    assert _grouped(first) == 1 and _grouped(second) == 0
    Activity.objects.create(title="HI 4", organisation=hi, sector="PRO-MIN")
    with CaptureQueriesContext(connection) as after:
        changed = client.get("/response/").content.decode()
    assert _grouped(after) == 1 and page != changed


def test_a_map_layer_counts_its_units_once_per_version(activities, client, user_with_role,
                                                       demo_geography, settings):  # fmt: skip
    from kafo.actors.models import Role
    from kafo.geo.models import AdminUnit

    hi, _drc = activities
    settings.KAFO_MAP_FEATURES = 1  # counted per unit, not one by one
    mopti = AdminUnit.objects.get(pcode="ML0501")
    for activity in Activity.objects.all():
        activity.locations.add(mopti)
    client.force_login(user_with_role(Role.COORDINATOR, hi))
    url = "/response/activities.geojson"
    with CaptureQueriesContext(connection) as first:
        counts = client.get(url).json()["features"]
    with CaptureQueriesContext(connection) as second:
        again = client.get(url).json()["features"]
    assert again == counts and [f["properties"]["count"] for f in counts] == [4]
    assert _grouped(first) == 1 and _grouped(second) == 0
