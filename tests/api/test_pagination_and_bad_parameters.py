"""Bad page and filter parameters get a 400 with the reason, never a 500 nor a silent
default: a limit past 2^63, a negative offset, an empty date; a form-encoded body with
odd values is refused cleanly."""

import pytest

from kafo.actors.models import Role


@pytest.mark.parametrize(
    "query",
    ["limit=99999999999999999999999", "limit=0", "limit=-1", "limit=true", "limit=1.5",
     "offset=-1", "offset=abc", "limit=%C2%B2", "start=", "end=2025-13-01"],
)  # fmt: skip
def test_a_bad_parameter_is_a_400_with_its_reason(api, user_with_role, query):
    response = api(user_with_role(Role.PARTNER_VIEWER)).get(f"/api/v1/activities/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_good_pages_work(api, user_with_role):
    response = api(user_with_role(Role.PARTNER_VIEWER)).get("/api/v1/activities/?limit=1000")
    assert response.status_code == 200 and response.json()["count"] == 0


def test_a_form_encoded_organisation_with_odd_names_is_refused_or_kept(api, coordinator):
    client = api(coordinator)
    response = client.post("/api/v1/organisations/", {"name": "X", "type": "donor",
                                                      "alt_names": "null"})  # fmt: skip
    assert response.status_code in (201, 400)
    body = {"name": "Y", "type": "donor", "alt_names": None}
    response = client.post("/api/v1/organisations/", body, format="json")
    assert response.status_code == 400 and "alt_names" in response.json()


def test_a_report_s_json_numbers_and_odd_values_are_read_or_refused(api, mine_action,
                                                                    user_with_role):  # fmt: skip
    client = api(user_with_role(Role.PARTNER_EDITOR))
    body = {"hazard": "HAZ-9", "type": "clearance", "start_date": 20250101.5, "flag": True}
    response = client.post("/api/v1/mineaction/activity/", body, format="json")
    assert response.status_code == 400 and "start_date" in response.json()
    response = client.post("/api/v1/mineaction/activity/", {"hazard": {"a": 1}}, format="json")
    assert response.status_code == 400 and "hazard" in response.json()


@pytest.mark.parametrize("query", ["organisation=a%00b", "sector=%00", "pcode=ML%00", "x%00=1"])
def test_a_nul_character_is_a_400_not_a_database_error(api, user_with_role, query):
    response = api(user_with_role(Role.PARTNER_VIEWER)).get(f"/api/v1/activities/?{query}")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


@pytest.mark.parametrize("name", ["%C2%B2", "99999999999999999999999", "007"])
def test_odd_digits_in_an_organisation_filter_are_read_as_text(api, user_with_role, name):
    response = api(user_with_role(Role.PARTNER_VIEWER)).get(
        f"/api/v1/activities/?organisation={name}"
    )
    assert response.status_code == 200


def test_a_page_refuses_a_nul_character_too(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    response = client.get("/response/activities/?q=%00")
    assert response.status_code == 400 and "NUL" in response.content.decode()


def test_a_nul_character_in_a_body_is_a_400(api, coordinator):
    client = api(coordinator)
    form = client.post("/api/v1/activities/", {"title": "X", "locations": ["ML\x0005"]})
    as_json = client.post("/api/v1/activities/", {"title": "X\x00"}, format="json")
    assert (form.status_code, as_json.status_code) == (400, 400)
    assert "NUL" in form.json()["detail"] and "NUL" in as_json.json()["detail"]
