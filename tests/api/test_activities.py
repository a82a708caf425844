"""The 5W through the API: token authentication, the web's permissions, disclosure,
filters and pagination."""

import datetime

import pytest

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity

URL = "/api/v1/activities/"


@pytest.fixture
def world(demo_geography, organisation, user_with_role):
    hi, drc = organisation("HI"), organisation("DRC")
    mopti, segou = AdminUnit.objects.get(pcode="ML0501"), AdminUnit.objects.get(pcode="ML04")
    theirs = Activity.objects.create(
        organisation=drc, title="Monitoring", sector="PRO", points=[[-4.2, 14.5]],
        planned_start=datetime.date(2024, 1, 1), planned_end=datetime.date(2024, 6, 30),
    )  # fmt: skip
    theirs.locations.set([mopti])
    ours = Activity.objects.create(
        organisation=hi, title="EER", sector="PRO-MIN", activity_type="EORE",
        planned_start=datetime.date(2025, 1, 1),
    )  # fmt: skip
    ours.locations.set([segou])
    return {
        "editor": user_with_role(Role.PARTNER_EDITOR, hi, "editor"),
        "viewer": user_with_role(Role.PARTNER_VIEWER, hi, "viewer"),
        "donor": user_with_role(Role.DONOR_VIEWER, hi, "donor"),
        "theirs": theirs,
        "ours": ours,
    }


def test_it_checks_access(api, world):
    assert api().get(URL).status_code == 401
    bad = api()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.get(URL).status_code == 401
    assert api(world["donor"]).get(URL).status_code == 200  # donors read the 5W, as on the web


def test_exact_points_are_for_partners_only(api, world):
    donor = api(world["donor"]).get(f"{URL}{world['theirs'].pk}/").json()
    partner = api(world["viewer"]).get(f"{URL}{world['theirs'].pk}/").json()
    assert donor["points"] is None and donor["title"] == "Monitoring"
    assert partner["points"] == [[-4.2, 14.5]]


def test_filters_by_pcode_with_children_sector_organisation_and_period(api, world):
    client = api(world["viewer"])

    def titles(query):
        return [row["title"] for row in client.get(URL + query).json()["results"]]

    assert titles("?pcode=ML05") == ["Monitoring"]  # Mopti's cercle is inside Mopti
    assert titles("?sector=pro-min") == ["EER"]
    assert titles("?organisation=DRC") == ["Monitoring"]
    assert titles(f"?organisation={world['ours'].organisation_id}") == ["EER"]
    assert titles("?start=2024-03-01&end=2024-04-01") == ["Monitoring"]
    assert client.get(URL + "?start=hier").status_code == 400


def test_pagination(api, world):
    page = api(world["viewer"]).get(URL + "?limit=1").json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]


def test_an_editor_creates_for_their_organisation_with_the_webs_checks(api, world):
    client = api(world["editor"])
    body = {"title": "EER Douentza", "sector": "PRO-MIN", "activity_type": "EORE",
            "status": "planned", "locations": ["ML0501"], "currency": "XOF",
            "planned_start": "2025-02-01", "planned_end": "2025-01-01"}  # fmt: skip
    response = client.post(URL, body, format="json")
    assert response.status_code == 400 and "planned_end" in response.json()
    body["planned_end"] = "2025-03-01"
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    created = Activity.objects.get(title="EER Douentza")
    assert created.organisation == world["editor"].membership.organisation
    assert [u.pcode for u in created.locations.all()] == ["ML0501"]
    assert client.post(URL, {**body, "locations": ["ML9999"]}, format="json").status_code == 400


def test_nobody_changes_another_organisations_activity(api, world):
    theirs = f"{URL}{world['theirs'].pk}/"
    assert api(world["editor"]).patch(theirs, {"title": "x"}, format="json").status_code == 403
    assert api(world["viewer"]).post(URL, {}, format="json").status_code == 403
    ours = f"{URL}{world['ours'].pk}/"
    response = api(world["editor"]).patch(ours, {"title": "EER Ségou"}, format="json")
    assert response.status_code == 200, response.json()
    assert Activity.objects.get(pk=world["ours"].pk).title == "EER Ségou"
