"""A hazard's bad input gets the clear French error points already get: a negative area,
a polygon with longitude and latitude swapped, WKT or GeoJSON that cannot be read (never
the geometry library's raw message)."""

import json

import pytest

from kafo.mineaction.forms import HazardForm
from tests.conftest import RECORD_DEFAULTS, square

VALID = {k: v for k, v in RECORD_DEFAULTS["hazard"].items()}


def _errors(**change) -> dict:
    form = HazardForm(data={**VALID, **change})
    assert not form.is_valid()
    return {name: " ".join(messages) for name, messages in form.errors.items()}


def test_a_negative_area_is_refused(demo_geography):
    assert "négative" in _errors(estimated_area_m2=-200)["estimated_area_m2"]


def test_a_swapped_polygon_is_named_as_such(demo_geography):
    swapped = json.dumps(square(14.45, -4.25, 0.01))  # latitude first
    assert "inversées" in _errors(geometry=swapped)["geometry"]


@pytest.mark.parametrize(
    ("text", "hint"),
    [("POLYGON ((-4.2 14.5, -4.1 14.5, -4.1 14.6", "parenthèses"),
     ("POLYGONE ((-4.2 14.5, -4.1 14.5, -4.1 14.6, -4.2 14.5))", "POLYGONE"),
     ("POLYGON ((-4.2 14.5 -4.1, 14.5))", "longitude latitude"),
     ('{"type": "Polygon", "coordinates": [[[-4.2, 14.5]', "ligne 1"),
     ('{"type": "Polygon", "coordinates": "x"}', "Polygon")],
)  # fmt: skip
def test_unreadable_geometry_gets_a_french_reason(demo_geography, text, hint):
    message = _errors(geometry=text)["geometry"]
    assert hint in message
    assert "ParseException" not in message and "IllegalArgument" not in message
