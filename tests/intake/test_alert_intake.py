"""A community alert sent from Kafo's alert form becomes an alert of its focal point and
a submitted field report for an operator (an indication hazard, or an accident), as one
received on the web does; a focal point the source's organisation does not work with is
a reason, and nothing is half-written."""

import pytest

from kafo.communities.models import Alert, FocalPoint
from kafo.geo.models import AdminUnit
from kafo.intake import xlsforms
from kafo.intake.models import IntakeSource, Submission, SubmissionStatus
from kafo.intake.pull import pull
from kafo.mineaction.models import FieldReport
from tests.intake.kobo_server import KoboServer

TOKEN_ENV = "KAFO_TEST_KOBO_TOKEN"


@pytest.fixture
def kobo():
    server = KoboServer(asset="aKafoAlert")
    yield server
    server.close()


@pytest.fixture
def source(kobo, demo_geography, organisation, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, kobo.token)
    return IntakeSource.objects.create(
        name="Alertes Mopti", platform="kobo", url=kobo.url, asset_uid=kobo.asset,
        token_env=TOKEN_ENV, organisation=organisation("HI"), kind="alert",
    )  # fmt: skip


def _leader(organisation, shared: bool = False) -> FocalPoint:
    return FocalPoint.objects.create(
        name="Chef de village", role="village_chief", languages=["ff"], shared=shared,
        admin_unit=AdminUnit.objects.get(pcode="ML0501"), organisation=organisation,
    )  # fmt: skip


def _alert(n: int, focal_point, **changes) -> dict:
    raw = {
        "_id": n, "_uuid": f"a{n}", "meta/instanceID": f"uuid:a{n}",
        "_submission_time": f"2024-05-{n:02d}T10:00:00",
        "kafo_version": xlsforms.written("alert").version,
        "date_of_information": "2024-05-02", "where/region": "ML05", "where/cercle": "ML0501",
        "where/pcode": "ML0501", "where/location": "14.5 -4.2 301 5",
        "focal_point": str(focal_point), "kind": "object", "channel": "phone",
        "reported_at": "2024-05-01T08:30:00.000+00:00", "device": "erw_uxo",
        "description": "Obus près du puits",
    }  # fmt: skip
    raw.update(changes)
    return raw


def test_an_alert_becomes_an_alert_and_a_field_report(kobo, source):
    leader = _leader(source.organisation)
    kobo.submissions = [_alert(1, leader.pk), _alert(2, leader.pk, kind="incident")]
    assert pull(source)["created"] == 2
    first = Alert.objects.order_by("pk").first()
    assert first.focal_point == leader and first.organisation == source.organisation
    assert (first.longitude, first.latitude) == (-4.2, 14.5)
    assert first.admin_unit.pcode == "ML0501" and first.channel == "phone"
    reports = {s.root_uuid: FieldReport.objects.get(reference=s.field_report)
               for s in Submission.objects.all()}  # fmt: skip
    assert reports["uuid:a1"].kind == "hazard" and reports["uuid:a2"].kind == "accident"
    assert reports["uuid:a1"].data["classification"] == "indication"
    assert {a.field_report for a in Alert.objects.all()} == {r.reference for r in reports.values()}
    assert pull(source, full=True)["created"] == 0 and Alert.objects.count() == 2


def test_a_focal_point_of_another_organisation_is_a_reason(kobo, source, organisation):
    other = _leader(organisation("DRC"))
    shared = _leader(organisation("NRC"), shared=True)
    kobo.submissions = [_alert(1, other.pk), _alert(2, 999_999), _alert(3, shared.pk)]
    counts = pull(source)
    assert (counts["created"], counts["rejected"]) == (1, 2)  # a shared one is anyone's
    rejected = Submission.objects.filter(status=SubmissionStatus.REJECTED)
    assert all("(focal_point)" in s.reasons[0] for s in rejected)
    assert Alert.objects.count() == 1 and FieldReport.objects.count() == 1
