import pytest

from kafo.geo.importing import import_boundaries
from kafo.geo.models import AdminUnit
from tests.conftest import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def test_the_real_2015_mali_cod_ab_imports_with_the_right_counts():
    report = import_boundaries(shared_data("mali-cod-ab-2015"), "2015")
    assert report.ok, report.errors[:5]
    assert report.levels == {0: 1, 1: 9, 2: 50, 3: 701}
    commune = AdminUnit.objects.select_related("parent__parent__parent").get(pcode="ML010213")
    assert commune.name == "Tomora"
    assert [u.pcode for u in commune.ancestors()] == ["ML", "ML01", "ML0102"]
    assert AdminUnit.objects.get(pcode="ML09").name == "Bamako"
    # Mali covers about 1,240,000 km².
    assert AdminUnit.objects.get(level=0).area_km2 == pytest.approx(1_240_000, rel=0.02)
    assert not AdminUnit.objects.filter(level__gt=0, parent=None).exists()
