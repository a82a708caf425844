"""Deep pages without OFFSET: `?after=ID` gives the rows after that id, in id order, and
`next` carries the last id of the page. Walking a list this way gives each row once,
even while rows are added behind the walk; a bad `after` is a 400 with its reason."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from tests.response.activities_made import make_activities

URL = "/api/v1/activities/"


@pytest.fixture
def reader(api, user_with_role, demo_geography, organisation):
    hi = organisation("HI")
    make_activities(hi, [AdminUnit.objects.get(pcode="ML0501")], 25)
    return api(user_with_role(Role.PARTNER_VIEWER, hi)), hi


def _walk(client, first: str) -> list[int]:
    seen, url = [], first
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    return seen


def test_walking_by_id_gives_every_row_once_in_id_order(reader):
    client, _hi = reader
    seen = _walk(client, f"{URL}?after=0&limit=10")
    everything = [row["id"] for row in client.get(f"{URL}?limit=1000").json()["results"]]
    assert seen == sorted(everything) and len(seen) == 25


def test_the_next_link_carries_the_last_id_and_the_filters(reader):
    client, _hi = reader
    body = client.get(f"{URL}?after=0&limit=10&pcode=ML05").json()
    last = body["results"][-1]["id"]
    assert f"after={last}" in body["next"] and "pcode=ML05" in body["next"]
    assert "offset" not in body["next"] and body["count"] == 25


def test_rows_added_during_the_walk_do_not_shift_it(reader):
    client, hi = reader
    first = client.get(f"{URL}?after=0&limit=10").json()
    make_activities(hi, [AdminUnit.objects.get(pcode="ML0501")], 5, "New")
    rest = _walk(client, first["next"])
    seen = [row["id"] for row in first["results"]] + rest
    assert len(seen) == len(set(seen)) == 30


def test_a_deep_page_reads_no_more_rows_than_it_shows(reader):
    client, _hi = reader
    with CaptureQueriesContext(connection) as done:
        client.get(f"{URL}?after=20&limit=2")
    selects = [q["sql"] for q in done if "response_activity" in q["sql"]]
    assert not any("OFFSET" in sql.upper() for sql in selects)


@pytest.mark.parametrize("after", ["-1", "abc", "1.5", "99999999999999999999999"])
def test_a_bad_after_is_refused_with_its_reason(reader, after):
    client, _hi = reader
    response = client.get(f"{URL}?after={after}")
    assert response.status_code == 400 and "after" in response.json()


def test_after_and_offset_together_are_refused(reader):
    client, _hi = reader
    response = client.get(f"{URL}?after=3&offset=10")
    assert response.status_code == 400 and "after" in response.json()


def test_record_lists_walk_by_id_too(api, mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    made = {mine_action.accident(editor).reference for _n in range(3)}
    client = api(user_with_role(Role.PARTNER_VIEWER))
    seen, url = [], "/api/v1/mineaction/accident/?after=0&limit=2"
    while url:
        body = client.get(url).json()
        seen += [row["reference"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(made)
