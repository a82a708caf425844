"""Community alerts become draft field reports and are followed to their outcome; the
coverage of priority units by engaged, consenting leaders."""

import datetime
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from kafo.actors.models import Role
from kafo.communities.models import Alert, Consent, Engagement, FocalPoint, KeyMessage
from kafo.communities.services import close_alert, report_alert, waiting_alerts
from kafo.geo.models import AdminUnit
from kafo.mineaction.models import FieldReport


@pytest.fixture
def leader(demo_geography, organisation):
    return FocalPoint.objects.create(name="Chef", role="village_chief",
                                     admin_unit=AdminUnit.objects.get(pcode="ML0501"),
                                     languages=["ff"], organisation=organisation("HI"))  # fmt: skip


def _alert(leader, kind="object", hours_ago=1, **values):
    return Alert.objects.create(
        focal_point=leader, organisation=leader.organisation, kind=kind, channel="phone",
        reported_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        admin_unit=leader.admin_unit, description="Obus près du puits", **values,
    )  # fmt: skip


def test_an_alert_becomes_a_draft_indication_for_an_operator(leader, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR, leader.organisation)
    alert = _alert(leader, longitude=-4.2, latitude=14.5)
    reference = report_alert(alert, editor)
    report = FieldReport.objects.get(reference=reference)
    assert report.kind == "hazard" and report.status == "submitted"
    assert report.data["classification"] == "indication"
    assert "Obus" in report.data["description"]
    incident = report_alert(_alert(leader, kind="incident"), editor)
    assert FieldReport.objects.get(reference=incident).kind == "accident"


def test_alerts_are_followed_to_their_outcome_and_timed(leader):
    alert = _alert(leader, hours_ago=100)
    fresh = _alert(leader, hours_ago=2)
    assert list(waiting_alerts(72)) == [alert]
    close_alert(alert, "nts", "Enquête non technique planifiée")
    assert alert.response_hours == pytest.approx(100, abs=0.1)
    assert not waiting_alerts(72).exists() and fresh.response_hours is None
    with pytest.raises(ValidationError):
        close_alert(fresh, "maybe")


def test_coverage_of_priority_units(leader, mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    hazard = mine_action.hazard(editor)  # an open hazard makes its cercle a priority unit
    out = StringIO()
    call_command("analyse", "community", "--level", "2", "--format", "json", stdout=out)
    before = json.loads(out.getvalue())
    cercle = hazard.admin_unit.pcode[:6]
    assert before["priority_units"] >= 1
    assert cercle in [u["pcode"] for u in before["uncovered"]]
    # A consenting, engaged leader in that cercle covers it.
    unit = AdminUnit.objects.get(pcode=cercle)
    leader.admin_unit = unit
    leader.save()
    Consent.objects.create(focal_point=leader, given_on=datetime.date.today(), scope=["contact"])
    Engagement.objects.create(focal_point=leader, kind="meeting", date=datetime.date.today(),
                              admin_unit=unit, organisation=leader.organisation)  # fmt: skip
    out = StringIO()
    call_command("analyse", "community", "--level", "2", "--format", "json", stdout=out)
    after = json.loads(out.getvalue())
    assert cercle not in [u["pcode"] for u in after["uncovered"]]
    assert cercle not in [u["pcode"] for u in after["hazards_without_leader"]]
    assert [u["pcode"] for u in after["language_gaps"]] == [cercle]  # Fulfulde, no message
    KeyMessage.objects.create(key="k", language="ff", title="t", text="x",
                              approved_at=timezone.now())  # fmt: skip
    out = StringIO()
    call_command("analyse", "community", "--level", "2", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["language_gaps"] == []


def test_a_refused_alert_says_why_in_french(leader, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR, leader.organisation)
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        report_alert(_alert(leader, longitude=2.35, latitude=48.85), editor)  # Paris
    (message,) = refused.value.messages
    assert message.startswith("Longitude : Le point 2.35000, 48.85000 est hors des limites")
