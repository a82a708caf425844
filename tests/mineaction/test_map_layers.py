"""Every kind of record is on the map, at its own place or at the place of the record it
belongs to; donors get counts per cercle."""

import json

import pytest

from kafo.actors.models import Role


@pytest.fixture
def records(mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    hazard = mine_action.hazard(editor, geometry="", longitude=-4.22, latitude=14.48)
    activity = mine_action.activity(editor, hazard)
    accident = mine_action.accident(editor, longitude=-4.1, latitude=14.6)
    victim = mine_action.victim(editor, accident)
    return editor, {
        "hazard": hazard, "activity": activity, "device": mine_action.device(editor, activity),
        "quality": mine_action.quality(editor, activity), "accident": accident,
        "victim": victim, "assistance": mine_action.assistance(editor, victim),
        "eore": mine_action.eore(editor),
    }  # fmt: skip


def _features(client, kind):
    return json.loads(client.get(f"/mineaction/layers/{kind}.geojson").content)["features"]


@pytest.mark.parametrize(
    ("kind", "place"),
    [("hazard", (-4.22, 14.48)), ("activity", (-4.22, 14.48)), ("device", (-4.22, 14.48)),
     ("quality", (-4.22, 14.48)), ("accident", (-4.1, 14.6)), ("victim", (-4.1, 14.6)),
     ("assistance", (-4.1, 14.6))],
)  # fmt: skip
def test_each_record_is_at_its_place(client, records, kind, place):
    editor, made = records
    client.force_login(editor)
    [feature] = _features(client, kind)
    assert feature["geometry"]["coordinates"] == list(place)
    assert feature["properties"]["reference"] == made[kind].reference


def test_a_risk_education_session_is_at_its_admin_unit(client, records):
    editor, made = records
    client.force_login(editor)
    [feature] = _features(client, "eore")
    unit = made["eore"].admin_unit
    assert feature["geometry"]["coordinates"] == [
        round(unit.label_lon, 5),
        round(unit.label_lat, 5),
    ]


def test_donors_see_counts_for_every_kind(client, records, user_with_role):
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    for kind in records[1]:
        features = _features(client, kind)
        assert [f["properties"]["count"] for f in features] == ["<5"], kind
        assert "reference" not in features[0]["properties"]
