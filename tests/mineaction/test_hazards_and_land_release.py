"""Hazards: polygons as QGIS and KoBo give them, areas in m², probable duplicates; land
release activities bring the remaining area down."""

import json

import pytest

from kafo.actors.models import Role
from kafo.mineaction.forms import HazardForm, LandReleaseActivityForm
from tests.conftest import RECORD_DEFAULTS, square


@pytest.fixture
def editor(user_with_role, organisation):
    return user_with_role(Role.PARTNER_EDITOR, organisation("MAG"))


def _form(**values):
    return HazardForm(data={**RECORD_DEFAULTS["hazard"], **values})


def test_a_polygon_gives_the_point_area_and_admin_unit(mine_action, editor):
    hazard = mine_action.hazard(editor)
    assert 1.1e6 < hazard.estimated_area_m2 < 1.3e6  # 0.01° square near 14.45° N, in m²
    assert hazard.remaining_area_m2 == hazard.estimated_area_m2
    assert hazard.admin_unit.pcode.startswith("ML05")
    assert (hazard.min_lon, hazard.max_lat) == pytest.approx((-4.25, 14.46))


@pytest.mark.parametrize(
    "text",
    [
        "POLYGON((-4.25 14.45, -4.24 14.45, -4.24 14.46, -4.25 14.46, -4.25 14.45))",
        json.dumps({"type": "Feature", "properties": {}, "geometry": square(-4.25, 14.45, 0.01)}),
    ],
    ids=["wkt", "geojson-feature"],
)
def test_wkt_and_features_are_read_too(demo_geography, text):
    form = _form(geometry=text)
    assert form.is_valid(), form.errors
    assert json.loads(form.cleaned_data["geometry"])["type"] == "Polygon"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"type": "Polygon", "coordinates": [[[-4.25, 14.45], [-4.24, 14.46], [-4.25, 14.46], '
         '[-4.24, 14.45], [-4.25, 14.45]]]}', "Polygone invalide : Self-intersection"),
        ('{"type": "Point", "coordinates": [-4.2, 14.5]}', "pas un(e) Point"),
        ('{"type": "FeatureCollection", "features": [{}, {}]}', "collection de 2 entités"),
        ("POLYGON((500000 1600000, 501000 1600000, 501000 1601000, 500000 1600000))",
         "reprojetez"),
        ("not a shape", "WKT illisible"),
        (json.dumps(square(20.0, 14.0, 0.01)), "dépasse les limites du pays"),
    ],
    ids=["bowtie", "point", "collection", "projected", "garbage", "outside"],
)  # fmt: skip
def test_bad_geometry_is_explained(demo_geography, text, message):
    form = _form(geometry=text)
    assert not form.is_valid()
    error = " ".join(form.errors.get("geometry", []))
    assert message in error


def test_a_hazard_needs_a_polygon_or_a_point(demo_geography):
    form = _form(geometry="")
    assert not form.is_valid() and "ou un point" in form.errors["geometry"][0]
    assert _form(geometry="", longitude=-4.2, latitude=14.5).is_valid()


def test_direct_evidence_must_say_what_was_seen(demo_geography):
    form = _form(evidence_type="direct", evidence=["verbal"])
    assert not form.is_valid() and "cochez ce qui a été observé" in form.errors["evidence"][0]


def test_overlapping_polygons_with_the_same_contamination_are_probable_duplicates(
    mine_action, editor, client
):
    first = mine_action.hazard(editor)
    overlapping = _form(geometry=json.dumps(square(-4.245, 14.455, 0.01)))
    assert overlapping.is_valid()
    assert any(first.reference in warning for warning in overlapping.warnings)
    other_type = _form(geometry=json.dumps(square(-4.245, 14.455, 0.01)), contamination=["erw_uxo"])
    assert other_type.is_valid() and other_type.warnings == []
    second = mine_action.hazard(editor, geometry=json.dumps(square(-4.245, 14.455, 0.01)))
    client.force_login(editor)
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Doublon probable de" in page and first.reference in page


def test_released_area_brings_the_remaining_area_down(mine_action, editor):
    hazard = mine_action.hazard(editor, estimated_area_m2=200_000)
    mine_action.activity(editor, hazard, area_cancelled_m2=50_000)
    mine_action.activity(
        editor, hazard, type="clearance", area_cancelled_m2=0, area_cleared_m2=30_000
    )
    hazard.refresh_from_db()
    assert hazard.remaining_area_m2 == 120_000


def test_activity_dates_and_areas_are_checked(mine_action, editor):
    hazard = mine_action.hazard(editor, estimated_area_m2=10_000)
    values = {**RECORD_DEFAULTS["activity"], "hazard": hazard.reference}
    form = LandReleaseActivityForm(data={**values, "end_date": "2024-01-01", "area_cleared_m2": -5})
    assert not form.is_valid()
    assert "précède la date de début" in form.errors["end_date"][0]
    assert "négative" in form.errors["area_cleared_m2"][0]
    big = LandReleaseActivityForm(data={**values, "area_cancelled_m2": 50_000})
    assert big.is_valid() and "plus que les 10000 m² estimés" in big.warnings[0]


def test_the_history_shows_codes_by_their_labels(mine_action, editor, client):
    hazard = mine_action.hazard(editor, blockages=["road", "school"])
    client.force_login(editor)
    page = client.get(hazard.get_absolute_url()).content.decode()
    assert "Route, École" in page and "[&#x27;road&#x27;" not in page
