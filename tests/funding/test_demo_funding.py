"""The demo's funding: rates marked demo, flows from real donors to the demo's mine action
activities, never more disbursed than pledged, tagged like their activity."""

from kafo.actors.demo import create_demo_actors
from kafo.currencies.models import ExchangeRate
from kafo.funding.demo import create_demo_funding
from kafo.funding.models import Transaction, TransactionObjective
from kafo.funding.summaries import per_pledge
from kafo.response.demo import create_demo_response


def test_the_demo_funding_follows_the_rules(demo_geography):
    create_demo_actors()
    create_demo_response()
    made = create_demo_funding()
    assert made["transactions"] == Transaction.objects.count() > 0
    assert all("démo" in rate.source for rate in ExchangeRate.objects.all())
    flows = list(Transaction.objects.select_related("activity"))
    assert {t.activity.sector for t in flows if t.activity} == {"PRO-MIN"}
    # The chains to national organisations: from IATI, or by hand with their source.
    assert all(t.from_iati or t.source_document for t in flows if not t.activity)
    assert any(not t.from_iati for t in flows if not t.activity)
    for row in per_pledge(Transaction.objects.all()):
        assert row["disbursed"] <= row["pledge"].amount_usd
    for tag in TransactionObjective.objects.select_related("transaction__activity"):
        assert tag.transaction.activity.objectives.filter(objective=tag.objective).exists()
    assert create_demo_funding() == made  # once only
