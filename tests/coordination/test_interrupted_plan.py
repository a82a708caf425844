"""A joint plan whose computing process stopped (a server restart) is marked failed with
the reason instead of "being computed" for ever; one still computing is left alone."""

import datetime

import pytest
from django.urls import reverse

from kafo import background
from kafo.actors.models import Role
from kafo.coordination.models import JointPlan


@pytest.fixture
def partner(user_with_role, organisation):
    return user_with_role(Role.PARTNER_VIEWER, organisation("HI"))


def _solving(coordinator, runner: str) -> JointPlan:
    return JointPlan.objects.create(
        name="Plan 2030", start=datetime.date(2030, 1, 1), months=2, status="solving",
        created_by=coordinator.membership.organisation, runner=runner,
    )  # fmt: skip


def test_a_plan_whose_process_stopped_fails_with_the_reason(
    client, coordinator, partner, stopped_runner
):
    joint_plan = _solving(coordinator, stopped_runner)
    client.force_login(partner)
    response = client.get(reverse("plan_progress", args=[joint_plan.pk]))
    assert response["HX-Refresh"] == "true"
    joint_plan.refresh_from_db()
    assert joint_plan.status == "failed" and "Interrompu" in joint_plan.message
    assert "Lancez un nouveau plan" in client.get(joint_plan.get_absolute_url()).content.decode()


def test_the_list_shows_it_failed_too(client, coordinator, stopped_runner):
    joint_plan = _solving(coordinator, stopped_runner)
    client.force_login(coordinator)
    client.get(reverse("plans"))
    joint_plan.refresh_from_db()
    assert joint_plan.status == "failed"


def test_a_plan_still_computing_keeps_its_progress_bar(client, coordinator):
    joint_plan = _solving(coordinator, background.this_process())
    client.force_login(coordinator)
    response = client.get(reverse("plan_progress", args=[joint_plan.pk]))
    assert "HX-Refresh" not in response
    joint_plan.refresh_from_db()
    assert joint_plan.status == "solving"
