"""A hazard indication in a minute: where, what, how it is known; it becomes a hazard
field report of classification indication for an operator to verify, sent once from
the outbox; a wrong place, a future date or half a point is refused with the reason."""

import datetime
import uuid

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.mineaction.models import FieldReport

URL = "/mineaction/reports/indication/"


@pytest.fixture
def editor(user_with_role, demo_geography):
    return user_with_role(Role.PARTNER_EDITOR)


def _values(**changes) -> dict:
    from kafo.geo.models import AdminUnit

    unit = AdminUnit.objects.filter(level=2).order_by("pcode").first()
    return {"date_seen": "2024-05-02", "pcode": unit.pcode.lower(),
            "contamination": ["improvised_mine"], "evidence": "visual",
            "description": "Engin suspect au bord de la piste", **changes}  # fmt: skip


def test_an_indication_becomes_a_hazard_report_at_its_place(client, editor):
    from kafo.geo.models import AdminUnit

    assert reverse("mineaction:quick_hazard") == URL
    client.force_login(editor)
    answer = client.post(URL, _values())
    report = FieldReport.objects.get()
    assert answer.status_code == 302 and answer["Location"] == report.get_absolute_url()
    unit = AdminUnit.objects.filter(level=2).order_by("pcode").first()
    assert report.kind == "hazard" and report.status == "submitted"
    assert report.data["classification"] == "indication"
    assert report.data["evidence"] == ["visual"]
    assert (report.data["longitude"], report.data["latitude"]) == (unit.label_lon, unit.label_lat)
    assert report.date_of_information == datetime.date(2024, 5, 2)
    client.post(URL, _values(longitude="-4.25", latitude="14.45"))
    second = FieldReport.objects.order_by("-pk").first()
    assert (second.data["longitude"], second.data["latitude"]) == (-4.25, 14.45)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [({"pcode": "XX999"}, "XX999"), ({"date_seen": "2999-01-01"}, "futur"),
     ({"longitude": "-4.2"}, "latitude"), ({"contamination": []}, "obligatoire")],
)  # fmt: skip
def test_a_wrong_indication_is_refused_with_the_reason(client, editor, changes, reason):
    client.force_login(editor)
    answer = client.post(URL, _values(**changes), HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.status_code == 400 and reason in answer.content.decode()
    assert not FieldReport.objects.exists()


def test_an_indication_from_the_outbox_is_received_once(client, editor):
    client.force_login(editor)
    values = _values(client_uuid=str(uuid.uuid4()))
    first = client.post(URL, values, HTTP_X_KAFO_OUTBOX="1")
    again = client.post(URL, values, HTTP_X_KAFO_OUTBOX="1")
    assert first.json()["status"] == "created" and again.json()["status"] == "duplicate"
    assert FieldReport.objects.count() == 1


def test_it_checks_access(client, user_with_role, demo_geography):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _values()).status_code == 403
    assert not FieldReport.objects.exists()
