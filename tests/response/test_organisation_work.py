"""“My organisation”: what we report, lend and borrow, fund and receive."""

from tests.response.conftest import ACTIVITY


def test_my_organisation_gathers_our_activities_resources_and_flows(
    client, editor, demo_geography, strategy
):
    client.force_login(editor)
    client.post("/response/activities/new/", ACTIVITY)
    client.post(
        "/response/resources/new/",
        {"kind": "vehicle", "name": "Land Cruiser 4", "base": "ML0501", "offered": "on",
         "sharing_conditions": "avec chauffeur"},
    )  # fmt: skip
    page = client.get("/response/organisation/").content.decode()
    assert "Sessions EER à Sévaré" in page and "Land Cruiser 4" in page
    assert (
        client.get("/response/organisation/").context["organisation"]
        == editor.membership.organisation
    )


def test_the_coordinator_sees_everything_in_one_table_and_one_map(
    client, editor, coordinator, demo_geography, strategy
):
    client.force_login(editor)
    client.post("/response/activities/new/", ACTIVITY)
    client.force_login(coordinator)
    page = client.get("/response/")
    [row] = [r for r in page.context["rows"] if r["organisation"] == editor.membership.organisation]
    assert (row["activities"], row["reached"]) == (1, 100)
    assert 'data-overlay="/response/resources.geojson"' in page.content.decode()
