"""The gaps page: map, ranked table, drill-down links to the records behind the numbers."""

import datetime
import json

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity, Need


@pytest.fixture
def planted(demo_geography, organisation):
    hi = organisation("HI")
    mopti, segou = AdminUnit.objects.get(pcode="ML0501"), AdminUnit.objects.get(pcode="ML0401")
    Need.objects.create(admin_unit=mopti, sector="PRO-MIN", year=2025, in_need=1000)
    Need.objects.create(admin_unit=segou, sector="PRO-MIN", year=2025, in_need=300)
    activity = Activity.objects.create(
        organisation=hi, title="EER", sector="PRO-MIN", activity_type="EORE",
        planned_start=datetime.date(2025, 1, 1), reached_girls=900,
    )  # fmt: skip
    activity.locations.set([mopti])


def test_it_checks_access(plain_client, planted):
    assert plain_client.get(reverse("gaps")).status_code == 302


def test_the_worst_gaps_come_first_with_their_records(client, planted, user_with_role):
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    page = client.get(reverse("gaps"), {"sector": "PRO-MIN"}).content.decode()
    assert page.index("ML0401") < page.index("ML0501")  # no presence before on track
    assert "/response/activities/?pcode=ML0501&amp;sector=PRO-MIN" in page
    assert "/response/needs/?pcode=ML0401&amp;sector=PRO-MIN" in page


def test_the_map_colours_units_by_their_gap(client, planted, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    response = client.get(reverse("gaps_geojson"), {"level": "2", "sector": "PRO-MIN"})
    features = {
        f["properties"]["pcode"]: f["properties"] for f in json.loads(response.content)["features"]
    }
    assert features["ML0401"]["gap"] == "no_presence"
    assert features["ML0501"]["gap"] == "on_track" and "900" in features["ML0501"]["summary"]
    assert features["ML0101"]["gap"] is None


def test_bad_filters_are_refused(client, planted, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    assert client.get(reverse("gaps"), {"level": "7"}).status_code == 400
    assert client.get(reverse("gaps_geojson"), {"start": "hier"}).status_code == 400


def test_mine_action_need_shows_where_hazards_are(client, mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    hazard = mine_action.hazard(editor, blockages=["road"])
    client.force_login(editor)
    page = client.get(reverse("gaps"), {"sector": "PRO-MIN"}).content.decode()
    assert hazard.admin_unit.pcode[:6] in page and "services bloqués" in page
