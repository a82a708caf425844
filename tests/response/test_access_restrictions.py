"""Access restrictions: the coordination records them; members read them; the
priorities count them (a unit without access ranks lower)."""

import datetime

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.analysis.priorities import PriorityOptions, priorities
from kafo.coordination.source import analysis_connection
from kafo.geo.models import AdminUnit
from kafo.response.models import AccessRestriction

TODAY = datetime.date.today()


def test_it_checks_access(plain_client, client, user_with_role, db):
    assert plain_client.get(reverse("response:access")).status_code == 302
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    assert client.get(reverse("response:access")).status_code == 403
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    assert client.get(reverse("response:access")).status_code == 200
    assert client.get(reverse("response:access_new")).status_code == 403


def test_the_coordination_records_a_restriction(client, coordinator, demo_geography):
    client.force_login(coordinator)
    client.post(reverse("response:access_new"), {
        "pcode": "ml0501", "level": "no_access", "start": TODAY.isoformat(),
        "reason": "Engins explosifs sur l'axe",
    })  # fmt: skip
    restriction = AccessRestriction.objects.get()
    assert restriction.admin_unit.pcode == "ML0501" and restriction.difficulty == 1.0
    page = client.get(reverse("response:access")).content.decode()
    assert "Engins explosifs" in page and "en vigueur" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [({"pcode": "XX99", "level": "escort", "start": "2025-01-01"}, "XX99"),
     ({"pcode": "ML0501", "level": "escort", "start": "2025-02-01", "end": "2025-01-01"},
      "avant le début"),
     ({"pcode": "ML0501", "level": "helicopter", "start": "2025-02-01"}, "helicopter")],
)  # fmt: skip
def test_bad_input_is_refused_with_a_reason(client, coordinator, demo_geography, values, message):
    client.force_login(coordinator)
    page = client.post(reverse("response:access_new"), values).content.decode()
    assert message in page and not AccessRestriction.objects.exists()


def test_priorities_count_restrictions_in_force(coordinator, mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    hazard = mine_action.hazard(editor)
    unit = AdminUnit.objects.get(pcode=hazard.admin_unit.pcode[:6])
    ended = TODAY - datetime.timedelta(days=30)
    AccessRestriction.objects.create(admin_unit=unit, level="no_access", start=ended,
                                     end=ended + datetime.timedelta(days=1))  # fmt: skip

    def access() -> float:
        ranked = priorities(analysis_connection(), PriorityOptions())["hazards"]
        return next(h for h in ranked if h["reference"] == hazard.reference)["values"]["access"]

    assert access() == 1.0  # the restriction has ended
    AccessRestriction.objects.create(admin_unit=unit, level="escort", start=TODAY)
    assert access() == 0.5
