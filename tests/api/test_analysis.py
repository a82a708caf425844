"""Analyses through the API: the engine's JSON, the web's audiences."""

import datetime

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity, Need


def test_gaps_and_who_may_see_record_level_analyses(api, demo_geography, organisation,
                                                    user_with_role):  # fmt: skip
    hi = organisation("HI")
    mopti = AdminUnit.objects.get(pcode="ML0501")
    Need.objects.create(admin_unit=mopti, sector="PRO-MIN", year=2025, in_need=100)
    activity = Activity.objects.create(organisation=hi, title="x", sector="PRO-MIN",
                                       activity_type="EORE", reached_girls=25,
                                       planned_start=datetime.date(2025, 1, 1))  # fmt: skip
    activity.locations.set([mopti])
    donor, viewer = user_with_role(Role.DONOR_VIEWER), user_with_role(Role.PARTNER_VIEWER)
    response = api(donor).get("/api/v1/analysis/gaps/?level=2&sector=pro-min")
    assert response.status_code == 200
    [row] = [u for u in response.json()["units"] if u["pcode"] == "ML0501"]
    assert (row["coverage"], row["class"]) == (0.25, "below_target")
    assert api(donor).get("/api/v1/analysis/duplicates/").status_code == 403
    assert api(viewer).get("/api/v1/analysis/duplicates/").status_code == 200
    assert api(viewer).get("/api/v1/analysis/priorities/").status_code == 200
    assert api(viewer).get("/api/v1/analysis/equity/?start=2025-01-01").status_code == 200
    assert api(viewer).get("/api/v1/analysis/gaps/?level=9").status_code == 400
    assert api(viewer).get("/api/v1/analysis/gaps/?start=hier").status_code == 400
    assert api(viewer).get("/api/v1/analysis/alignment/").status_code == 400  # no strategy
    assert api(viewer).get("/api/v1/analysis/luck/").status_code == 404
    assert api().get("/api/v1/analysis/gaps/").status_code == 401


def test_gaps_by_activity_type(api, mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    hazard = mine_action.hazard(editor, classification="cha")
    client = api(user_with_role(Role.DONOR_VIEWER))
    level = hazard.admin_unit.level
    response = client.get(f"/api/v1/analysis/gaps/?level={level}&by=activity_type")
    assert response.status_code == 200
    rows = {(u["pcode"], u["activity_type"]): u for u in response.json()["units"]}
    clearance = rows[(hazard.admin_unit.pcode, "CLR")]
    assert (clearance["hazards"], clearance["class"]) == (1, "no_presence")
    assert client.get("/api/v1/analysis/gaps/?by=organisation").status_code == 400
    assert client.get("/api/v1/analysis/gaps/?by=activity_type&sector=WSH").status_code == 400
