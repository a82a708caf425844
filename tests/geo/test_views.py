import json

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(user_with_role):
    return user_with_role(Role.PARTNER_VIEWER)


def test_it_checks_access(client, demo_geography):
    unit = AdminUnit.objects.get(pcode="ML05")
    for url in [reverse("geo:index"), reverse("geo:units_geojson"), unit.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_geojson_has_one_feature_per_unit_of_the_level(client, viewer, demo_geography):
    client.force_login(viewer)
    response = client.get(reverse("geo:units_geojson"), {"level": 2})
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert len(collection["features"]) == 50
    mopti = next(f for f in collection["features"] if f["properties"]["pcode"] == "ML0501")
    assert mopti["properties"]["name"] == "Mopti"
    assert mopti["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_the_geojson_of_a_parent_holds_its_children(client, viewer, demo_geography):
    client.force_login(viewer)
    response = client.get(
        reverse("geo:units_geojson"), {"parent": "ML08", "version": demo_geography.pk}
    )
    pcodes = sorted(f["properties"]["pcode"] for f in json.loads(response.content)["features"])
    assert pcodes == ["ML0801", "ML0802", "ML0803", "ML0804"]


@pytest.mark.parametrize("query", [{"level": "x"}, {"level": "7"}, {"version": "999"}])
def test_bad_geojson_parameters_are_refused(client, viewer, demo_geography, query):
    client.force_login(viewer)
    assert client.get(reverse("geo:units_geojson"), query).status_code == 400


def test_the_geojson_is_compressed_for_slow_connections(client, viewer, demo_geography):
    client.force_login(viewer)
    response = client.get(
        reverse("geo:units_geojson"), {"level": 2}, headers={"Accept-Encoding": "gzip"}
    )
    assert response["Content-Encoding"] == "gzip"


def test_the_unit_page_shows_hierarchy_population_and_map(client, viewer, demo_geography):
    client.force_login(viewer)
    region = AdminUnit.objects.get(pcode="ML05")
    page = client.get(region.get_absolute_url()).content.decode()
    assert "Mopti" in page and "Bandiagara" in page and "Mali</a> ›" in page
    # French by default: a non-breaking space groups the thousands.
    assert "2\xa0037\xa0330" in page
    assert 'class="kafo-map' in page and "parent=ML05" in page


def test_an_unknown_unit_is_not_found(client, viewer, demo_geography):
    client.force_login(viewer)
    assert client.get(reverse("geo:unit", args=[demo_geography.pk, "ML99"])).status_code == 404


def test_the_index_lists_versions_side_by_side(client, viewer, demo_geography, tiny_cod):
    from kafo.geo.importing import import_boundaries

    import_boundaries(tiny_cod, "2021", activate=False)
    client.force_login(viewer)
    page = client.get(reverse("geo:index")).content.decode()
    assert "demo-2015-approx" in page and "2021" in page
    assert "niveau 2 : 50" in page


def test_a_pcode_in_another_version_is_pointed_out(client, viewer, demo_geography, tiny_cod):
    from kafo.geo.importing import import_boundaries

    import_boundaries(tiny_cod, "2021", activate=False)
    client.force_login(viewer)
    page = client.get(
        AdminUnit.objects.get(pcode="ML01", cod_version=demo_geography).get_absolute_url()
    )
    assert "Dans la version MLI 2021, ce p-code désigne Ouest." in page.content.decode()
