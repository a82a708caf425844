import datetime
from decimal import Decimal

import pytest

from kafo.actors.models import Role
from kafo.response.models import Framework, Indicator, Objective


@pytest.fixture
def editor(user_with_role, organisation):
    return user_with_role(Role.PARTNER_EDITOR, organisation("HI"))


@pytest.fixture
def strategy(coordinator):
    framework = Framework.objects.create(
        owner=coordinator.membership.organisation, kind="mine_action_strategy",
        name="SNLAM", start_year=2024, end_year=2028,
    )  # fmt: skip
    pillar = Objective.objects.create(framework=framework, level="pillar", code="P1", title="EER")
    target = Objective.objects.create(
        framework=framework, parent=pillar, level="target", code="P1.1", title="Communes"
    )
    other = Objective.objects.create(framework=framework, level="pillar", code="P2", title="AV")
    Indicator.objects.create(objective=pillar, name="Personnes", measure="people_reached",
                             target=Decimal(1000))  # fmt: skip
    Indicator.objects.create(objective=target, name="Personnes", measure="people_reached",
                             target=Decimal(500))  # fmt: skip
    return framework, pillar, target, other


ACTIVITY = {
    "title": "Sessions EER à Sévaré", "sector": "PRO-MIN", "activity_type": "EORE",
    "status": "ongoing", "planned_start": "2025-01-06", "planned_end": "2025-06-30",
    "location_pcodes": "ML0501 ML0504", "currency": "USD", "budget": "25000",
    "reached_girls": "40", "reached_boys": "35", "reached_women": "20", "reached_men": "5",
    **{f"targeted_{g}": "0" for g in ("girls", "boys", "women", "men", "pwd", "displaced", "host")},
    **{f"reached_{g}": "0" for g in ("pwd", "displaced", "host")},
}  # fmt: skip
TODAY = datetime.date(2025, 1, 1)
