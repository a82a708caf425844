"""Every change is a field report; the current view is the validated reports in
date-of-information order; only validated information reaches the records."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kafo.actors.models import Role
from kafo.mineaction import reports
from kafo.mineaction.models import Accident, FieldReport, RecordKind, ReportStatus


@pytest.fixture
def editor(user_with_role, organisation):
    return user_with_role(Role.PARTNER_EDITOR, organisation("HI"))


def test_a_submitted_report_changes_no_record_until_validated(mine_action, editor, coordinator):
    report = mine_action.report(
        RecordKind.ACCIDENT, editor,
        {"date": "2024-03-03", "longitude": -4.2, "latitude": 14.5,
         "device_category": "improvised_mine", "accident_type": "civilian"},
        validate=False,
    )  # fmt: skip
    assert report.reference.startswith("FR-") and report.record_reference.startswith("ACC-")
    assert not Accident.objects.exists()
    reports.verify(report, editor)
    reports.accept(report, coordinator)
    assert not Accident.objects.exists()
    accident = reports.validate(report, coordinator)
    assert accident.reference == report.record_reference
    assert accident.admin_unit.pcode.startswith("ML05")  # Mopti, derived from the point
    assert accident.organisation == editor.membership.organisation


def test_steps_go_in_order_and_by_the_right_people(
    mine_action, editor, coordinator, user_with_role
):
    other_editor = user_with_role(Role.PARTNER_EDITOR)
    report = mine_action.report(
        RecordKind.ACCIDENT, editor,
        {"date": "2024-03-03", "longitude": -4.2, "latitude": 14.5,
         "device_category": "improvised_mine", "accident_type": "civilian"},
        validate=False,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="vérifié"):
        reports.accept(report, coordinator)  # not verified yet
    with pytest.raises(PermissionDenied):
        reports.verify(report, other_editor)  # another organisation
    reports.verify(report, editor)
    with pytest.raises(PermissionDenied):
        reports.accept(report, editor)  # national IM only
    reports.accept(report, coordinator)
    with pytest.raises(PermissionDenied):
        reports.validate(report, editor)
    reports.validate(report, coordinator)
    with pytest.raises(ValidationError):
        reports.reject(report, coordinator, "too late")


def test_corrections_apply_in_date_of_information_order(mine_action, editor):
    accident = mine_action.accident(editor, date="2024-05-01", area_marked="no")
    base = {"date": "2024-05-01", "longitude": -4.2, "latitude": 14.5,
            "device_category": "improvised_mine", "accident_type": "civilian"}  # fmt: skip
    later = mine_action.report(
        RecordKind.ACCIDENT, editor,
        {**base, "area_marked": "yes", "date_of_information": datetime.date(2024, 6, 1)},
        record_reference=accident.reference,
    )  # fmt: skip
    # An older piece of information, validated afterwards, does not override the newer one.
    mine_action.report(
        RecordKind.ACCIDENT, editor,
        {**base, "area_marked": "unknown", "date_of_information": datetime.date(2024, 5, 15)},
        record_reference=accident.reference,
    )  # fmt: skip
    accident.refresh_from_db()
    assert accident.area_marked == "yes"
    assert later.data == {"area_marked": "yes"}  # a correction keeps only what it changes
    assert FieldReport.objects.filter(record_reference=accident.reference).count() == 3


def test_a_correction_that_changes_nothing_is_refused(mine_action, editor):
    accident = mine_action.accident(editor)
    form = reports.kind_of("accident").form(
        data={"date": "2024-05-01", "longitude": -4.2, "latitude": 14.5,
              "device_category": "improvised_mine", "accident_type": "civilian",
              "activity_at_time": "travelling_vehicle", "area_marked": "no"}
    )  # fmt: skip
    assert form.is_valid()
    with pytest.raises(ValidationError, match="ne change rien"):
        reports.submit(
            reports.kind_of("accident"), form, user=editor,
            organisation=editor.membership.organisation,
            date_of_information=datetime.date(2024, 6, 1), record_reference=accident.reference,
        )  # fmt: skip


def test_a_rejected_report_never_reaches_the_record(mine_action, editor, coordinator):
    accident = mine_action.accident(editor)
    report = mine_action.report(
        RecordKind.ACCIDENT, editor,
        {"date": "2024-05-01", "longitude": -4.2, "latitude": 14.5, "area_marked": "yes",
         "device_category": "improvised_mine", "accident_type": "civilian"},
        record_reference=accident.reference, validate=False,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        reports.reject(report, coordinator, "  ")
    reports.reject(report, coordinator, "duplicate of FR-000001")
    accident.refresh_from_db()
    assert accident.area_marked == "no"
    assert FieldReport.objects.get(pk=report.pk).status == ReportStatus.REJECTED
