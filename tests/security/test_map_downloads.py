"""Every map downloads: a stamped GeoJSON, and a GeoPackage QGIS opens (read back here by
GDAL through pyogrio); each download is an export in the audit log, with the same
disclosure as the map."""

import json

import pyogrio
import pytest

from kafo.actors.models import Role
from kafo.security.models import Action, AuditEvent

MAPS = ["/mineaction/layers/accident.geojson", "/response/activities.geojson",
        "/geo/units.geojson?level=2", "/analysis/gaps.geojson"]  # fmt: skip


@pytest.mark.parametrize("url", MAPS)
def test_each_map_downloads_as_geojson_and_geopackage(client, mine_action, coordinator, url,
                                                      tmp_path):  # fmt: skip
    mine_action.accident(coordinator)
    client.force_login(coordinator)
    layer = json.loads(client.get(url).content)
    sep = "&" if "?" in url else "?"
    geojson = client.get(f"{url}{sep}download=geojson")
    assert "attachment" in geojson["Content-Disposition"]
    document = json.loads(geojson.getvalue())
    assert document["kafo_export"]["exported_by"] == coordinator.username
    assert len(document["features"]) == len(layer["features"])
    package = client.get(f"{url}{sep}download=gpkg")
    assert package["Content-Disposition"].endswith('.gpkg"')
    path = tmp_path / "map.gpkg"
    path.write_bytes(package.getvalue())
    with_geometry = [f for f in layer["features"] if f.get("geometry")]
    info = pyogrio.read_info(str(path))
    assert info["features"] == len(with_geometry) and info["crs"] == "EPSG:4326"
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == 2


def test_a_viewer_downloads_what_the_map_shows_them(client, mine_action, user_with_role,
                                                    tmp_path):  # fmt: skip
    import shapely
    from pyogrio.raw import read

    editor = user_with_role(Role.PARTNER_EDITOR)
    mine_action.accident(editor, longitude=-4.1111, latitude=14.2222)
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    path = tmp_path / "map.gpkg"
    path.write_bytes(client.get("/mineaction/layers/accident.geojson?download=gpkg").getvalue())
    _meta, _fids, geometry, _fields = read(str(path))
    points = shapely.get_coordinates(shapely.from_wkb(geometry)).round(4).tolist()
    assert points and [-4.1111, 14.2222] not in points  # generalised, as on the map
