import json

import pytest

from kafo.actors.models import Role
from kafo.mineaction.models import FieldReport
from tests.conftest import square

ACCIDENT = {
    "date": "2024-05-01", "longitude": -4.2, "latitude": 14.5,
    "device_category": "improvised_mine", "accident_type": "civilian",
}  # fmt: skip


@pytest.fixture
def world(mine_action, organisation, user_with_role, coordinator):
    """Two partner organisations (ours and another) with one user per role in ours, and
    validated accidents, victims and field reports on both sides."""
    ours, theirs = organisation("HI"), organisation("DRC")
    users = {
        None: None,
        Role.COORDINATOR: coordinator,
        Role.PARTNER_EDITOR: user_with_role(Role.PARTNER_EDITOR, ours, "editor"),
        Role.PARTNER_VIEWER: user_with_role(Role.PARTNER_VIEWER, ours, "viewer"),
        Role.DONOR_VIEWER: user_with_role(Role.DONOR_VIEWER, ours, "donor"),
    }
    their_editor = user_with_role(Role.PARTNER_EDITOR, theirs, "their-editor")
    records = {}
    for side, editor, org in (
        ("own", users[Role.PARTNER_EDITOR], ours),
        ("other", their_editor, theirs),
    ):
        accident = mine_action.accident(editor)
        victim = mine_action.victim(editor, accident)
        hazard = mine_action.hazard(
            editor, geometry=json.dumps(square(-4.3 + len(records) * 0.05, 14.4, 0.02))
        )
        activity = mine_action.activity(editor, hazard)
        extra = {
            "hazard": hazard,
            "activity": activity,
            "device": mine_action.device(editor, activity),
            "eore": mine_action.eore(editor),
            "assistance": mine_action.assistance(editor, victim),
            "quality": mine_action.quality(editor, activity),
        }
        report = FieldReport.objects.filter(record_reference=accident.reference).first()
        pending = mine_action.report(
            "accident",
            editor,
            {**ACCIDENT, "area_marked": "yes"},
            accident.reference,
            validate=False,
        )
        records[side] = {"organisation": org, "accident": accident, "victim": victim,
                         "report": report, "pending": pending, **extra}  # fmt: skip
    return {"users": users, "records": records, "their_editor": their_editor}
