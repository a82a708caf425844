import csv
import io
import json

import pytest

from kafo.actors.models import Role
from kafo.mineaction.models import Accident, FieldReport, ReportStatus


@pytest.fixture
def editor(user_with_role, organisation):
    return user_with_role(Role.PARTNER_EDITOR, organisation("HI"))


FORM = {
    "date_of_information": "2024-05-02", "source": "Centre de santé de Sévaré",
    "date": "2024-05-01", "longitude": "-4.2", "latitude": "14.5",
    "device_category": "improvised_mine", "accident_type": "civilian",
    "activity_at_time": "travelling_vehicle", "area_marked": "no", "claimed_pcode": "ML01",
}  # fmt: skip


def test_a_partner_reports_an_accident_and_the_coordination_validates_it(
    client, editor, coordinator, demo_geography
):
    client.force_login(editor)
    response = client.post("/mineaction/reports/new/accident/", FORM, follow=True)
    page = response.content.decode()
    report = FieldReport.objects.get()
    assert f"Rapport de terrain {report.reference} soumis" in page
    assert "et non dans ML01 comme déclaré" in page  # the warning, kept on the report too
    client.post(f"/mineaction/reports/{report.reference}/verify/")
    client.force_login(coordinator)
    client.post(f"/mineaction/reports/{report.reference}/accept/")
    client.post(f"/mineaction/reports/{report.reference}/validate/")
    accident = Accident.objects.get()
    assert FieldReport.objects.get().status == ReportStatus.VALIDATED
    detail = client.get(accident.get_absolute_url()).content.decode()
    assert "Centre de santé de Sévaré" in detail and report.reference in detail


def test_invalid_input_names_the_field_and_keeps_nothing(client, editor, demo_geography):
    client.force_login(editor)
    response = client.post(
        "/mineaction/reports/new/accident/", {**FORM, "latitude": "abc", "date_of_information": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Saisissez un nombre" in page
    assert "Ce champ est obligatoire" in page
    assert not FieldReport.objects.exists()


def test_the_list_filters_by_region_device_and_period(client, mine_action, editor):
    mine_action.accident(editor, date="2023-01-10")  # Mopti
    mine_action.accident(editor, date="2024-01-10", longitude=-7.9, latitude=12.6)  # Bamako
    client.force_login(editor)
    assert client.get("/mineaction/accident/").context["count"] == 2
    assert client.get("/mineaction/accident/?pcode=ML05").context["count"] == 1
    assert client.get("/mineaction/accident/?start=2024-01-01").context["count"] == 1
    assert client.get("/mineaction/accident/?device=ap_mine").context["count"] == 0
    bad = client.get("/mineaction/accident/?start=janvier")
    assert "n’est pas une date" in bad.content.decode()


def test_other_partners_see_points_moved_to_the_admin_unit(
    client, mine_action, editor, user_with_role
):
    accident = mine_action.accident(editor, longitude=-4.1111, latitude=14.2222)
    client.force_login(editor)
    own = json.loads(client.get("/mineaction/layers/accident.geojson").content)["features"][0]
    assert own["geometry"]["coordinates"] == [-4.1111, 14.2222]
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    other = json.loads(client.get("/mineaction/layers/accident.geojson").content)["features"][0]
    unit = accident.admin_unit
    assert other["geometry"]["coordinates"] == [round(unit.label_lon, 5), round(unit.label_lat, 5)]
    assert other["properties"]["generalised"] is True


def test_donors_get_counts_per_cercle_with_small_numbers_suppressed(
    client, mine_action, editor, user_with_role
):
    for _ in range(3):
        mine_action.accident(editor)
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    features = json.loads(client.get("/mineaction/layers/accident.geojson").content)["features"]
    assert [f["properties"]["count"] for f in features] == ["<5"]
    assert "reference" not in features[0]["properties"]


def test_an_export_leaves_other_partners_exact_places_empty(
    client, mine_action, editor, user_with_role
):
    mine_action.accident(editor, longitude=-4.1111, latitude=14.2222)
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    rows = list(
        csv.reader(
            io.StringIO(client.get("/mineaction/accident/export/").content.decode("utf-8-sig"))
        )
    )
    header, row = rows[0], rows[1]  # the stamp is the last line
    assert row[header.index("Longitude")] == "" and row[header.index("Latitude")] == ""
    assert row[header.index("Unité administrative (p-code)")].startswith("ML05")


def test_the_situation_page_suppresses_for_the_public_only(
    client, mine_action, editor, coordinator
):
    accident = mine_action.accident(editor, date="2021-03-01")
    for _ in range(3):
        mine_action.victim(editor, accident)
    public = client.get("/situation/").content.decode()
    assert "&lt;5" in public and "protéger les personnes" in public
    client.force_login(coordinator)
    exact = client.get("/situation/")
    assert exact.context["figures"]["casualties"]["2021"]["total"] == 3


def test_the_accident_page_says_the_place_is_generalised(
    client, mine_action, editor, user_with_role
):
    accident = mine_action.accident(editor, longitude=-4.1111, latitude=14.2222)
    client.force_login(editor)
    own = client.get(accident.get_absolute_url()).content.decode()
    assert "-4,1111" in own and "14,2222" in own
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    page = client.get(accident.get_absolute_url()).content.decode()
    assert "généralisée à l’unité administrative" in page and "4,1111" not in page


def test_the_situation_page_shows_one_region_and_its_cercles(
    client, mine_action, editor, coordinator
):
    accident = mine_action.accident(editor, date="2021-03-01")  # in Mopti
    mine_action.victim(editor, accident)
    client.force_login(coordinator)
    mopti = client.get("/situation/?pcode=ML05")
    assert mopti.context["figures"]["casualties"]["2021"]["total"] == 1
    assert {row["unit"].pcode[:4] for row in mopti.context["rows"]} == {"ML05"}  # its cercles
    assert sum(row["accidents"] for row in mopti.context["rows"]) == 1
    kayes = client.get("/situation/?pcode=ML01")
    assert kayes.context["figures"]["casualties"] == {}
