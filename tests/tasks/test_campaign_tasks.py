"""A campaign is sent by a worker: the page says it is being sent, then shows each
delivery; run again after an interruption, nobody gets the message twice."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kafo.actors.models import Role
from kafo.communities.models import Campaign, Consent, FocalPoint, KeyMessage
from kafo.communities.tasks import send_campaign
from kafo.geo.models import AdminUnit
from kafo.tasks.worker import take_back_lost_tasks


@pytest.fixture
def campaign(demo_geography, user_with_role, organisation, settings, tmp_path):
    settings.KAFO_SMS_BACKEND = "file"
    settings.KAFO_SMS_FILE = str(tmp_path / "sms.jsonl")
    hi = organisation("HI")
    editor = user_with_role(Role.PARTNER_EDITOR, hi)
    unit = AdminUnit.objects.get(pcode="ML0501")
    for n in range(3):
        point = FocalPoint.objects.create(name=f"Imam {n}", role="imam", languages=["ff"],
                                          admin_unit=unit, organisation=hi,
                                          phone=f"+2237600000{n}")  # fmt: skip
        Consent.objects.create(focal_point=point, given_on=datetime.date.today(), scope=["sms"])
    KeyMessage.objects.create(key="pluies", language="ff", title="t", text="Hooto meemu kuuje",
                              approved_at=timezone.now())  # fmt: skip
    made = Campaign.objects.create(name="Pluies", organisation=hi, message="pluies",
                                   channel="sms")  # fmt: skip
    made.admin_units.set([unit])
    return made, editor, tmp_path / "sms.jsonl"


def _sent(path) -> list[str]:
    return (
        [json.loads(line)["to"] for line in path.read_text().splitlines()] if path.exists() else []
    )


def test_send_now_queues_it_and_a_worker_sends_it(client, campaign, worker):
    made, editor, sms = campaign
    client.force_login(editor)
    client.post(reverse("communities:campaign_send", args=[made.pk]))
    page = client.get(reverse("communities:campaign", args=[made.pk])).content.decode()
    assert "En cours d’envoi depuis" in page and "Envoyer maintenant" not in page
    assert _sent(sms) == []
    worker()
    made.refresh_from_db()
    assert made.sent_at is not None and made.sending_since is None
    assert sorted(_sent(sms)) == ["+22376000000", "+22376000001", "+22376000002"]


def test_a_second_click_does_not_queue_it_twice(client, campaign, queued):
    made, editor, _sms = campaign
    client.force_login(editor)
    client.post(reverse("communities:campaign_send", args=[made.pk]))
    client.post(reverse("communities:campaign_send", args=[made.pk]))
    assert DBTaskResult.objects.count() == 1


def test_run_again_after_an_interruption_nobody_gets_it_twice(campaign, worker):
    made, editor, sms = campaign
    # The first run reached one focal point, then its worker was killed.
    first = FocalPoint.objects.order_by("pk").first()
    made.deliveries.create(focal_point=first, language="ff", status="sent",
                           sent_at=timezone.now())  # fmt: skip
    result = send_campaign.enqueue(made.pk, editor.pk)
    stored = DBTaskResult.objects.get(pk=result.id)
    stored.status, stored.worker_ids = "RUNNING", ["killed"]
    stored.started_at = timezone.now() - datetime.timedelta(minutes=5)
    stored.save()
    take_back_lost_tasks()
    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())
    worker()
    assert sorted(_sent(sms)) == ["+22376000001", "+22376000002"]
    assert made.deliveries.count() == 3


def test_given_up_it_says_why_and_can_be_sent_again(client, campaign, queued):
    made, editor, _sms = campaign
    Campaign.objects.filter(pk=made.pk).update(sending_since=timezone.now())
    result = send_campaign.enqueue(made.pk, editor.pk)
    stored = DBTaskResult.objects.get(pk=result.id)
    stored.status, stored.worker_ids = "RUNNING", ["a", "b", "killed"]
    stored.started_at = timezone.now() - datetime.timedelta(minutes=5)
    stored.save()
    take_back_lost_tasks()
    client.force_login(editor)
    page = client.get(reverse("communities:campaign", args=[made.pk])).content.decode()
    assert "L’envoi s’est arrêté" in page and "ne recevront rien deux fois" in page
    assert "Envoyer maintenant" in page
