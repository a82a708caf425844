"""The 5W map layer stays small whatever the number of activities: past
KAFO_MAP_FEATURES in the view (or zoomed out), one point per admin unit with its number of
activities; zoomed in on a few, the activities one by one, only those in the view. A
download has every activity, streamed."""

import json

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from tests.response.activities_made import make_activities

URL = reverse("response:activities_geojson")


_activities = make_activities


@pytest.fixture
def reader(client, demo_geography, user_with_role, organisation, settings):
    settings.KAFO_MAP_FEATURES = 100
    hi = organisation("HI")
    client.force_login(user_with_role(Role.COORDINATOR, hi))
    return hi


def _cercles(region_pcode: str) -> list[AdminUnit]:
    return list(AdminUnit.objects.active().filter(parent__pcode=region_pcode).order_by("pcode"))


def _layer(client, query: str = "") -> dict:
    response = client.get(URL + query)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_many_activities_are_counted_per_region_at_the_countrys_zoom(client, reader):
    mopti, gao = _cercles("ML05"), _cercles("ML07")
    _activities(reader, mopti[:2], 250, "M")  # each in two cercles of Mopti: counted once
    _activities(reader, gao[:1], 80, "G")
    layer = _layer(client)
    counts = {f["properties"]["pcode"]: f["properties"]["count"] for f in layer["features"]}
    assert counts == {"ML05": 250, "ML07": 80}
    assert all(f["properties"]["generalised"] for f in layer["features"])


def test_zoomed_to_a_region_the_counts_are_per_cercle(client, reader):
    mopti = _cercles("ML05")
    _activities(reader, mopti[:2], 250)
    layer = _layer(client, "?zoom=7")
    counts = {f["properties"]["pcode"]: f["properties"]["count"] for f in layer["features"]}
    assert counts == {mopti[0].pcode: 250, mopti[1].pcode: 250}


def test_zoomed_in_on_few_activities_they_come_one_by_one_and_only_those_in_view(client, reader):
    bandiagara, far = _cercles("ML05")[0], _cercles("ML07")[0]
    _activities(reader, [bandiagara], 40, "B")
    _activities(reader, [far], 400, "F")
    box = f"{bandiagara.min_lon},{bandiagara.min_lat},{bandiagara.max_lon},{bandiagara.max_lat}"
    layer = _layer(client, f"?zoom=9&bbox={box}")
    titles = {f["properties"]["reference"] for f in layer["features"]}
    assert titles == {f"B{n}" for n in range(40)}
    assert layer["kafo_shown"] == {"records": 40, "features": 40}


def test_zoomed_in_on_too_many_they_are_counted_at_the_deepest_level(client, reader):
    bandiagara = _cercles("ML05")[0]
    _activities(reader, [bandiagara], 150)
    box = f"{bandiagara.min_lon},{bandiagara.min_lat},{bandiagara.max_lon},{bandiagara.max_lat}"
    layer = _layer(client, f"?zoom=10&bbox={box}")
    counts = {f["properties"]["pcode"]: f["properties"]["count"] for f in layer["features"]}
    assert counts == {bandiagara.pcode: 150}


def test_a_few_activities_show_one_by_one_at_any_zoom(client, reader):
    _activities(reader, _cercles("ML05")[:1], 12)
    assert len(_layer(client)["features"]) == 12


@pytest.mark.parametrize(
    ("query", "said"),
    [("?bbox=1,2,3", "bbox 1,2,3"), ("?bbox=0,20,1,10", "0,20,1,10"), ("?zoom=x", "zoom x")],
)
def test_an_unreadable_view_is_refused_with_the_reason(client, reader, query, said):
    response = client.get(URL + query)
    assert response.status_code == 400
    assert said in response.json()["error"]


def test_a_download_has_every_activity_streamed(client, reader):
    _activities(reader, _cercles("ML05")[:2], 250)
    response = client.get(URL + "?download=geojson")
    assert response.streaming
    document = json.loads(response.getvalue())
    assert len(document["features"]) == 500  # each activity at its two cercles
    assert document["kafo_export"]["audit_reference"]


def test_a_geopackage_of_several_chunks_reads_back_whole_in_gdal(client, reader, tmp_path):
    from pyogrio.raw import read

    mopti = _cercles("ML05")[:2]
    _activities(reader, mopti, 2600)  # 5,200 features: two chunks of the writer
    response = client.get(URL + "?download=gpkg")
    path = tmp_path / "5w.gpkg"
    path.write_bytes(response.getvalue())
    _meta, _fids, geometry, fields = read(str(path))
    names = list(_meta["fields"])
    references = fields[names.index("reference")]
    assert len(geometry) == 5200
    assert sorted(set(references)) == sorted(f"A{n}" for n in range(2600))
    assert set(fields[names.index("generalised")]) == {"true"}


def test_it_checks_access(client, demo_geography):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
