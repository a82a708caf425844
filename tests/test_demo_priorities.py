"""The demo's priorities look like Mali's: recent casualties and settlements are counted,
every level carries people, and Mopti and Ségou come first (as the public figures say)."""

import pytest
from django.db.models import Sum

from kafo.analysis.priorities import PriorityOptions, priorities
from kafo.coordination.source import analysis_connection
from kafo.geo.demo import REGIONS
from kafo.geo.models import AdminUnit, Settlement

pytestmark = pytest.mark.django_db


def test_every_level_has_people_and_the_cercles_add_up_to_their_region(demo_loaded):
    for level in (0, 1, 2):
        assert not AdminUnit.objects.filter(level=level, population=None).exists(), level
    for pcode, _, people in REGIONS:
        cercles = AdminUnit.objects.filter(level=2, parent__pcode=pcode)
        assert cercles.aggregate(n=Sum("population"))["n"] == people


def test_settlements_share_their_cercles_population(demo_loaded):
    assert Settlement.objects.count() > 500
    assert not Settlement.objects.filter(admin_unit=None).exists()


def test_mopti_and_segou_come_first_with_recent_casualties(demo_loaded):
    result = priorities(analysis_connection(), PriorityOptions(level=1))
    assert [unit["name"] for unit in result["units"][:2]] == ["Mopti", "Ségou"]
    values = [hazard["values"] for hazard in result["hazards"]]
    assert any(v["casualties"] > 0 for v in values)
    assert any(v["settlements"] > 0 for v in values)
    # A hazard takes its cercle's people, not its whole region's.
    assert max(v["population"] for v in values) < min(p for _, _, p in REGIONS if p > 500_000)
