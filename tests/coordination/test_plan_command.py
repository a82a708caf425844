"""`kafo plan`: the plan and its dividend, as JSON or a table; bad input refused."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kafo.actors.models import Accreditation, Role
from kafo.coordination.models import JointPlan
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity, Resource


@pytest.fixture
def field(mine_action, user_with_role, organisation):
    hi = organisation("HI")
    editor = user_with_role(Role.PARTNER_EDITOR, hi)
    hazard = mine_action.hazard(editor)
    mopti = AdminUnit.objects.get(pcode="ML0501")
    team = Resource.objects.create(organisation=hi, kind="ts_team", name="TS HI", base=mopti,
                                   offered=True)  # fmt: skip
    Accreditation.objects.create(organisation=hi, activity="TS", issued="2029-01-01")
    # HI's own plan: the same survey in both months, by itself.
    planned = Activity.objects.create(
        organisation=hi, title="ET", sector="PRO-MIN", activity_type="TS", status="planned",
        planned_start="2030-01-01", planned_end="2030-02-28",
    )  # fmt: skip
    planned.locations.set([hazard.admin_unit])
    return hazard, team


def test_json_has_the_documented_keys(field):
    out = StringIO()
    call_command("plan", "--start", "2030-01", "--months", "2", "--time-limit", "10",
                 "--format", "json", stdout=out)  # fmt: skip
    result = json.loads(out.getvalue())
    assert {"assignments", "objective", "gap", "dividend"} <= set(result)
    assignment = result["assignments"][0]
    assert {"resource", "organisation", "task", "pcode", "period", "output"} <= set(assignment)
    assert assignment["resource"] == "TS HI" and assignment["organisation"] == "HI"
    assert {"need_covered", "duplications_removed", "units_newly_covered", "equity_before",
            "equity_after"} <= set(result["dividend"])  # fmt: skip


def test_the_table_and_a_saved_draft(field, coordinator):
    out = StringIO()
    call_command("plan", "--start", "2030-01", "--months", "1", "--save", "Essai", stdout=out)
    assert "TS HI" in out.getvalue() and "Dividende" in out.getvalue()
    joint_plan = JointPlan.objects.get(name="Essai")
    assert joint_plan.status == "draft" and joint_plan.assignments.count() == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [(["--months", "0"], "1 à 36"), (["--start", "demain"], "demain"),
     (["--budget", "HI:3"], "ORGANISATION=MONTANT"), (["--time-limit", "-1"], "secondes")],
)  # fmt: skip
def test_bad_input_says_why(field, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("plan", *arguments, stdout=StringIO())
