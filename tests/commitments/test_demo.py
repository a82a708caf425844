"""The demo's commitments: the 2015 agreement's pillars and provisions, a roadmap with
deadlines, a resolution, the Ottawa obligations and a pledge conference, all marked demo."""

from kafo.actors.demo import create_demo_actors
from kafo.commitments.demo import create_demo_commitments
from kafo.commitments.models import CommitmentFramework
from kafo.commitments.rollup import rollup
from kafo.funding.demo import create_demo_funding
from kafo.response.demo import create_demo_response


def test_the_demo_commitments(demo_geography):
    create_demo_actors()
    create_demo_response()
    create_demo_funding()
    create_demo_commitments()
    frameworks = {f.kind: f for f in CommitmentFramework.objects.all()}
    assert set(frameworks) == {"agreement", "roadmap", "resolution", "treaty",
                               "pledge_conference"}  # fmt: skip
    assert all(f.demo for f in frameworks.values())
    agreement = frameworks["agreement"]
    assert agreement.status == "terminated" and agreement.pillars.count() == 4
    summary = rollup(agreement)
    assert summary["overall"]["total"] == 5 and summary["overall"]["counts"]["not_assessed"] == 0
    assert all(c.deadline for c in frameworks["roadmap"].commitments.all())
    assert {c.reference for c in frameworks["treaty"].commitments.all()} == {"Art. 5", "Art. 7"}
    assert frameworks["pledge_conference"].pledges.exists()
    assert create_demo_commitments() == {"frameworks": 5}  # once only
