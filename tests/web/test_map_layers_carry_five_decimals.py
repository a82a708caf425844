"""Map layers carry coordinates to 5 decimals (about a metre); downloads keep them as
recorded, and properties keep their numbers."""

import json
import re

from django.urls import reverse

from kafo.geo.geometry import shorten_coordinates
from tests.conftest import rectangle


def test_coordinates_are_rounded_and_nothing_else():
    text = json.dumps({
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [[
            [-4.123456789, 14.000004], [-4.1, 14.2], [1e-7, -0.0000004], [-4.123456789, 14.000004],
        ]]},
        "properties": {"area": 1234.5678912, "coordinates": "[1.1234567]"},
    }).encode()  # fmt: skip
    shortened = json.loads(shorten_coordinates(text))
    assert shortened["geometry"]["coordinates"] == [[
        [-4.12346, 14.0], [-4.1, 14.2], [0, 0], [-4.12346, 14.0],
    ]]  # fmt: skip
    assert shortened["properties"] == {"area": 1234.5678912, "coordinates": "[1.1234567]"}


def _decimals(collection: dict) -> int:
    text = json.dumps([f["geometry"] for f in collection["features"]])
    return max((len(d) for d in re.findall(r"\.(\d+)", text)), default=0)


def test_the_hazard_layer_sends_five_decimals_and_its_download_keeps_seven(
    client, mine_action, coordinator
):
    shape = rectangle(-4.1234567, 14.4512345, -4.1134567, 14.4612345)
    mine_action.hazard(coordinator, geometry=json.dumps(shape))
    client.force_login(coordinator)
    url = reverse("mineaction:layer", args=["hazard"])
    layer = json.loads(client.get(url).content)
    assert layer["features"] and _decimals(layer) == 5
    download = client.get(url + "?download=geojson")
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert _decimals(json.loads(body)) == 7


def _vertices(response) -> int:
    return json.dumps(json.loads(response.content)["features"]).count("],")


def test_outlines_are_simplified_for_the_zoom_asked(client, coordinator, demo_geography):
    client.force_login(coordinator)
    url = reverse("geo:units_geojson") + "?level=2"
    stored = client.get(url)
    country = client.get(url + "&zoom=5")
    street = client.get(url + "&zoom=12")
    pcodes = [f["properties"]["pcode"] for f in json.loads(stored.content)["features"]]
    assert (
        pcodes
        and [f["properties"]["pcode"] for f in json.loads(country.content)["features"]] == pcodes
    )
    assert all(f["geometry"]["coordinates"] for f in json.loads(country.content)["features"])
    assert _decimals(json.loads(country.content)) <= 2  # on a 0.01° grid at zoom 5
    assert _vertices(country) < _vertices(stored)
    assert street.content == stored.content  # past zoom 8, as stored
    assert client.get(url + "&zoom=x").status_code == 400
    assert client.get(url + "&zoom=40").status_code == 400


def test_the_real_communes_at_a_country_view_weigh_a_fifth():
    import numpy as np
    import pyogrio
    import shapely

    from kafo.geo.geometry import display_geometries, outlines_for_zoom
    from tests.conftest import shared_data

    path = shared_data("mali-cod-ab-2015/mli_admbnda_adm3_gov_ocha.shp")
    geometries = np.array(pyogrio.read_dataframe(path).geometry.values, dtype=object)
    stored = shapely.to_geojson(display_geometries(geometries, 3)).tolist()
    country = outlines_for_zoom(stored, 5)
    assert len(country) == len(stored) == 701
    assert sum(map(len, country)) < sum(map(len, stored)) / 4
    shapes = shapely.from_geojson(np.array(country, dtype=object))
    assert shapely.is_valid(shapes).all() and not shapely.is_empty(shapes).any()
    # Each commune still lies where it was: its simplified outline covers its centre.
    centres = shapely.point_on_surface(shapely.from_geojson(np.array(stored, dtype=object)))
    assert shapely.distance(shapes, centres).max() < 0.05
