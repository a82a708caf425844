"""The gaps page by activity type: mine action's technical gaps, each row linked to the
records behind its need and its response."""

import datetime
import json

from django.urls import reverse

from kafo.actors.models import Role
from kafo.response.models import Activity


def test_it_checks_access(plain_client, demo_geography):
    assert plain_client.get(reverse("gaps"), {"by": "activity_type"}).status_code == 302


def test_open_hazards_without_their_activity_type(client, mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    suspected = mine_action.hazard(editor, classification="sha")
    confirmed = mine_action.hazard(editor, classification="cha")
    unit = suspected.admin_unit
    clearance = Activity.objects.create(
        organisation=editor.membership.organisation, title="Dépollution", sector="PRO-MIN",
        activity_type="CLR", planned_start=datetime.date.today() - datetime.timedelta(days=30),
    )  # fmt: skip
    clearance.locations.set([unit])
    client.force_login(editor)
    # The sector list still showing another sector is left aside by activity type.
    page = client.get(
        reverse("gaps"), {"by": "activity_type", "level": unit.level, "sector": "WSH"}
    ).content.decode()
    assert "Enquête technique" in page and "Dépollution" in page
    assert "1 danger ouvert" in page  # the suspected area, and the confirmed one
    no_survey = page.index("Enquête technique")
    assert page.index("Aucune présence", no_survey) < page.index("Dépollution")
    hazards = reverse("mineaction:list", args=["hazard"])
    link = f"{hazards}?pcode={unit.pcode}&amp;status=open%2Cworked_on&amp;classification=sha"
    assert link in page
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert suspected.reference in listed and confirmed.reference not in listed
    assert "type=CLR" in page


def test_the_map_by_activity_type(client, mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    hazard = mine_action.hazard(editor, classification="cha")
    client.force_login(editor)
    response = client.get(
        reverse("gaps_geojson"), {"by": "activity_type", "level": hazard.admin_unit.level}
    )
    features = {f["properties"]["pcode"]: f for f in json.loads(response.content)["features"]}
    shown = features[hazard.admin_unit.pcode]["properties"]
    assert shown["gap"] == "no_presence" and shown["summary"].startswith("CLR")


def test_a_wrong_grouping_is_refused(client, demo_geography, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    assert client.get(reverse("gaps"), {"by": "organisation"}).status_code == 400
