import numpy as np
import pytest
import shapely

from kafo.actors.matching import normalise
from kafo.geo.boundaries import _check_geometries, _check_pcodes
from kafo.geo.demo import CERCLES, REGIONS, demo_boundary_set, mali_outline
from kafo.geo.geometry import areas_km2
from tests.conftest import shared_data

MALI_AREA_KM2 = 1_240_192


@pytest.fixture(scope="module")
def demo_set():
    return demo_boundary_set()[0]


def test_it_has_the_real_counts(demo_set):
    assert demo_set.counts() == {0: 1, 1: 9, 2: 50}


def test_it_passes_the_importer_checks(demo_set):
    previous: set[str] = set()
    for level in sorted(demo_set.levels):
        table = demo_set.levels[level]
        assert _check_pcodes(table, "ML", previous) == []
        assert _check_geometries(table) == []
        previous = set(table.pcodes)


def test_cercles_tile_the_country(demo_set):
    cercles = demo_set.levels[2].geometries
    assert shapely.is_valid(cercles).all()
    union = shapely.union_all(cercles)
    outline = mali_outline()
    assert shapely.area(shapely.symmetric_difference(union, outline)) < 1e-6 * shapely.area(outline)
    # No two cercles overlap.
    assert sum(shapely.area(cercles)) == pytest.approx(shapely.area(outline), rel=1e-6)


def test_the_outline_has_about_the_area_of_mali():
    assert areas_km2(np.array([mali_outline()]))[0] == pytest.approx(MALI_AREA_KM2, rel=0.08)


def test_every_town_is_in_the_outline_and_in_its_own_cercle(demo_set):
    outline = mali_outline()
    cercles = dict(zip(demo_set.levels[2].pcodes, demo_set.levels[2].geometries, strict=True))
    for pcode, name, towns in CERCLES:
        for lon, lat in towns:
            assert outline.contains(shapely.Point(lon, lat)), name
            assert cercles[pcode].contains(shapely.Point(lon, lat)), name


def test_regions_carry_their_census_population():
    _, population = demo_boundary_set()
    assert population["ML05"][:2] == (2_037_330, 2009)
    assert population["ML"][0] == sum(p for _, _, p in REGIONS)


@pytest.mark.realdata
def test_names_and_pcodes_are_those_of_the_real_cod_ab():
    import pyogrio.raw

    path = shared_data("mali-cod-ab-2015/mli_admbnda_adm2_gov_ocha_itos.shp")
    meta, _, _, fields = pyogrio.raw.read(path, columns=["admin2Pcod", "admin2Name"])
    columns = dict(zip(meta["fields"], fields, strict=True))
    real = dict(zip(columns["admin2Pcod"], columns["admin2Name"], strict=True))
    assert {pcode: normalise(name) for pcode, name, _ in CERCLES} == {
        pcode: normalise(name) for pcode, name in real.items()
    }


@pytest.mark.realdata
def test_towns_and_outline_agree_with_the_real_boundaries():
    import pyogrio.raw

    _, _, wkb, fields = pyogrio.raw.read(
        shared_data("mali-cod-ab-2015/mli_admbnda_adm2_gov_ocha_itos.shp"), columns=["admin2Pcod"]
    )
    real = dict(zip(fields[0], shapely.from_wkb(wkb), strict=True))
    for pcode, name, towns in CERCLES:
        for lon, lat in towns:
            # Within about 5 km of the real cercle: the facts are rounded.
            assert real[pcode].distance(shapely.Point(lon, lat)) < 0.05, (name, lon, lat)
    _, _, wkb0, _ = pyogrio.raw.read(shared_data("mali-cod-ab-2015/mli_admbnda_adm0_gov.shp"))
    country = shapely.from_wkb(wkb0[0])
    outline = mali_outline()
    overlap = shapely.area(shapely.intersection(country, outline)) / shapely.area(
        shapely.union(country, outline)
    )
    assert overlap > 0.9
