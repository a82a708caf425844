"""The message library (versions, audio, approval) and campaigns run from the web on the
test SMS backend, within consent."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kafo.actors.models import Role
from kafo.communities.models import Campaign, Consent, FocalPoint, KeyMessage
from kafo.geo.models import AdminUnit


@pytest.fixture
def setup(demo_geography, user_with_role, organisation, settings, tmp_path):
    settings.KAFO_SMS_BACKEND = "file"
    settings.KAFO_SMS_FILE = str(tmp_path / "sms.jsonl")
    settings.MEDIA_ROOT = tmp_path / "media"
    hi = organisation("HI")
    editor = user_with_role(Role.PARTNER_EDITOR, hi)
    point = FocalPoint.objects.create(name="Imam", role="imam", languages=["ff"],
                                      admin_unit=AdminUnit.objects.get(pcode="ML0501"),
                                      organisation=hi, phone="+22376000001")  # fmt: skip
    Consent.objects.create(focal_point=point, given_on=datetime.date.today(), scope=["sms"])
    return editor, tmp_path


def test_it_checks_access(plain_client, client, setup, user_with_role):
    assert plain_client.get(reverse("communities:library")).status_code == 302
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    assert client.get(reverse("communities:library")).status_code == 403
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    assert client.post(reverse("communities:message_add"), {}).status_code == 403


def test_versions_audio_approval_and_a_campaign(client, setup, coordinator):
    editor, tmp_path = setup
    client.force_login(editor)
    audio = SimpleUploadedFile("message.ogg", b"OggS fake audio", content_type="audio/ogg")
    for _round in range(2):
        client.post(reverse("communities:message_add"), {
            "key": "Ne-Pas-Toucher", "language": "ff", "title": "Ne pas toucher",
            "text": "Hooto meemu kuuje", "audio": audio if not _round else ""})  # fmt: skip
    versions = list(KeyMessage.objects.order_by("version"))
    assert [m.version for m in versions] == [1, 2] and versions[0].key == "ne-pas-toucher"
    assert (
        client.get(reverse("communities:message_audio", args=[versions[0].pk])).status_code == 200
    )
    # Not approved yet: a campaign cannot use it.
    page = client.post(reverse("communities:campaign_add"), {
        "name": "Pluies", "message": "ne-pas-toucher", "channel": "sms", "pcodes": "ML0501"},
        follow=True).content.decode()  # fmt: skip
    assert "Aucune version approuvée" in page and not Campaign.objects.exists()
    client.force_login(coordinator)
    client.post(reverse("communities:message_approve", args=[versions[1].pk]))
    client.force_login(editor)
    client.post(
        reverse("communities:campaign_add"),
        {"name": "Pluies", "message": "ne-pas-toucher", "channel": "sms", "pcodes": "ML0501"},
    )
    campaign = Campaign.objects.get()
    client.post(reverse("communities:campaign_send", args=[campaign.pk]))
    sent = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert sent == [{"to": "+22376000001", "text": "Hooto meemu kuuje"}]
    page = client.get(reverse("communities:campaign", args=[campaign.pk])).content.decode()
    assert "Envoyé" in page
    delivery = campaign.deliveries.get()
    client.post(reverse("communities:delivery_feedback", args=[delivery.pk]),
                {"feedback": "Message relayé à la mosquée", "delivered": "on"})  # fmt: skip
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.feedback.startswith("Message relayé")


def test_bad_audio_is_refused(client, setup):
    editor, _tmp = setup
    client.force_login(editor)
    page = client.post(reverse("communities:message_add"), {
        "key": "k", "language": "ff", "title": "t", "text": "x",
        "audio": SimpleUploadedFile("virus.exe", b"MZ")}, follow=True).content.decode()  # fmt: skip
    assert "virus.exe" in page and not KeyMessage.objects.exists()
