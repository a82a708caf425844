"""In a real browser, the 5W map of many activities draws counts per admin unit, then
asks the server again for the part of the map in view (bbox and zoom)."""

import pytest

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_many_activities_are_drawn_as_counts_then_asked_for_the_view(
    live_server, user_with_role, demo_geography, settings, browser_page
):
    settings.KAFO_MAP_FEATURES = 100
    editor = user_with_role(Role.PARTNER_EDITOR, username="awa")
    cercle = AdminUnit.objects.active().filter(parent__pcode="ML05").order_by("pcode").first()
    made = Activity.objects.bulk_create(
        Activity(title=f"A{n}", organisation=editor.membership.organisation, sector="PRO-MIN")
        for n in range(120)
    )
    through = Activity.locations.through
    through.objects.bulk_create(through(activity_id=a.pk, adminunit_id=cercle.pk) for a in made)
    page = browser_page
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "awa")
    page.fill("#id_password", "secret-pass-42")
    page.click("button.primary")
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/response/activities/")
    page.wait_for_selector("#activity-map[data-aggregated='true'][data-ready='1']", timeout=20_000)
    assert page.locator("#activity-map .point-count").first.inner_text() == "120"
    page.wait_for_timeout(500)
    layer = [url for url in asked if "activities.geojson" in url]
    assert "bbox=" not in layer[0]
    assert any("bbox=" in url and "zoom=" in url for url in layer[1:]), layer
    assert page.errors == []
