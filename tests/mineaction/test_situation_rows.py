"""The situation page's rows, a unit each, count what lies under that unit: accidents,
casualties and the area still to release, counted by the database in one query each
(not a row per victim in Python, nor a query per unit)."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.mineaction import figures
from tests.conftest import square

REGIONS = ["ML01", "ML05", "ML07"]  # Kayes, Mopti, Gao


def _records(mine_action, editor):
    mopti = mine_action.accident(editor, date="2021-06-01")  # the factory's place: Mopti
    gao = mine_action.accident(editor, date="2022-02-01", longitude=-0.05, latitude=16.27)
    mine_action.accident(editor, date="2023-02-01")
    for _ in range(3):
        mine_action.victim(editor, mopti, outcome="killed", sex="male", age=9)
    mine_action.victim(editor, gao, outcome="injured", sex="female", age="")
    mine_action.hazard(editor, estimated_area_m2=100_000)
    mine_action.hazard(editor, estimated_area_m2=25_000,
                       geometry=json.dumps(square(-0.05, 16.27, 0.01)))  # fmt: skip
    mine_action.hazard(editor, estimated_area_m2=40_000, status="closed",
                       geometry=json.dumps(square(-0.06, 16.3, 0.01)))  # fmt: skip


def test_each_unit_counts_what_lies_under_it(mine_action, user_with_role):
    _records(mine_action, user_with_role(Role.PARTNER_EDITOR))
    assert figures.accidents_by_unit(REGIONS) == {"ML01": 0, "ML05": 2, "ML07": 1}
    assert figures.accidents_by_unit(REGIONS, 2021) == {"ML01": 0, "ML05": 1, "ML07": 0}
    assert figures.casualties_by_unit(REGIONS) == {"ML01": 0, "ML05": 3, "ML07": 1}
    assert figures.remaining_area_by_unit(REGIONS) == {
        "ML01": 0, "ML05": 100_000, "ML07": 25_000
    }  # fmt: skip
    # The same as the figure of each unit on its own (another query).
    for pcode, m2 in figures.remaining_area_by_unit(REGIONS).items():
        assert m2 == figures.remaining_area_m2(pcode)
    # A cercle's p-code extends its region's: counted under the cercle and not elsewhere.
    cercles = AdminUnit.objects.active().filter(parent__pcode="ML05")
    under = figures.accidents_by_unit(list(cercles.values_list("pcode", flat=True)))
    assert len(under) > 1 and sum(under.values()) == 2
    assert figures.casualty_years() == [2022, 2021]


def test_the_page_shows_them_in_a_bounded_number_of_queries(client, mine_action,
                                                            user_with_role):  # fmt: skip
    _records(mine_action, user_with_role(Role.PARTNER_EDITOR))
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    client.get(reverse("situation"))
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("situation"))
    rows = {row["unit"].pcode: row for row in page.context["rows"]}
    assert (rows["ML05"]["accidents"], rows["ML05"]["casualties"]) == (2, 3)
    assert rows["ML05"]["remaining"] == 100_000 and rows["ML07"]["remaining"] == 25_000
    # More records, not more queries.
    editor = user_with_role(Role.PARTNER_EDITOR)
    for _ in range(5):
        mine_action.victim(editor, mine_action.accident(editor, date="2024-01-01"))
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("situation"))
    assert len(more.captured_queries) == len(few.captured_queries)
