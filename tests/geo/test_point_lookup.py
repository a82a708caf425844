import csv

import numpy as np
import pytest
import shapely

from kafo.geo.importing import import_boundaries
from kafo.geo.lookup import PointLocator, locator_for_version
from kafo.geo.models import AdminUnit
from tests.conftest import shared_data


def _two_level_locator() -> PointLocator:
    # Region 1 = [0,2]×[0,2] split in cercles 11 (bottom) and 12 (top); region 2 = [2,4]×[0,2]
    # with a single cercle 21 that leaves a gap at [3,4]×[1,2].
    regions = np.array([shapely.box(0, 0, 2, 2), shapely.box(2, 0, 4, 2)])
    cercles = np.array([shapely.box(0, 0, 2, 1), shapely.box(0, 1, 2, 2), shapely.box(2, 0, 4, 1)])
    return PointLocator(
        levels={1: (regions, np.array([1, 2])), 2: (cercles, np.array([11, 12, 21]))},
        parents={11: 1, 12: 1, 21: 2},
    )


def test_it_finds_the_unit_at_every_level():
    located = _two_level_locator().locate(
        lon=np.array([0.5, 1.5, 2.5, 3.5, 9.0]), lat=np.array([0.5, 1.5, 0.5, 1.5, 9.0])
    )
    assert located[2].tolist() == [11, 12, 21, -1, -1]
    # The point in the gap between cercles still finds its region; the one outside finds none.
    assert located[1].tolist() == [1, 1, 2, 2, -1]


def test_a_point_on_a_shared_border_gets_one_answer_every_time():
    locator = _two_level_locator()
    first = locator.locate(np.array([1.0]), np.array([1.0]))
    again = locator.locate(np.array([1.0]), np.array([1.0]))
    assert first[2].tolist() == again[2].tolist()
    assert first[2][0] in (11, 12)


def test_empty_input_gives_empty_output():
    located = _two_level_locator().locate(np.array([]), np.array([]))
    assert all(len(ids) == 0 for ids in located.values())


@pytest.mark.django_db
def test_it_is_built_from_a_version(tiny_cod):
    import_boundaries(tiny_cod, "2024")
    version = AdminUnit.objects.first().cod_version
    located = locator_for_version(version).locate(np.array([3.5]), np.array([1.5]))
    ids = {level: AdminUnit.objects.get(pk=ids[0]).pcode for level, ids in located.items()}
    assert ids == {0: "ML", 1: "ML02", 2: "ML0202"}


@pytest.mark.django_db
@pytest.mark.realdata
def test_real_settlements_fall_in_their_communes():
    import_boundaries(shared_data("mali-cod-ab-2015"), "2015")
    with shared_data("mali-cod-ab-2015/settlements.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    lon = np.array([float(r["longitude"]) for r in rows])
    lat = np.array([float(r["latitude"]) for r in rows])
    expected = np.array([r["admin3Pcod"] for r in rows])
    version = AdminUnit.objects.first().cod_version
    located = locator_for_version(version).locate(lon, lat)
    pcode_of = dict(AdminUnit.objects.filter(level=3).values_list("id", "pcode"))
    found = np.array([pcode_of.get(i, "") for i in located[3]])
    # The gazetteer and the boundaries were drawn separately: most, not all, agree.
    assert (found == expected).mean() > 0.9
    assert (located[1] >= 0).mean() > 0.99
