"""The demo's community work: focal points with consents (one withdrawn), engagements,
approved messages, a waiting and a closed alert, a campaign — all marked demo."""

from kafo.actors.demo import create_demo_actors
from kafo.communities.demo import create_demo_communities
from kafo.communities.models import Alert, Campaign, FocalPoint, KeyMessage
from kafo.communities.services import waiting_alerts


def test_the_demo_communities(demo_geography):
    create_demo_actors()
    made = create_demo_communities()
    assert made["focal_points"] == FocalPoint.objects.count() >= 4
    assert all("démo" in f.name for f in FocalPoint.objects.all())
    assert any(f.consent_for("sms") is None for f in FocalPoint.objects.all())  # withdrawn
    assert KeyMessage.objects.filter(approved_at__isnull=False).count() == 3
    assert waiting_alerts(72).count() == 1 and Alert.objects.filter(status="nts").exists()
    assert Campaign.objects.get().sent_at is None
    assert create_demo_communities() == made  # once only
