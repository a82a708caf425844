"""The equity page: shares of need against shares of response, headline, map."""

import datetime
import json

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity, Need


@pytest.fixture
def planted(demo_geography, organisation):
    mopti, segou = AdminUnit.objects.get(pcode="ML0501"), AdminUnit.objects.get(pcode="ML0401")
    Need.objects.create(admin_unit=mopti, sector="PRO-MIN", year=2025, in_need=1000)
    Need.objects.create(admin_unit=segou, sector="PRO-MIN", year=2025, in_need=1000)
    activity = Activity.objects.create(
        organisation=organisation("HI"), title="EER", sector="PRO-MIN", activity_type="EORE",
        planned_start=datetime.date(2025, 1, 1), reached_girls=900,
    )  # fmt: skip
    activity.locations.set([mopti])


def test_it_checks_access(plain_client, planted):
    assert plain_client.get(reverse("equity")).status_code == 302
    assert plain_client.get(reverse("equity_geojson")).status_code == 302


def test_the_most_underserved_come_first(client, planted, user_with_role):
    client.force_login(user_with_role(Role.DONOR_VIEWER))  # aggregated: donors too
    page = client.get(reverse("equity"), {"sector": "PRO-MIN"}).content.decode()
    assert page.index("ML0401") < page.index("ML0501")
    assert "/response/needs/?pcode=ML0401&amp;sector=PRO-MIN" in page
    assert "Indice de Gini" in page


def test_the_map_shades_the_shortfall(client, planted, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    response = client.get(reverse("equity_geojson"), {"sector": "PRO-MIN"})
    shown = {f["properties"]["pcode"]: f["properties"]
             for f in json.loads(response.content)["features"]}  # fmt: skip
    assert shown["ML0401"]["shade"] == 1 and shown["ML0501"]["shade"] == 0
    assert client.get(reverse("equity_geojson"), {"level": "9"}).status_code == 400
