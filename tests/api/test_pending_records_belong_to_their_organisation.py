"""A report refers only to records, pending or not, of the reporter's organisation (or
any, for the coordination): another partner cannot take over a record that exists only
as a pending field report, through the API, the web form or an import."""

import pytest
from django.core.exceptions import PermissionDenied

from kafo.actors.models import Role
from kafo.mineaction import reports
from kafo.mineaction.models import FieldReport
from tests.conftest import RECORD_DEFAULTS


@pytest.fixture
def pending(mine_action, user_with_role, organisation):
    hi = user_with_role(Role.PARTNER_EDITOR, organisation("HI"))
    accident = mine_action.accident(hi)
    victim = mine_action.report(
        "victim", hi, {**RECORD_DEFAULTS["victim"], "accident": accident.reference,
                       "name": "Awa Traoré"}, validate=False,
    )  # fmt: skip
    return victim.record_reference, accident.reference


def _values(accident, **change):
    return {**RECORD_DEFAULTS["victim"], "accident": accident, **change}


def test_another_partner_cannot_report_on_a_pending_record_through_the_api(
    api, pending, user_with_role, organisation
):
    reference, accident = pending
    drc = user_with_role(Role.PARTNER_EDITOR, organisation("DRC"))
    response = api(drc).post(
        "/api/v1/mineaction/victim/",
        {"record_reference": reference, **_values(accident, age=40)},
        format="json",
    )
    assert response.status_code == 403
    assert FieldReport.objects.filter(record_reference=reference).count() == 1


def test_the_check_is_in_submit_itself(pending, user_with_role, organisation):
    drc = user_with_role(Role.PARTNER_EDITOR, organisation("DRC"))
    kind = reports.kind_of("victim")
    reference, accident = pending
    form = kind.form(data=_values(accident, age=40), correction=True)
    assert form.is_valid(), form.errors
    import datetime

    with pytest.raises(PermissionDenied):
        reports.submit(kind, form, user=drc, organisation=drc.membership.organisation,
                       date_of_information=datetime.date(2025, 1, 1),
                       record_reference=reference)  # fmt: skip


def test_its_own_organisation_and_the_coordination_still_may(api, pending, coordinator):
    reference, accident = pending
    owner = FieldReport.objects.get(record_reference=reference).submitted_by
    for user, age in ((owner, 41), (coordinator, 42)):
        response = api(user).post(
            "/api/v1/mineaction/victim/",
            {"record_reference": reference, **_values(accident, age=age)},
            format="json",
        )
        assert response.status_code == 202, response.content
