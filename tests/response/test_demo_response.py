"""The demo's 5W, resources and strategy are consistent with Kafo's own rules."""

from collections import defaultdict
from decimal import Decimal

from kafo.actors.demo import create_demo_actors
from kafo.response.demo import create_demo_response
from kafo.response.models import Activity, ActivityObjective, Framework, Loan, Resource
from kafo.response.strategies.progress import achievements


def test_the_demo_response_follows_the_rules(demo_geography):
    create_demo_actors()
    made = create_demo_response()
    assert made["activities"] == Activity.objects.count() >= 30
    assert {"HI", "MAG", "DRC"} <= set(
        Activity.objects.values_list("organisation__acronym", flat=True)
    )
    assert Resource.objects.filter(offered=True).exists() and Loan.objects.exists()
    for activity in Activity.objects.all():
        assert activity.locations.exists()
    shares = defaultdict(Decimal)
    for share in ActivityObjective.objects.all():
        shares[share.activity_id] += share.percentage
    assert set(shares.values()) == {Decimal(100)}
    framework = Framework.objects.get()
    assert any(v["people_reached"] > 0 for v in achievements(framework).values())
    assert create_demo_response() == {"activities": made["activities"]}  # once only


def test_the_demo_has_needs_that_the_gaps_analysis_reads(demo_geography):
    from kafo.analysis.gaps import GapOptions, gaps
    from kafo.coordination.source import analysis_connection
    from kafo.response.models import Need

    create_demo_actors()
    made = create_demo_response()
    assert made["needs"] == Need.objects.count() > 0
    assert set(Need.objects.values_list("sector", flat=True)) == {"PRO-MIN", "PRO", "FSC"}
    assert all(n.in_need <= n.population for n in Need.objects.all())
    result = gaps(analysis_connection(), GapOptions(level=2, sector="PRO-MIN"))
    classes = {row["class"] for row in result["units"]}
    assert "no_presence" in classes and len(classes) >= 2


def test_the_demo_has_access_restrictions_labelled_demo(demo_geography):
    from kafo.response.models import AccessRestriction

    create_demo_actors()
    create_demo_response()
    restrictions = list(AccessRestriction.objects.all())
    assert {r.level for r in restrictions} == {"no_access", "escort"}
    assert all("démo" in r.reason for r in restrictions)
