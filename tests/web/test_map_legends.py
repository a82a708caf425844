"""Every colour a map draws is explained by its legend (in a real browser)."""

import pytest

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity
from tests.web.test_browser_smoke import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _drawn_and_explained(page, selector: str) -> tuple[set[str], set[str]]:
    page.wait_for_selector(f"{selector}[data-ready='1']", timeout=20_000)
    drawn = set((page.get_attribute(selector, "data-colours") or "").split())
    legend = page.locator(f"{selector} .kafo-legend .swatch")
    explained = {legend.nth(i).get_attribute("data-colour") for i in range(legend.count())}
    return drawn, explained


def test_points_and_hazards_are_drawn_in_their_legends_colours(
    live_server,
    mine_action,
    user_with_role,
    browser_page,
):
    editor = user_with_role(Role.PARTNER_EDITOR, username="kadia")
    hazard = mine_action.hazard(editor)
    mine_action.activity(editor, hazard)
    mine_action.accident(editor)
    activity = Activity.objects.create(
        organisation=editor.membership.organisation, title="EER", sector="PRO-MIN",
        activity_type="EORE", reached_women=10, points=[[-4.2, 14.5]],
    )  # fmt: skip
    activity.locations.add(AdminUnit.objects.get(pcode="ML05"))
    page = browser_page
    _log_in(page, live_server.url, "kadia")
    for url, selector in [
        ("/mineaction/hazard/", "#record-map"),
        ("/mineaction/accident/", "#record-map"),
        (f"/mineaction/hazard/{hazard.reference}/", "#record-map"),
        ("/response/", "#overview-map"),
        ("/analysis/gaps/", "#gaps-map"),
    ]:
        page.goto(live_server.url + url)
        drawn, explained = _drawn_and_explained(page, selector)
        assert explained, f"{url} has a legend"
        assert drawn, f"{url} draws something"
        assert drawn <= explained, url
    assert page.errors == []
