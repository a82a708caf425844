"""Joint plans on the web: the coordination computes, organisations answer, declines are
re-planned keeping acceptances, the adopted plan becomes planned activities."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kafo.actors.models import Accreditation, Role
from kafo.coordination.models import JointPlan, PlanAssignment
from kafo.geo.models import AdminUnit
from kafo.response.models import AccessRestriction, Activity, OperatingArea, Resource

START = "2030-01"


@pytest.fixture
def field(mine_action, user_with_role, organisation):
    """Three suspected areas surveyed by HI and DRC's teams, both offered for sharing."""
    hi, drc = organisation("HI"), organisation("DRC")
    editor = user_with_role(Role.PARTNER_EDITOR, hi)
    hazards = [mine_action.hazard(editor) for _ in range(3)]
    mopti = AdminUnit.objects.get(pcode="ML0501")
    teams = [
        Resource.objects.create(
            organisation=org,
            kind="ts_team",
            name=f"TS {org.acronym}",
            base=mopti,
            offered=True,
            capacity=1,
            capacity_unit="zones/mois",
        )
        for org in (hi, drc)
    ]
    for org in (hi, drc):  # both accredited for technical survey (the register)
        Accreditation.objects.create(organisation=org, activity="TS", issued="2029-01-01",
                                     expires="2031-12-31")  # fmt: skip
    return {"hi": hi, "drc": drc, "editor": editor, "hazards": hazards, "teams": teams,
            "drc_editor": user_with_role(Role.PARTNER_EDITOR, drc)}  # fmt: skip


def _new_plan(client, **values) -> JointPlan:
    data = {"name": "Plan 2030", "start": START, "months": 2, "time_limit": 10, "level": 2,
            "equity_floor": 0.5, "budgets": "", **values}  # fmt: skip
    response = client.post(reverse("plan_new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return JointPlan.objects.latest("pk")


def test_it_checks_access(plain_client, client, field, coordinator, user_with_role):
    assert plain_client.get(reverse("plans")).status_code == 302
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    assert client.get(reverse("plans")).status_code == 403
    client.force_login(field["editor"])
    page = client.get(reverse("plans")).content.decode()
    assert "Calculer" not in page  # partners read plans; the coordination makes them
    assert client.post(reverse("plan_new"), {"name": "x"}).status_code == 403


def test_the_coordination_computes_a_plan(client, field, coordinator):
    client.force_login(coordinator)
    joint_plan = _new_plan(client)
    assert joint_plan.status == "draft" and joint_plan.solver_status == "optimal"
    assignments = list(joint_plan.assignments.all())
    # The three areas of the unit are one survey task; a team a month, never two on it.
    assert {a.task_type for a in assignments} == {"TS"}
    months = [a.month for a in assignments]
    assert len(months) == len(set(months)) and datetime.date(2030, 1, 1) in months
    page = client.get(joint_plan.get_absolute_url()).content.decode()
    assert "Ce que gagne la coordination" in page
    assert "TS HI" in page or "TS DRC" in page


def test_answers_replan_and_adoption(client, field, coordinator):
    client.force_login(coordinator)
    first = _new_plan(client)
    january = first.assignments.get(month=datetime.date(2030, 1, 1))
    other_editor = field["drc_editor"] if january.organisation == field["hi"] else field["editor"]
    own_editor = field["editor"] if january.organisation == field["hi"] else field["drc_editor"]
    client.force_login(other_editor)
    assert client.post(reverse("plan_answer", args=[january.pk, "decline"])).status_code == 403
    client.force_login(own_editor)
    response = client.post(reverse("plan_answer", args=[january.pk, "decline"]))
    assert PlanAssignment.objects.get(pk=january.pk).answer == "declined"
    # The decline is re-planned at once, in a new version; the old one is superseded.
    again = JointPlan.objects.latest("pk")
    assert response["Location"] == again.get_absolute_url()
    assert again.replaces == first and again.status == "draft"
    first.refresh_from_db()
    assert first.status == "superseded"
    assert not again.assignments.filter(resource=january.resource, task=january.task,
                                        period=january.period).exists()  # fmt: skip
    assert client.post(reverse("plan_answer", args=[january.pk, "accept"])).status_code == 403
    client.force_login(coordinator)
    client.post(reverse("plan_status", args=[again.pk, "adopt"]))
    again.refresh_from_db()
    assert again.status == "adopted"
    planned = Activity.objects.filter(source_id__startswith=f"plan-{again.pk}-")
    assert planned.count() == again.assignments.count() > 0
    assert {a.status for a in planned} == {"planned"}
    client.post(reverse("plan_status", args=[again.pk, "adopt"]))
    assert (
        Activity.objects.filter(source_id__startswith=f"plan-{again.pk}-").count()
        == planned.count()
    )


def test_accepted_assignments_are_kept_by_a_replan(client, field, coordinator):
    client.force_login(coordinator)
    first = _new_plan(client)
    kept, dropped = first.assignments.order_by("month")[:2]
    client.post(reverse("plan_answer", args=[kept.pk, "accept"]))
    client.post(reverse("plan_answer", args=[dropped.pk, "decline"]))
    again = JointPlan.objects.latest("pk")
    assert again.assignments.get(resource=kept.resource, task=kept.task,
                                 period=kept.period).answer == "accepted"  # fmt: skip
    client.post(reverse("plan_status", args=[again.pk, "replan"]))
    third = JointPlan.objects.latest("pk")
    assert third.replaces == again and third.assignments.filter(answer="accepted").count() == 1
    # What was declined two versions ago is still never proposed.
    assert not third.assignments.filter(resource=dropped.resource, task=dropped.task,
                                        period=dropped.period).exists()  # fmt: skip


def test_no_access_and_operating_areas_are_respected(client, field, coordinator):
    unit = field["hazards"][0].admin_unit
    AccessRestriction.objects.create(admin_unit=unit.parent or unit, level="no_access",
                                     start=datetime.date(2030, 1, 1),
                                     end=datetime.date(2030, 1, 31))  # fmt: skip
    OperatingArea.objects.create(organisation=field["drc"], admin_unit=unit, operates=False)
    client.force_login(coordinator)
    joint_plan = _new_plan(client)
    assert not joint_plan.assignments.filter(month=datetime.date(2030, 1, 1)).exists()
    assert not joint_plan.assignments.filter(organisation=field["drc"]).exists()
    assert joint_plan.assignments.filter(month=datetime.date(2030, 2, 1)).exists()


def test_exports_in_the_formats_partners_use(client, field, coordinator):
    client.force_login(coordinator)
    joint_plan = _new_plan(client)
    url = reverse("plan_export", args=[joint_plan.pk])
    text = client.get(url, {"format": "hxl"}).content.decode("utf-8-sig")
    assert "#org+impl" in text and "TS:" in text
    workbook = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).getvalue()))
    # The header first, the HXL row under it; the stamp on a sheet of its own.
    assert workbook.worksheets[0].cell(row=2, column=5).value == "#activity+type"
    assert workbook.worksheets[-1]["A1"].value.startswith("Exporté de Kafo")


