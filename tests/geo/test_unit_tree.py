"""The admin units in memory: chains of ancestors, the ancestor at a level, a point."""

from kafo.geo.models import AdminUnit
from kafo.geo.tree import UnitTree


def test_chain_level_and_point(demo_geography):
    tree = UnitTree()
    mopti = AdminUnit.objects.get(pcode="ML0501")
    chain = [tree.pcode(u) for u in tree.chain(mopti.pk)]
    assert chain[:2] == ["ML0501", "ML05"]
    assert tree.pcode(tree.at_level(mopti.pk, 1)) == "ML05"
    assert tree.at_level(mopti.pk, 3) is None  # no finer level above a cercle
    lon, lat = tree.point(mopti.pk)
    assert -12.5 < lon < 4.5 and 10 < lat < 25
    assert tree.chain(None) == []
