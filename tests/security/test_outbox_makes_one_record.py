"""A form sent twice with the same UUID (the outbox retrying after a lost answer, a
double click, a hand-carried file replayed) makes one record; the outbox's JSON says
what it made, or why not, and a refused form keeps nothing."""

import datetime
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kafo.communities.models import Alert, FocalPoint
from kafo.mineaction.models import FieldReport
from kafo.security.models import OutboxReceipt

OUTBOX = {"HTTP_X_KAFO_OUTBOX": "1"}


@pytest.fixture
def focal_point(db, demo_geography, coordinator):
    from kafo.geo.models import AdminUnit

    unit = AdminUnit.objects.filter(level=2).order_by("pcode").first()
    return FocalPoint.objects.create(name="Aminata", phone="+22370000000", role="imam",
                                     admin_unit=unit,
                                     organisation=coordinator.membership.organisation)  # fmt: skip


def _alert(focal_point, key, **values) -> dict:
    reported = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    return {"kind": "object", "channel": "phone", "reported_at": reported,
            "pcode": focal_point.admin_unit.pcode, "device": "erw_uxo",
            "description": "Obus au bord de la piste",
            "client_uuid": str(key), **values}  # fmt: skip


def _url(focal_point) -> str:
    return reverse("communities:focal_point_add", args=[focal_point.pk, "alert"])


def test_the_same_alert_sent_twice_makes_one(client, coordinator, focal_point):
    client.force_login(coordinator)
    key = uuid.uuid4()
    first = client.post(_url(focal_point), _alert(focal_point, key), **OUTBOX)
    again = client.post(_url(focal_point), _alert(focal_point, key), **OUTBOX)
    assert first.status_code == again.status_code == 200, first.content.decode()
    assert first.json()["status"] == "created" and again.json()["status"] == "duplicate"
    assert first.json()["url"] == again.json()["url"]
    assert Alert.objects.count() == 1
    assert FieldReport.objects.count() == 1  # its field report too, once
    assert OutboxReceipt.objects.get(uuid=key).kind == "focal_point"
    # A new UUID is another alert.
    client.post(_url(focal_point), _alert(focal_point, uuid.uuid4()), **OUTBOX)
    assert Alert.objects.count() == 2


def test_a_double_click_without_javascript_makes_one(client, coordinator, focal_point):
    client.force_login(coordinator)
    page = client.get(reverse("communities:focal_point", args=[focal_point.pk])).content.decode()
    assert 'name="client_uuid"' in page  # each form carries one, made by the server
    key = uuid.uuid4()
    for _twice in range(2):
        answer = client.post(_url(focal_point), _alert(focal_point, key))
        assert answer.status_code == 302
    assert Alert.objects.count() == 1


def test_a_refused_form_keeps_nothing_and_says_why(client, coordinator, focal_point):
    client.force_login(coordinator)
    key = uuid.uuid4()
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    answer = client.post(_url(focal_point), _alert(focal_point, key, reported_at=future),
                         **OUTBOX)  # fmt: skip
    assert answer.status_code == 400 and answer.json()["status"] == "refused"
    assert any("futur" in reason for reason in answer.json()["errors"])
    assert not Alert.objects.exists() and not OutboxReceipt.objects.exists()
    # Corrected, the same form is then received.
    fixed = client.post(_url(focal_point), _alert(focal_point, key), **OUTBOX)
    assert fixed.json()["status"] == "created" and Alert.objects.count() == 1


def test_a_bad_uuid_is_refused(client, coordinator, focal_point):
    client.force_login(coordinator)
    answer = client.post(_url(focal_point), _alert(focal_point, "not-a-uuid"), **OUTBOX)
    assert answer.status_code == 400 and "UUID" in answer.json()["errors"][0]
    assert not Alert.objects.exists()


def test_a_field_report_sent_twice_makes_one(client, coordinator, mine_action):
    from tests.conftest import RECORD_DEFAULTS

    client.force_login(coordinator)
    key = uuid.uuid4()
    values = {**RECORD_DEFAULTS["eore"], "date_of_information": "2024-05-02",
              "client_uuid": str(key)}  # fmt: skip
    url = reverse("mineaction:report_new", args=["eore"])
    first = client.post(url, values, **OUTBOX)
    again = client.post(url, values, **OUTBOX)
    assert first.json()["status"] == "created", first.content
    assert again.json() == {"status": "duplicate", "url": first.json()["url"]}
    assert FieldReport.objects.count() == 1


def test_a_hand_carried_file_is_replayed_once(client, coordinator, focal_point):
    client.force_login(coordinator)
    items = [{"uuid": str(uuid.uuid4()), "kind": "Alerte communautaire", "url": _url(focal_point),
              "fields": list(_alert(focal_point, "").items())} for _ in range(2)]  # fmt: skip
    items.append({"uuid": str(uuid.uuid4()), "kind": "?", "url": reverse("logout"), "fields": []})
    content = json.dumps({"format": "kafo-outbox", "version": 1, "user": "awa", "items": items})

    def carried():
        upload = SimpleUploadedFile("kafo-outbox.json", content.encode(), "application/json")
        return client.post(reverse("interop:outbox_import"), {"file": upload})

    first = carried()
    assert first.status_code == 200
    statuses = [r["status"] for r in first.context["results"]]
    assert statuses == ["created", "created", "refused"]  # logout takes no outbox forms
    assert Alert.objects.count() == 2
    assert OutboxReceipt.objects.filter(carried_by=coordinator).count() == 2
    again = carried()
    assert [r["status"] for r in again.context["results"]] == ["duplicate", "duplicate", "refused"]
    assert Alert.objects.count() == 2


def test_a_file_that_is_not_an_outbox_is_refused(client, coordinator):
    client.force_login(coordinator)
    for name, body in [("x.json", b'{"items": []}'), ("x.json", b"\xff\xfe"), ("x.json", b"[1]")]:
        upload = SimpleUploadedFile(name, body, "application/json")
        answer = client.post(reverse("interop:outbox_import"), {"file": upload}, follow=True)
        assert "pas un fichier de boîte d’envoi" in answer.content.decode()