@pytest.mark.parametrize(
    ("values", "message"),
    [({"start": "janvier"}, "janvier"), ({"months": 99}, "36"),
     ({"budgets": "XYZ=10"}, "XYZ"), ({"budgets": "HI=-5"}, "0 ou plus")],
)  # fmt: skip
def test_bad_input_is_refused_with_a_reason(client, field, coordinator, values, message):
    client.force_login(coordinator)
    data = {"name": "P", "start": START, "months": 2, "time_limit": 10, "level": 2,
            "equity_floor": 0.5, "budgets": "", **values}  # fmt: skip
    response = client.post(reverse("plan_new"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not JointPlan.objects.exists()


def test_escort_only_units_are_planned_and_flagged(client, field, coordinator):
    unit = field["hazards"][0].admin_unit
    AccessRestriction.objects.create(admin_unit=unit, level="escort",
                                     start=datetime.date(2030, 1, 1),
                                     end=datetime.date(2030, 1, 31))  # fmt: skip
    client.force_login(coordinator)
    joint_plan = _new_plan(client)
    january = joint_plan.assignments.get(month=datetime.date(2030, 1, 1))
    february = joint_plan.assignments.filter(month=datetime.date(2030, 2, 1)).first()
    assert january.reason["escort"] is True
    assert february is None or february.reason["escort"] is False
    assert "escorte nécessaire" in client.get(joint_plan.get_absolute_url()).content.decode()


def test_a_donor_budget_covers_the_organisations_it_funds(client, field, coordinator,
                                                          organisation):  # fmt: skip
    from decimal import Decimal

    from kafo.funding.models import Transaction

    echo = organisation("ECHO", "donor")
    for team in field["teams"]:
        team.monthly_cost_usd = Decimal(100)
        team.save()
        Transaction.objects.create(
            type="3", provider=echo, receiver=team.organisation, date=datetime.date(2029, 6, 1),
            amount=Decimal(1000), currency="USD", rate_to_usd=Decimal(1),
            rate_to_xof=Decimal(600), rate_date=datetime.date(2029, 6, 1), rate_source="t",
        )  # fmt: skip
    client.force_login(coordinator)
    joint_plan = _new_plan(client, budgets="ECHO=150")
    assert joint_plan.assignments.count() == 1  # one team-month of 100 USD fits in 150
