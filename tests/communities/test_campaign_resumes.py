"""A campaign is recorded message by message: if the sending stops half-way (the gateway
or the server fails), what went out stays recorded and sending again reaches only the
others, so nobody gets the message twice."""

import datetime

import pytest

from kafo.communities import services
from kafo.communities.models import Campaign, Consent, FocalPoint, KeyMessage
from kafo.communities.sms import SmsResult
from kafo.geo.models import AdminUnit


class FailingOnSecond:
    """A gateway that takes one message, then breaks (a network library error)."""

    sent: list[str] = []

    def send(self, phone: str, text: str) -> SmsResult:
        if self.sent:
            raise RuntimeError("gateway down")
        self.sent.append(phone)
        return SmsResult(True, "test")


class Recording:
    sent: list[str] = []

    def send(self, phone: str, text: str) -> SmsResult:
        self.sent.append(phone)
        return SmsResult(True, "test")


@pytest.fixture
def campaign(demo_geography, organisation):
    hi = organisation("HI")
    place = AdminUnit.objects.get(pcode="ML0501")
    for i in range(3):
        point = FocalPoint.objects.create(
            name=f"Relais {i}", role="imam", admin_unit=place, languages=["fr"],
            organisation=hi, channels=["sms"], phone=f"+2237600000{i}",
        )  # fmt: skip
        Consent.objects.create(focal_point=point, given_on=datetime.date(2026, 1, 1),
                               scope=["sms"])  # fmt: skip
    approved = datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    KeyMessage.objects.create(key="ne-pas-toucher", language="fr", title="Ne pas toucher",
                              text="Ne touchez pas.", approved_at=approved)  # fmt: skip
    campaign = Campaign.objects.create(name="Pluies", organisation=hi, message="ne-pas-toucher",
                                       channel="sms")  # fmt: skip
    campaign.admin_units.set([place])
    return campaign


def test_a_campaign_stopped_half_way_resumes_without_sending_twice(campaign, monkeypatch):
    FailingOnSecond.sent, Recording.sent = [], []
    monkeypatch.setattr(services, "backend", FailingOnSecond)
    with pytest.raises(RuntimeError):
        services.run_campaign(campaign)
    campaign.refresh_from_db()
    first = FailingOnSecond.sent
    assert campaign.sent_at is None and len(first) == 1
    assert [d.focal_point.phone for d in campaign.deliveries.all()] == first  # kept

    monkeypatch.setattr(services, "backend", Recording)
    counts = services.run_campaign(campaign)
    assert counts["sent"] == 2 and first[0] not in Recording.sent
    assert sorted(first + Recording.sent) == ["+22376000000", "+22376000001", "+22376000002"]
    campaign.refresh_from_db()
    assert campaign.sent_at is not None and campaign.deliveries.count() == 3
